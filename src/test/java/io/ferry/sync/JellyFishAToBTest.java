package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.apache.camel.Exchange;

import io.ferry.kernel.SourceException;
import io.ferry.state.DeadLetterRepository.DeadLetter;
import io.ferry.state.DeadLetterRepository.Stage;
import io.ferry.pipeline.SyncRun;
import io.ferry.pipeline.SyncSettings;
import io.ferry.sandbox.JellyFishSourceSimulator;
import io.ferry.sandbox.JellyFishTargetSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** routes/jellyfish-a-to-b.yaml end to end: system A and system B simulators, state on MariaDB (and H2 once). */
class JellyFishAToBTest {

    private static final String SYNC = "jellyfish-a-to-b";

    @Test
    void aPageOfAThatWasBrokenOnceIsClosedByTheRunThatReadPastIt() throws Exception {
        try (FerryHarness f = harness(Db.H2, 250).start()) {
            f.sandbox().jellyFishSource().pageSize(100);
            RunRecord first = f.runSync(SYNC);
            assertThat(first.status()).isEqualTo("succeeded");
            f.sandbox().jellyFishSource().append(150);
            // the next pulls answer a cut page (as many as a call and its two retries make); the pulls after them are fine
            f.sandbox().jellyFishSource().overrideNext(3, 200, "application/json", "{\"code\":\"0\",\"data\":[{\"id\":251,");
            RunRecord broken = f.runSync(SYNC);
            assertThat(broken.status()).isEqualTo("failed");
            assertThat(f.state().deadLetters().open(SYNC)).singleElement().satisfies(d -> assertThat(d.stage()).isEqualTo(Stage.PAGE));
            long page = f.state().deadLetters().open(SYNC).get(0).id();

            f.sandbox().jellyFishSource().clearFaults();
            RunRecord next = f.runSync(SYNC);
            assertThat(next.status()).isEqualTo("succeeded");
            assertThat(next.written()).isEqualTo(150);
            assertThat(offset(f)).isEqualTo("400");
            assertThat(f.state().deadLetters().find(page).status()).isEqualTo("resolved");
            assertThat(f.state().deadLetters().find(page).resolution()).isEqualTo("run " + next.id() + " read the source to its end");
        }
    }

    private static FerryHarness harness(Db db, int records) {
        return new FerryHarness(db, records)
                .with("ferry.sync.jellyfish-a-to-b.max-attempts", "3")
                .with("ferry.sync.jellyfish-a-to-b.delay", "5")
                .with("ferry.sync.jellyfish-a-to-b.exponential", "true");
    }

    private static String offset(FerryHarness f) {
        return f.state().offsets().find(SYNC);
    }

    private static List<Object> offsetsAsked(JellyFishSourceSimulator a) {
        return a.requestsReceived().stream().map(r -> r.get("offset")).toList();
    }

