package io.ferry.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;

import io.ferry.support.FerryHarness;
import io.ferry.support.FerryHarness.Db;

/**
 * Every sync runs, once with good credentials and once with a wrong one for each vendor; then the whole log and
 * every text column of Ferry's tables are searched for each secret, token and password, and for signatures.
 */
class SecretsNeverLeakTest {

    @Test
    void noSecretInLogsOrTables() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        List<String> secrets = new ArrayList<>();
        try (FerryHarness f = new FerryHarness(Db.MARIADB, 120)) {
            for (Map.Entry<String, String> p : f.sandbox().properties().entrySet()) {
                if (Pattern.compile("(secret|password|token)$").matcher(p.getKey()).find()) {
                    secrets.add(p.getValue().contains(":") ? p.getValue().substring(0, p.getValue().indexOf(':')) : p.getValue());
                }
            }
            assertThat(secrets).hasSizeGreaterThanOrEqualTo(6);
            f.start();
            f.sandbox().jushuitan().rateLimit(false);
            f.sandbox().wangdiantong().rateLimit(false);
            for (String sync : f.app().syncs().names()) {
                assertThat(f.runSync(sync).status()).as(sync).isEqualTo("succeeded");
            }
            // wrong credentials everywhere: the errors must not echo what was sent
            f.with("camel.component.jushuitan.access-token", "wrong-token-1")
                    .with("camel.component.kingdee.app-secret", "wrong-secret-2")
                    .with("camel.component.wangdiantong.app-secret", "wrong-secret-3:salt").restart();
            f.sandbox().wangdiantong().addShops(1);
            f.sandbox().jushuitan().addShops(1);
            for (String sync : f.app().syncs().names()) {
                f.runSync(sync);
            }
            secrets.addAll(List.of("wrong-token-1", "wrong-secret-2", "wrong-secret-3"));

            StringBuilder everything = new StringBuilder();
            for (ILoggingEvent e : log.list) {
                everything.append(e.getFormattedMessage()).append('\n');
                if (e.getThrowableProxy() != null) {
                    everything.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
                }
            }
            assertThat(log.list).hasSizeGreaterThan(10);
            for (String table : List.of("ferry_api_call", "ferry_run", "ferry_dead_letter", "ferry_synced_key", "ferry_offset")) {
                f.sql().query("SELECT * FROM " + table, rs -> {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        everything.append(rs.getString(i)).append('\t');
                    }
                    return everything.append('\n');
                });
            }
            String all = everything.toString();
            assertThat(f.count("SELECT COUNT(*) FROM ferry_api_call")).isGreaterThan(10);
            for (String secret : secrets) {
                assertThat(all).as("secret of length %d", secret.length()).doesNotContain(secret);
            }
            // signatures (32-hex MD5, 64-hex SHA-256) are never stored with their parameter name
            assertThat(Pattern.compile("(?i)(sign|wdt_sign)=[0-9a-f]{32}").matcher(all).find()).isFalse();
        } finally {
            root.detachAppender(log);
        }
    }
}
