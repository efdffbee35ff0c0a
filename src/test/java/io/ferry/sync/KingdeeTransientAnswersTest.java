package io.ferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.ferry.sandbox.KingdeeSimulator;
import io.ferry.sandbox.WangdiantongSimulator;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * routes/wdt-shops-to-kingdee-customers.yaml against a Kingdee that answers "try again" in its own ways: each is
 * retried by the route (ferry-sync, per call) and every shop ends delivered, none dead-lettered. Rows Kingdee saved
 * beside a row that met a deadlock are kept, not saved again.
 */
class KingdeeTransientAnswersTest {

    private static final String SYNC = "wdt-shops-to-kingdee-customers";
    private static final int SHOPS = 60;

    private static String number(int shop) {
        return (String) WangdiantongSimulator.shop(shop).get("shop_no");
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("a row refused with the deadlock, MsgCode 6, beside 19 saved rows",
                        (Consumer<KingdeeSimulator>) k -> k.deadlockNumber(number(5), 1)),
                Arguments.of("the same row meeting the deadlock twice",
                        (Consumer<KingdeeSimulator>) k -> k.deadlockNumber(number(25), 2)),
                Arguments.of("a response_error: answer",
                        (Consumer<KingdeeSimulator>) k -> k.responseErrorNextCalls(2)),
                Arguments.of("an nginx 502 page",
                        (Consumer<KingdeeSimulator>) k -> k.gatewayPageNextCalls(1, 502)),
                Arguments.of("an HTML page with status 200",
                        (Consumer<KingdeeSimulator>) k -> k.gatewayPageNextCalls(1, 200)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void theBatchIsSavedAgainAndEveryShopDelivered(String fault, Consumer<KingdeeSimulator> inject) throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, SHOPS)) {
            f.with("ferry.sync.wdt-shops-to-kingdee-customers.concurrency", "1").start();
            f.sandbox().wangdiantong().rateLimit(false);
            KingdeeSimulator kingdee = f.sandbox().kingdee();
            inject.accept(kingdee);

            RunRecord run = f.runSync(SYNC);

            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(SHOPS);
            assertThat(run.failed()).isZero();
            assertThat(f.state().deadLetters().open(SYNC)).isEmpty();
            assertThat(kingdee.customers()).hasSize(SHOPS);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = ?", SYNC)).isEqualTo(SHOPS);
            // nothing was saved twice: no row needed the "already used" look-up
            assertThat(kingdee.customersSaved()).isEqualTo(SHOPS);
            assertThat(kingdee.queries()).isZero();
        }
    }

    @org.junit.jupiter.api.Test
    void aDeadlockedLookUpAndACutAnswerAreRetriedAndTheSavedRowsCountAsDelivered() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, SHOPS)) {
            f.with("ferry.sync.wdt-shops-to-kingdee-customers.concurrency", "1").start();
            f.sandbox().wangdiantong().rateLimit(false);
            KingdeeSimulator kingdee = f.sandbox().kingdee();
            // saved by an earlier life that stopped before marking: found again with ExecuteBillQuery
            kingdee.preSave(number(3), (String) WangdiantongSimulator.shop(3).get("shop_name"));
            kingdee.deadlockNextQueries(1);
            // the first batch is saved, and its answer (with shop 3's Chinese duplicate message) cut in a character
            kingdee.cutNextAnswers(1);

            RunRecord run = f.runSync(SYNC);

            assertThat(run.status()).isEqualTo("succeeded");
            assertThat(run.written()).isEqualTo(SHOPS);
            assertThat(run.failed()).isZero();
            assertThat(f.state().deadLetters().open(SYNC)).isEmpty();
            assertThat(kingdee.customers()).hasSize(SHOPS);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE sync_name = ? AND target_ref IS NOT NULL", SYNC))
                    .isEqualTo(SHOPS);
        }
    }
}