    @ParameterizedTest
    @EnumSource(Db.class)
    void deliversEveryRecordOnceResumesAfterARestartAndPicksUpAppendedRecords(Db db) throws Exception {
        try (FerryHarness f = harness(db, 250).start()) {
            JellyFishSourceSimulator a = f.sandbox().jellyFishSource();
            JellyFishTargetSimulator b = f.sandbox().jellyFishTarget();

            RunRecord first = f.runSync(SYNC);
            assertThat(first.status()).isEqualTo("succeeded");
            assertThat(first.read()).isEqualTo(250);
            assertThat(first.written()).isEqualTo(250);
            assertThat(first.failed()).isZero();
            assertThat(first.pages()).isEqualTo(4); // 100 + 100 + 50 + the empty answer that ends the run
            assertThat(b.acceptedIds()).hasSize(250).first().isEqualTo("1");
            assertThat(b.duplicates()).isEmpty();
            assertThat(b.totalCalls()).isEqualTo(250);
            assertThat(offset(f)).isEqualTo("250");
            assertThat(offsetsAsked(a)).containsExactly("0", "100", "200", "250");
            // the record reaches B as A served it
            assertThat(b.received(7)).hasToString(JellyFishSourceSimulator.record(7).toString());

            RunRecord idle = f.runSync(SYNC);
            assertThat(idle.status()).isEqualTo("succeeded");
            assertThat(idle.read()).isZero();
            assertThat(idle.written()).isZero();
            assertThat(b.totalCalls()).isEqualTo(250);

            a.append(30);
            RunRecord third = f.runSync(SYNC);
            assertThat(third.read()).isEqualTo(30);
            assertThat(third.written()).isEqualTo(30);
            assertThat(offset(f)).isEqualTo("280");

            f.restart();
            a.append(5);
            int asked = a.requestsReceived().size();
            RunRecord afterRestart = f.runSync(SYNC);
            assertThat(afterRestart.status()).isEqualTo("succeeded");
            assertThat(afterRestart.written()).isEqualTo(5);
            assertThat(offsetsAsked(a).subList(asked, asked + 2)).containsExactly("280", "285");
            assertThat(b.acceptedIds()).hasSize(285);
            assertThat(b.duplicates()).isEmpty();
            assertThat(b.totalCalls()).isEqualTo(285);
            assertThat(offset(f)).isEqualTo("285");
        }
    }

    @Test
    void aRecordBKeepsRefusingIsDeadLetteredAfterMaxAttemptsAndTheOffsetMovesPastIt() throws Exception {
        try (FerryHarness f = harness(Db.MARIADB, 120).start()) {
            JellyFishTargetSimulator b = f.sandbox().jellyFishTarget();
            b.refuseAlways(7);
            b.refuse(9, 2); // accepted on the third and last attempt

            RunRecord run = f.runSync(SYNC);
            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(119);
            assertThat(run.failed()).isEqualTo(1);
            assertThat(b.callsFor(7)).isEqualTo(3);
            assertThat(b.acceptedCount(7)).isZero();
            assertThat(b.callsFor(9)).isEqualTo(3);
            assertThat(b.acceptedCount(9)).isEqualTo(1);
            assertThat(b.duplicates()).isEmpty();
            assertThat(offset(f)).isEqualTo("120");

            List<DeadLetter> open = f.state().deadLetters().open(SYNC);
            assertThat(open).hasSize(1);
            assertThat(open.get(0).key()).isEqualTo("7");
            assertThat(open.get(0).errorMessage()).contains("B answered code \"1\"").contains("3 attempts");
            // every push counts
            assertThat(open.get(0).attempts()).isEqualTo(3);
            assertThat(open.get(0).payload()).contains("\"id\":7");

            // the next run does not push it again: the offset is past it
            RunRecord next = f.runSync(SYNC);
            assertThat(next.read()).isZero();
            assertThat(b.callsFor(7)).isEqualTo(3);
        }
    }

