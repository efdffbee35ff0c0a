package io.ferry.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.zaxxer.hikari.HikariDataSource;

import io.ferry.state.Databases;
import io.ferry.state.FerryState;
import io.ferry.kernel.StateException;
import io.ferry.state.SyncedKeyRepository.SyncedKey;
import io.ferry.support.TcpProxy;
import io.ferry.support.TestDatabases;

/** A mark written while MariaDB is away for a moment is written when it is back, within the retry policy. */
class StateWriteRetriesTest {

    @Test
    void aMarkRidesThroughAnOutageShorterThanThePolicyAndFailsAfterIt() throws Exception {
        String url = TestDatabases.newMysqlDatabase();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 3306);
                HikariDataSource ds = Databases.pool("retries-test", url.replace("127.0.0.1:3306", "127.0.0.1:" + proxy.port()),
                        TestDatabases.MYSQL_USER, TestDatabases.MYSQL_PASSWORD, 2, 300)) {
            Databases.migrateState(ds);
            FerryState state = new FerryState(ds, "retries-test");
            Runnable mark = () -> state.syncedKeys("s").markSynced(List.of(new SyncedKey("k1", null, null)), 1L);

            // 4 retries, 0.2 s then 0.4, 0.8, 0.8 s apart, each waiting 0.3 s for a connection: about 3.7 s in all
            StateWriteRetries policy = new StateWriteRetries(4, 200, 2, 800);
            proxy.cut();
            CompletableFuture<Void> back = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(1_500);
                    proxy.restore();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            policy.run("marking k1", mark);
            back.get();
            assertThat(state.syncedKeys("s").findSynced(List.of("k1"))).containsKey("k1");

            // the same outage outlasts a write with no retries
            proxy.cut();
            assertThatThrownBy(() -> new StateWriteRetries(0, 200, 2, 800).run("marking k1", mark)).isInstanceOf(StateException.class);
            proxy.restore();
        } finally {
            TestDatabases.dropMysqlDatabase(url);
        }
    }
}
