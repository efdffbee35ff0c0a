package io.ferry.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.ferry.state.DeadLetterRepository.DeadLetter;
import io.ferry.sandbox.JushuitanSimulator;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** Replay and discard of dead letters, through the sync's own mapping, sink and dedup rule. */
class DeadLetterReplayTest {

    private static final String SYNC = "jst-shops-to-mysql";

    @Test
    void aReplayedRowIsDeliveredMarkedAndClosed() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 40).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            Map<String, Object> tooLong = JushuitanSimulator.shop(9);
            tooLong.put("shop_name", "长".repeat(300));
            f.sandbox().jushuitan().overrideShop(9, tooLong);
            assertThat(f.runSync(SYNC).failed()).isEqualTo(1);
            DeadLetter dl = f.state().deadLetters().open(SYNC).get(0);

            // still refused: one more attempt, still open
            assertThat(f.app().deadLetters().replayOne(dl.id())).isFalse();
            assertThat(f.state().deadLetters().find(dl.id()).attempts()).isEqualTo(2);
            assertThat(f.state().deadLetters().find(dl.id()).status()).isEqualTo("open");

            // the BI table is widened: the replay delivers the row as it was kept
            exec(f, "ALTER TABLE bi_shop MODIFY shop_name VARCHAR(400) NOT NULL");
            assertThat(f.app().deadLetters().replay(SYNC)).isEqualTo(1);
            assertThat(f.state().deadLetters().find(dl.id()).status()).isEqualTo("replayed");
            assertThat(f.count("SELECT COUNT(*) FROM ferry_synced_key WHERE record_key = '10000009'")).isEqualTo(1);
            assertThat(f.count("SELECT CHAR_LENGTH(shop_name) FROM bi_shop WHERE shop_id = 10000009")).isEqualTo(300);
            // the next run finds it synced
            assertThat(f.runSync(SYNC).skipped()).isEqualTo(40);
        }
    }

    @Test
    void aKeySyncedMeanwhileIsNotSentAgainAndADiscardedLetterIsClosed() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 20).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            Map<String, Object> keyless = JushuitanSimulator.shop(2);
            keyless.remove("shop_id");
            f.sandbox().jushuitan().overrideShop(2, keyless);
            Map<String, Object> tooLong = JushuitanSimulator.shop(4);
            tooLong.put("shop_name", "长".repeat(300));
            f.sandbox().jushuitan().overrideShop(4, tooLong);
            assertThat(f.runSync(SYNC).failed()).isEqualTo(2);
            f.sandbox().jushuitan().clearShopOverrides();
            // the fixed shop 4 arrives with the next run (which closes its dead letter); the keyless one stays open
            assertThat(f.runSync(SYNC).written()).isEqualTo(2);
            DeadLetter keylessLetter = f.state().deadLetters().open(SYNC).get(0);
            assertThat(keylessLetter.key()).isNull();
            assertThat(f.app().deadLetters().replayOne(keylessLetter.id())).isFalse();
            assertThat(f.state().deadLetters().find(keylessLetter.id()).attempts()).isEqualTo(2);

            assertThat(f.app().deadLetters().discard(keylessLetter.id(), "no key at the source")).isTrue();
            assertThat(f.state().deadLetters().find(keylessLetter.id()).status()).isEqualTo("discarded");
            assertThat(f.state().deadLetters().find(keylessLetter.id()).resolution()).isEqualTo("no key at the source");
            assertThat(f.app().deadLetters().discard(keylessLetter.id(), "again")).isFalse();
            assertThat(f.state().deadLetters().open(SYNC)).isEmpty();
        }
    }

    @Test
    void anUnknownSyncIsAClearError() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 1).start()) {
            assertThatThrownBy(() -> f.app().deadLetters().replay("no-such-sync")).hasMessageContaining("no-such-sync");
        }
    }

    private static void exec(FerryHarness f, String sql) throws Exception {
        try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
