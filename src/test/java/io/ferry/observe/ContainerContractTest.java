package io.ferry.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ferry.state.RunRepository.RunRecord;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** What the Dockerfile relies on: the bash health check, and a stop that ends within its timeout, losing nothing. */
class ContainerContractTest {

    @Test
    void theHealthCheckScriptAnswersFromLivenessWithoutAJvm() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.H2, 10).start()) {
            ManagementServer server = f.app().camel().getRegistry().lookupByNameAndType(Observability.MANAGEMENT_BEAN,
                    ManagementServer.class);
            assertThat(healthcheck(server.port())).isZero();
        }
        assertThat(healthcheck(FerryHarness.freePort())).isEqualTo(1);
    }

    @Test
    void aStopDuringARunEndsWithinTheShutdownTimeoutAndTheNextRunCompletesTheTarget() throws Exception {
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 3000).with("camel.main.shutdown-timeout", "2").start()) {
            // at the vendor's 5 calls a second, 30 pages take about 6 s: the stop comes in the middle
            CompletableFuture<RunRecord> run = CompletableFuture.supplyAsync(() -> f.runSync("jst-shops-to-mysql"));
            while (f.count("SELECT COUNT(*) FROM bi_shop") == 0) {
                Thread.sleep(50);
            }
            long t0 = System.nanoTime();
            f.app().close();
            Duration stop = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(stop).isLessThan(Duration.ofSeconds(10));
            try {
                run.get(10, TimeUnit.SECONDS);
            } catch (Exception stopped) {
                // the run was stopped with the context
            }
            f.start();
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).as("rows written before the stop").isBetween(1L, 2999L);
            assertThat(f.count("SELECT COUNT(*) FROM ferry_run WHERE status = 'running'")).isZero();
            RunRecord next = f.runSync("jst-shops-to-mysql");
            assertThat(next.status()).isEqualTo("succeeded");
            assertThat(f.count("SELECT COUNT(*) FROM bi_shop")).isEqualTo(3000);
            assertThat(f.count("SELECT COUNT(DISTINCT shop_id) FROM bi_shop")).isEqualTo(3000);
        }
    }

    private static int healthcheck(int port) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/healthcheck.sh").redirectErrorStream(true);
        pb.environment().put("FERRY_MANAGEMENT_PORT", String.valueOf(port));
        Process p = pb.start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
