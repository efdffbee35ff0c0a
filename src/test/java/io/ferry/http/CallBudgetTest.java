package io.ferry.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The budget on a clock of its own, against a vendor modelled here as the vendors count (sliding windows of the
 * calls they allowed; a refused call not counted), written apart from the budget's own counting.
 */
class CallBudgetTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1000 * MS;

    private long now = 0;

    /** A vendor's limit: at most {@code limit} allowed calls in any window of {@code length} ns. */
    private static final class VendorWindow {
        final int limit;
        final long length;
        final Deque<Long> allowed = new ArrayDeque<>();

        VendorWindow(int limit, long length) {
            this.limit = limit;
            this.length = length;
        }

        boolean full(long t) {
            while (!allowed.isEmpty() && t - allowed.peekFirst() >= length) {
                allowed.pollFirst();
            }
            return allowed.size() >= limit;
        }
    }

    /** What the vendor answered: which window refused (null: allowed). */
    private static String vendor(long t, VendorWindow second, VendorWindow minute) {
        if (second != null && second.full(t)) {
            return "second";
        }
        if (minute != null && minute.full(t)) {
            return "minute";
        }
        if (second != null) {
            second.allowed.addLast(t);
        }
        if (minute != null) {
            minute.allowed.addLast(t);
        }
        return null;
    }

    private CallBudget budget(CallBudget.Limits limits) {
        return new CallBudget("test", limits, () -> now);
    }

    /** The largest number of the given times that fall in one window of {@code length} ns. */
    private static int mostInAnyWindow(List<Long> times, long length) {
        int most = 0;
        int from = 0;
        for (int i = 0; i < times.size(); i++) {
            while (times.get(i) - times.get(from) >= length) {
                from++;
            }
            most = Math.max(most, i - from + 1);
        }
        return most;
    }

    @Test
    void burstsToEachLimitAndNeverPassesOneInAnySlidingWindow() {
        CallBudget budget = budget(new CallBudget.Limits(5, 100, 0));
        List<Long> calls = new ArrayList<>();
        while (calls.size() < 200) {
            CallBudget.Permit p = budget.tryAcquire();
            if (p == null) {
                now += MS;
                continue;
            }
            calls.add(now);
            p.answered();
        }
        assertThat(mostInAnyWindow(calls, SECOND)).isEqualTo(5);
        assertThat(mostInAnyWindow(calls, 60 * SECOND)).isEqualTo(100);
        // as fast as the windows allow: 100 calls in the first 20 s (5 a second), the next 100 from 60 s on
        assertThat(calls.get(99)).isEqualTo(19 * SECOND);
        assertThat(calls.get(100)).isEqualTo(60 * SECOND);
        assertThat(calls.get(199)).isEqualTo(79 * SECOND);
    }

    @Test
    void aLowerLimitThanConfiguredCostsOneRefusalPerWindowNotOnePerCall() {
        // configured at twice the vendor's limits; the refusals name no window (an HTTP 429)
        CallBudget budget = budget(new CallBudget.Limits(10, 200, 0));
        VendorWindow second = new VendorWindow(5, SECOND);
        VendorWindow minute = new VendorWindow(100, 60 * SECOND);
        int refused = 0;
        int answered = 0;
        while (now < 200 * SECOND) {
            CallBudget.Permit p = budget.tryAcquire();
            if (p == null) {
                now += MS;
                continue;
            }
            if (vendor(now, second, minute) == null) {
                p.answered();
                answered++;
            } else {
                p.refused(CallBudget.Limit.UNKNOWN, 0);
                refused++;
                now += 500 * MS; // the first back-off
            }
        }
        // in the first minute two for the second (the 6th call refused in two seconds) and three for the minute (the
        // refusals of a full minute go on for at least a second before they are believed), each held only for that
        // minute, as another client may have filled it; then one for each, in a window the budget watched whole
        assertThat(refused).as("refusals in 200 s").isEqualTo(7);
        assertThat(budget.paced()).isEqualTo(new CallBudget.Limits(5, 100, 0));
        // 200 s at 100 a minute, as fast as the vendor allows: 100 in each of the first three minutes, then 5 a
        // second for 20 s (less the back-offs)
        assertThat(answered).isBetween(390, 400);
    }

    @Test
    void aWindowIsLoweredWhenTwoRefusalsAgreeOrAtOnceByTheVendorsNumber() {
        CallBudget budget = budget(new CallBudget.Limits(10, 0, 0));
        for (int i = 0; i < 6; i++) {
            budget.tryAcquire().answered();
        }
        budget.tryAcquire().refused(CallBudget.Limit.PER_SECOND, 0);
        assertThat(budget.paced().perSecond()).as("one refusal of the 7th").isEqualTo(10);
        now += 20 * MS;
        budget.tryAcquire().refused(CallBudget.Limit.PER_SECOND, 0);
        assertThat(budget.paced().perSecond()).as("the 7th refused twice").isEqualTo(6);
        now += SECOND;
        budget.tryAcquire().refused(CallBudget.Limit.PER_SECOND, 3); // 每秒3次
        assertThat(budget.paced().perSecond()).as("the vendor's number").isEqualTo(3);
        now += SECOND;
        budget.tryAcquire().answered();
        budget.tryAcquire().refused(CallBudget.Limit.PER_SECOND, 3); // still 每秒3次 at the 2nd: a stale message
        assertThat(budget.paced().perSecond()).as("not the number: the pace it names was refused").isEqualTo(3);
        budget.tryAcquire().refused(CallBudget.Limit.PER_SECOND, 3);
        assertThat(budget.paced().perSecond()).as("2 were allowed before: suspected now").isEqualTo(3);
        now += 20 * MS;
        budget.tryAcquire().refused(CallBudget.Limit.PER_SECOND, 3);
        assertThat(budget.paced().perSecond()).as("the evidence of 2 allowed is used up").isEqualTo(3);
        now += 20 * MS;
        budget.tryAcquire().refused(CallBudget.Limit.PER_SECOND, 3);
        assertThat(budget.paced().perSecond()).as("the 2nd refused again").isEqualTo(1);
        assertThat(budget.refusals()).isEqualTo(7);
    }

    @Test
    void aFreshBudgetMeetingAMinuteAnotherClientFilledKeepsItsLimit() {
        // a new leader at Wangdiantong's 300 a minute: the dead leader made 288 calls in the 30 s before it started
        CallBudget budget = budget(new CallBudget.Limits(0, 300, 0));
        VendorWindow minute = new VendorWindow(300, 60 * SECOND);
        for (int i = 0; i < 288; i++) {
            vendor(i * 100 * MS, null, minute);
        }
        now = 30 * SECOND;
        int answered = 0;
        int answeredInFirstMinute = 0;
        int refusedInARow = 0;
        while (now < 5 * 60 * SECOND) {
            now += 100 * MS; // one caller paging, a tenth of a second per page
            CallBudget.Permit p = budget.tryAcquire();
            if (p == null) {
                continue;
            }
            if (vendor(now, null, minute) == null) {
                p.answered();
                answered++;
                answeredInFirstMinute += now < 90 * SECOND ? 1 : 0;
                refusedInARow = 0;
            } else {
                p.refused(CallBudget.Limit.UNKNOWN, 0); // 超过每分钟最大调用频率限制 names no window
                refusedInARow++;
                now += Math.min(60 * SECOND, SECOND << (refusedInARow - 1)); // the back-off: 1 s, doubling
            }
        }
        // the 12 calls it made before the first refusal are not the vendor's limit: held at 12 for its first minute
        // (the dead leader's calls leave the vendor's window meanwhile), then 300 again
        assertThat(answeredInFirstMinute).as("answered in its first minute").isEqualTo(12);
        assertThat(budget.paced()).isEqualTo(new CallBudget.Limits(0, 300, 0));
        // then bursts of 300 from 90, 150, 210 and 270 s, as the vendor allows: never 12 a minute again
        assertThat(answered).as("answered in 4.5 min").isEqualTo(12 + 4 * 300);
        assertThat(budget.refusals()).as("refusals: the 13th call, twice").isEqualTo(2);
    }

    @Test
    void aCountHeldInTheFirstWindowIsAskedOnceAfterIt() {
        CallBudget budget = budget(new CallBudget.Limits(10, 0, 0));
        for (int i = 0; i < 6; i++) {
            budget.tryAcquire().answered();
        }
        budget.tryAcquire().refused(CallBudget.Limit.PER_SECOND, 0);
        now += 20 * MS;
        budget.tryAcquire().refused(CallBudget.Limit.PER_SECOND, 0);
        assertThat(budget.paced().perSecond()).as("held in its first second").isEqualTo(6);
        now += SECOND;
        assertThat(budget.paced().perSecond()).as("after it: one call at the 7th").isEqualTo(7);
        for (int i = 0; i < 6; i++) {
            budget.tryAcquire().answered();
        }
        CallBudget.Permit seventh = budget.tryAcquire();
        assertThat(budget.tryAcquire()).as("an 8th while the 7th is asked").isNull();
        seventh.refused(CallBudget.Limit.PER_SECOND, 0);
        assertThat(budget.paced().perSecond()).as("refused again, in a second it watched whole").isEqualTo(6);

        CallBudget quiet = budget(new CallBudget.Limits(10, 0, 0));
        for (int i = 0; i < 6; i++) {
            quiet.tryAcquire().answered();
        }
        quiet.tryAcquire().refused(CallBudget.Limit.PER_SECOND, 0);
        now += 20 * MS;
        quiet.tryAcquire().refused(CallBudget.Limit.PER_SECOND, 0);
        now += SECOND;
        for (int i = 1; i <= 11 * 60; i++) {
            now += SECOND; // a call a second: the 7th is never asked
            quiet.tryAcquire().answered();
            if (i == 9 * 60) {
                assertThat(quiet.paced().perSecond()).as("after nine minutes without").isEqualTo(7);
            }
        }
        assertThat(quiet.paced().perSecond()).as("after eleven minutes without").isEqualTo(10);
    }

    @Test
    void aPassingRefusalIsClearedByTheNextAnsweredCallAndLowersNothing() {
        // a fault that looks like a rate limit at the 31st call of a minute; the retry is answered at the same count
        CallBudget budget = budget(new CallBudget.Limits(0, 300, 0));
        for (int i = 0; i < 30; i++) {
            now += 100 * MS;
            budget.tryAcquire().answered();
        }
        now += 100 * MS;
        budget.tryAcquire().refused(CallBudget.Limit.UNKNOWN, 0);
        now += 500 * MS;
        budget.tryAcquire().answered();
        for (int i = 0; i < 30; i++) {
            now += 100 * MS;
            budget.tryAcquire().answered();
        }
        now += 100 * MS;
        budget.tryAcquire().refused(CallBudget.Limit.UNKNOWN, 0); // another one, much later
        assertThat(budget.paced()).isEqualTo(new CallBudget.Limits(0, 300, 0));
    }

    @Test
    void refusalsAtRandomAtAFifthOfCallsLeaveThePaceAlone() {
        // a vendor whose refusals are faults, not a limit: a fifth of the calls, at random, naming no window
        CallBudget budget = budget(new CallBudget.Limits(10, 300, 0));
        java.util.Random random = new java.util.Random(7);
        int answered = 0;
        while (now < 600 * SECOND) {
            now += (50 + random.nextInt(200)) * MS; // a pipeline's uneven pace, about 6 calls a second
            CallBudget.Permit p = budget.tryAcquire();
            if (p == null) {
                continue;
            }
            if (random.nextInt(5) == 0) {
                p.refused(CallBudget.Limit.UNKNOWN, 0);
            } else {
                p.answered();
                answered++;
            }
        }
        assertThat(budget.refusals()).isGreaterThan(400);
        assertThat(budget.paced()).isEqualTo(new CallBudget.Limits(10, 300, 0));
        assertThat(answered).isGreaterThan(2000);
    }

    @Test
    void aBusyVendorIsWaitedOutWithoutLoweringThePace() {
        CallBudget budget = budget(new CallBudget.Limits(5, 100, 0));
        budget.tryAcquire().refused(CallBudget.Limit.BUSY, 0);
        assertThat(budget.paced()).isEqualTo(new CallBudget.Limits(5, 100, 0));
        assertThat(budget.refusals()).isZero();
    }

    @Test
    void callsAtOnceAreLimitedLoweredByARefusalAndRecoverAfterQuiet() {
        CallBudget budget = budget(new CallBudget.Limits(0, 0, 3));
        CallBudget.Permit a = budget.tryAcquire();
        CallBudget.Permit b = budget.tryAcquire();
        CallBudget.Permit c = budget.tryAcquire();
        assertThat(budget.tryAcquire()).as("a 4th at once").isNull();
        c.refused(CallBudget.Limit.CONCURRENT, 0); // the vendor refused the 3rd in flight
        assertThat(budget.paced().concurrent()).as("one refusal").isEqualTo(3);
        budget.tryAcquire().refused(CallBudget.Limit.CONCURRENT, 0); // and again
        assertThat(budget.paced().concurrent()).isEqualTo(2);
        assertThat(budget.tryAcquire()).as("2 still in flight").isNull();
        a.answered();
        CallBudget.Permit d = budget.tryAcquire();
        assertThat(d).isNotNull();
        b.close();
        d.close();
        now += 9 * 60 * SECOND;
        budget.tryAcquire().close();
        assertThat(budget.paced().concurrent()).as("after 9 min").isEqualTo(2);
        now += 60 * SECOND;
        budget.tryAcquire().close();
        assertThat(budget.paced().concurrent()).as("after 10 min").isEqualTo(3);
    }

    @Test
    void aLoweredLimitRecoversOneCallPerTenMinutesWithoutARefusal() {
        CallBudget budget = budget(new CallBudget.Limits(8, 0, 0));
        budget.tryAcquire().answered();
        now += SECOND; // a whole second of its own calls seen: what it learns now it keeps
        for (int i = 0; i < 5; i++) {
            budget.tryAcquire().answered();
        }
        budget.tryAcquire().refused(CallBudget.Limit.PER_SECOND, 0);
        now += 20 * MS;
        budget.tryAcquire().refused(CallBudget.Limit.PER_SECOND, 0);
        assertThat(budget.paced().perSecond()).isEqualTo(5);
        now += 9 * 60 * SECOND;
        budget.tryAcquire().answered();
        assertThat(budget.paced().perSecond()).as("after 9 min").isEqualTo(5);
        now += 60 * SECOND;
        budget.tryAcquire().answered();
        assertThat(budget.paced().perSecond()).as("after 10 min").isEqualTo(6);
        for (int i = 0; i < 20; i++) {
            now += 10 * 60 * SECOND;
            budget.tryAcquire().answered();
        }
        assertThat(budget.paced().perSecond()).as("never above the configured").isEqualTo(8);
    }

    @Test
    void aWindowNotConfiguredIsLearnedWhenTheVendorHasOne() {
        // Wangdiantong-like: 300 a minute configured, the vendor refuses the 6th call in a second
        CallBudget budget = budget(new CallBudget.Limits(0, 300, 0));
        VendorWindow second = new VendorWindow(5, SECOND);
        int refused = 0;
        List<Long> allowed = new ArrayList<>();
        while (now < 20 * SECOND) {
            CallBudget.Permit p = budget.tryAcquire();
            if (p == null) {
                now += MS;
                continue;
            }
            if (vendor(now, second, null) == null) {
                p.answered();
                allowed.add(now);
            } else {
                p.refused(CallBudget.Limit.UNKNOWN, 0);
                refused++;
                now += 500 * MS; // the first back-off
            }
        }
        assertThat(refused).isEqualTo(2);
        assertThat(budget.paced()).isEqualTo(new CallBudget.Limits(5, 300, 0));
        assertThat(allowed.size()).isGreaterThanOrEqualTo(99);
    }

    @Test
    void twoSyncsConfiguringOneKeyShareOneBudgetAtTheLowerLimits() {
        CallBudgets budgets = new CallBudgets();
        CallBudget first = budgets.budget("jushuitan app k", new CallBudget.Limits(5, 100, 0));
        CallBudget second = budgets.budget("jushuitan app k", new CallBudget.Limits(10, 60, 2));
        assertThat(second).isSameAs(first);
        assertThat(first.configured()).isEqualTo(new CallBudget.Limits(5, 60, 2));
        assertThat(first.paced()).isEqualTo(new CallBudget.Limits(5, 60, 2));
        assertThat(budgets.budget("jushuitan app other", CallBudget.Limits.NONE)).isNotSameAs(first);
    }
}