    @Test
    void aBOutageFailsTheRunWithoutMovingTheOffsetPastUndeliveredRecordsAndTheNextRunCompletes() throws Exception {
        try (FerryHarness f = harness(Db.MARIADB, 250).start()) {
            JellyFishTargetSimulator b = f.sandbox().jellyFishTarget();
            b.failFromId(120);

            RunRecord failed = f.runSync(SYNC);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.error()).contains("HTTP 500");
            assertThat(failed.written()).isEqualTo(119);
            assertThat(offset(f)).isEqualTo("119");
            assertThat(b.acceptedIds()).hasSize(119);
            assertThat(f.state().deadLetters().open(SYNC)).isEmpty();

            b.clearFaults();
            RunRecord next = f.runSync(SYNC);
            assertThat(next.status()).isEqualTo("succeeded");
            assertThat(next.written()).isEqualTo(131);
            assertThat(offset(f)).isEqualTo("250");
            assertThat(b.acceptedIds()).hasSize(250);
            assertThat(b.duplicates()).isEmpty();
        }
    }

    @Test
    void badAnswersOfAFailTheRunClearlyAndMoveNothing() throws Exception {
        try (FerryHarness f = harness(Db.MARIADB, 30).start()) {
            JellyFishSourceSimulator a = f.sandbox().jellyFishSource();
            JellyFishTargetSimulator b = f.sandbox().jellyFishTarget();

            a.overrideNext(1, 200, "application/json", "{\"code\":\"500\",\"msg\":\"数据库繁忙\",\"data\":null}");
            RunRecord badCode = f.runSync(SYNC);
            assertThat(badCode.status()).isEqualTo("failed");
            assertThat(badCode.error()).contains("SourceException").contains("answered code 500").contains("数据库繁忙");

            // a gateway's login page answered with 200 to every attempt (3 here: ferry.retry.max-redeliveries is 2)
            a.overrideNext(3, 200, "text/html", "<html><body>请登录</body></html>");
            RunRecord html = f.runSync(SYNC);
            assertThat(html.status()).isEqualTo("failed");
            assertThat(html.error()).contains("HTTP 200 (text/html)").contains("not the pull API's JSON").contains("请登录");

            a.dropIdOf(12);
            RunRecord noOffset = f.runSync(SYNC);
            assertThat(noOffset.status()).isEqualTo("failed");
            assertThat(noOffset.error()).contains("data[11] has no id");
            assertThat(b.totalCalls()).isZero();
            assertThat(offset(f)).isNull();
            // the unreadable pages are kept to be looked at
            assertThat(f.state().deadLetters().open(SYNC)).extracting(DeadLetter::payload)
                    .anySatisfy(p -> assertThat(p).contains("数据库繁忙"))
                    .anySatisfy(p -> assertThat(p).contains("\"order_no\":\"SO00000012\""));

            a.clearFaults();
            assertThat(f.state().deadLetters().open(SYNC)).hasSize(3);
            // an HTML page that passes is transient: asked again by the route configuration, the run goes on, no page
            // kept; the run reads A to its end, so the pages kept before are closed as resolved
            a.overrideNext(2, 200, "text/html", "<html><body>Bad Gateway</body></html>");
            RunRecord ok = f.runSync(SYNC);
            assertThat(ok.status()).isEqualTo("succeeded");
            assertThat(ok.written()).isEqualTo(30);
            assertThat(b.duplicates()).isEmpty();
            assertThat(f.state().deadLetters().open(SYNC)).isEmpty();
        }
    }

    @Test
    void extraPullKeysAreSentWhenConfiguredAndIgnoredByA() throws Exception {
        try (FerryHarness f = harness(Db.H2, 3).start()) {
            JellyFishSourceSimulator a = f.sandbox().jellyFishSource();
            a.offsetKey("cursor");
            SyncRun run = new SyncRun(new SyncSettings("pull-probe", "id", 10, false, "id"), 0);
            Exchange out = f.app().camel().createProducerTemplate().send(
                    "jellyfish:pull?url=RAW(" + a.url() + JellyFishSourceSimulator.PATH + ")&offsetField=id&offsetKey=cursor"
                            + "&initialOffset=1&producerKey=topic1_shard1&uId=0&filter=#filter",
                    ex -> ex.setProperty(SyncRun.PROPERTY, run));
            assertThat(out.getException()).isNull();
            assertThat(out.getMessage().getBody(List.class)).hasSize(2);
            assertThat(run.paging().cursor(null)).isEqualTo("3");
            assertThat(run.isHasMore()).isTrue();
            Map<String, Object> request = a.requestsReceived().get(0);
            assertThat(request).containsEntry("cursor", "1").containsEntry("producerKey", "topic1_shard1")
                    .containsEntry("uId", "0").containsEntry("filter", "#filter").doesNotContainKey("offset");
        }
    }
}
