package io.ferry.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import io.ferry.state.DeadLetterRepository.Stage;
import io.ferry.deadletter.DeadLetterService;
import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/** The sync MBean io.ferry:type=sync,name=<sync> on the platform MBeanServer, as jconsole or a JMX agent sees it. */
class SyncMBeanTest {

    private static final String SYNC = "jst-shops-to-mysql";

    @Test
    void showsTheLastRunAndRunsTheSyncNow() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("io.ferry:type=sync,name=" + SYNC);
        try (FerryHarness f = new FerryHarness(Db.H2, 120).start()) {
            f.sandbox().jushuitan().rateLimit(false);
            assertThat(jmx.isRegistered(name)).isTrue();
            // Camel's own MBeans sit beside Ferry's
            assertThat(jmx.queryNames(new ObjectName("org.apache.camel:context=ferry,type=routes,*"), null)).isNotEmpty();
            assertThat(jmx.getAttribute(name, "LastRunStatus")).isNull();
            // one process without a cluster service runs every sync itself
            assertThat(jmx.getAttribute(name, "Leader")).isEqualTo("not clustered");

            String result = (String) jmx.invoke(name, "runNow", new Object[0], new String[0]);
            assertThat(result).contains("succeeded").contains("written=120");
            assertThat(jmx.getAttribute(name, "LastRunStatus")).isEqualTo("succeeded");
            assertThat(jmx.getAttribute(name, "Read")).isEqualTo(120);
            assertThat(jmx.getAttribute(name, "Written")).isEqualTo(120);
            assertThat(jmx.getAttribute(name, "Skipped")).isEqualTo(0);
            assertThat(jmx.getAttribute(name, "Failed")).isEqualTo(0);
            assertThat((String) jmx.getAttribute(name, "LastRunStart")).isNotBlank();
            assertThat((String) jmx.getAttribute(name, "LastRunEnd")).isNotBlank();
            assertThat(jmx.getAttribute(name, "Running")).isEqualTo(false);

            // after a restart the attributes come from the state database
            f.restart();
            assertThat(jmx.getAttribute(name, "LastRunStatus")).isEqualTo("succeeded");
            assertThat(jmx.getAttribute(name, "Written")).isEqualTo(120);

            // a dead letter of a shop that is synced meanwhile: replay closes it without sending it again
            f.state().deadLetters().add(SYNC, null, "10000005", Stage.SINK, "{}", "X", "bad", 1);
            assertThat(jmx.getAttribute(name, "OpenDeadLetters")).isEqualTo(1);

            assertThat((String) jmx.invoke(name, "replayDeadLetters", new Object[0], new String[0]))
                    .isEqualTo("1 dead letter(s) of " + SYNC + " replayed");
            assertThat(jmx.getAttribute(name, "OpenDeadLetters")).isEqualTo(0);

        }
        assertThat(jmx.isRegistered(name)).isFalse();
    }
}
