package io.ferry.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;

import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;
import io.ferry.support.Reconciled;

/**
 * Every shipped sync whose target can be read back, reconciled right after a real run against the simulators: in
 * agreement (exit 0) with as many target rows as source records, so each route file's reconcileTarget, reconcileKey,
 * reconcileFields and reconcileZone fit its mapping and its table.
 */
class ShippedSyncsReconcileTest {

    @Test
    void everyReadableShippedSyncIsInAgreementAfterItsRun() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 120)) {
            f.with("ferry.sync.kingdee-customers-to-mysql.lag", "PT1S").start();
            f.sandbox().jushuitan().rateLimit(false);
            f.sandbox().wangdiantong().rateLimit(false);
            // the windowed syncs are compared up to an hour ago: the simulators' orders and trades near now still change
            String hourAgo = "/" + Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
            String[][] syncs = {
                    { "jst-shops-to-mysql", null },
                    { "jsonapi-orders-to-mysql", null },
                    { "wdt-shops-to-kingdee-customers", null },
                    { "kingdee-customers-to-mysql", null },
                    { "jst-orders-to-mysql", f.properties().get("ferry.sync.jst-orders-to-mysql.window-start") + hourAgo },
                    { "wdt-trades-to-mysql", f.properties().get("ferry.sync.wdt-trades-to-mysql.window-start") + hourAgo } };
            for (String[] s : syncs) {
                if (s[0].equals("kingdee-customers-to-mysql")) {
                    Thread.sleep(1500); // past its lag: the customers the sync before it saved are read
                }
                assertThat(f.runSync(s[0]).status()).as(s[0]).isEqualTo("succeeded");
                Reconciled r = Reconciled.of(s[0], s[1], f.properties());
                assertThat(r.exitCode()).as(s[0] + ": " + r).isZero();
                assertThat(r.sourceRecords()).as(s[0]).isGreaterThan(0);
                assertThat(r.targetRows()).as(s[0]).isEqualTo(r.sourceRecords());
            }
        }
    }
}
