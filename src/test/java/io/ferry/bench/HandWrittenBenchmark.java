package io.ferry.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;

import io.ferry.connector.jushuitan.JushuitanSigner;

/**
 * The practical limit: the same sync written by hand without Camel and without any state. Signed form POST per
 * page over Apache HttpClient 5 (classic, pooled: the client Ferry's vendor clients use), Jackson tree, a mapping in plain Java equal to jst-shop-to-bi.jsonata, and a JDBC
 * batch upsert of 20 rows (rewriteBatchedStatements) with the route's SQL, on one connection, auto-commit.
 * <p>
 * Arguments: simulatorUrl appKey appSecret accessToken jdbcUrl. System property {@value #BATCH_PROPERTY}: rows per
 * batch (20); {@link FerryBenchmark} gives Ferry's sync the same, so both sides write batches of one size.
 */
public final class HandWrittenBenchmark {

    static final String UPSERT = "INSERT INTO bi_shop (shop_id, shop_name, co_id, shop_site, shop_url, nick, created_at, "
            + "session_expired, session_uid, short_name, group_id, group_name, synced_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP(3)) "
            + "ON DUPLICATE KEY UPDATE shop_name = VALUES(shop_name), co_id = VALUES(co_id), shop_site = VALUES(shop_site), "
            + "shop_url = VALUES(shop_url), nick = VALUES(nick), created_at = VALUES(created_at), "
            + "session_expired = VALUES(session_expired), session_uid = VALUES(session_uid), short_name = VALUES(short_name), "
            + "group_id = VALUES(group_id), group_name = VALUES(group_name), synced_at = VALUES(synced_at)";
    private static final int PAGE_SIZE = 100;
    /** Rows per batch on both sides of the comparison (-Dbench.batch, passed by BENCH_JVM_ARGS to every measured JVM). */
    static final String BATCH_PROPERTY = "bench.batch";
    private static final int BATCH = Integer.getInteger(BATCH_PROPERTY, 20);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ObjectMapper JSON = new ObjectMapper();

    private HandWrittenBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String appKey = args[1];
        String secret = args[2];
        String token = args[3];
        String jdbc = args[4];
        URI uri = URI.create(base + "/open/shops/query");
        try (CloseableHttpClient http = HttpClients.custom().disableAutomaticRetries().build();
                Connection c = DriverManager.getConnection(jdbc, "root", "")) {
            createTable(c);
            StatementCounter.reset();
            HeapWatch heap = HeapWatch.start();
            long t0 = System.nanoTime();
            long records = 0;
            int pages = 0;
            try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                int inBatch = 0;
                boolean more = true;
                for (int page = 1; more; page++) {
                    JsonNode data = fetch(http, uri, appKey, secret, token, page);
                    pages++;
                    JsonNode datas = data.get("datas");
                    for (JsonNode shop : datas) {
                        bind(ps, shop);
                        ps.addBatch();
                        records++;
                        if (++inBatch == BATCH) {
                            ps.executeBatch();
                            inBatch = 0;
                        }
                    }
                    more = data.path("has_next").asBoolean(false) && datas.size() > 0;
                }
                if (inBatch > 0) {
                    ps.executeBatch();
                }
            }
            long nanos = System.nanoTime() - t0;
            new BenchResult().put("variant", "hand-written").put("batch", BATCH).put("pages", pages).measured(records, nanos, heap).emit();
            heap.close();
        }
    }

    static JsonNode fetch(CloseableHttpClient http, URI uri, String appKey, String secret, String token, int page)
            throws Exception {
        JsonNode root = post(http, uri, appKey, secret, token, "{\"page_index\":" + page + ",\"page_size\":" + PAGE_SIZE + "}");
        if (root.path("code").asInt(-1) != 0) {
            throw new IllegalStateException("page " + page + ": " + root);
        }
        return root.get("data");
    }

    /** One signed form POST of {@code biz}; the whole answer (any code) of an HTTP 200. */
    static JsonNode post(CloseableHttpClient http, URI uri, String appKey, String secret, String token, String biz)
            throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("app_key", appKey);
        form.put("access_token", token);
        form.put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        form.put("charset", "utf-8");
        form.put("version", "2");
        form.put("biz", biz);
        form.put("sign", JushuitanSigner.sign(secret, form));
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> e : form.entrySet()) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        HttpPost post = new HttpPost(uri);
        post.setEntity(new StringEntity(body.toString(), ContentType.create("application/x-www-form-urlencoded", StandardCharsets.UTF_8)));
        return http.execute(post, resp -> {
            JsonNode root;
            try (InputStream in = resp.getEntity().getContent()) {
                root = JSON.readTree(in);
            }
            if (resp.getCode() != 200) {
                throw new IllegalStateException(biz + ": HTTP " + resp.getCode() + " " + root);
            }
            return root;
        });
    }

    /** jst-shop-to-bi.jsonata, by hand. */
    private static void bind(PreparedStatement ps, JsonNode s) throws Exception {
        ps.setLong(1, s.get("shop_id").asLong());
        ps.setString(2, s.path("shop_name").asText().trim());
        setLong(ps, 3, s.get("co_id"));
        setText(ps, 4, s.get("shop_site"));
        setText(ps, 5, s.get("shop_url"));
        setText(ps, 6, s.get("nick"));
        setTime(ps, 7, s.get("created"));
        setTime(ps, 8, s.get("session_expired"));
        setText(ps, 9, s.get("session_uid"));
        setText(ps, 10, s.get("short_name"));
        setLong(ps, 11, s.get("group_id"));
        setText(ps, 12, s.get("group_name"));
    }

    private static void setLong(PreparedStatement ps, int i, JsonNode v) throws Exception {
        if (v == null || v.isNull()) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v.asLong());
        }
    }

    private static void setText(PreparedStatement ps, int i, JsonNode v) throws Exception {
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v.asText());
        }
    }

    private static void setTime(PreparedStatement ps, int i, JsonNode v) throws Exception {
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            ps.setNull(i, Types.TIMESTAMP);
        } else {
            ps.setTimestamp(i, Timestamp.valueOf(LocalDateTime.parse(v.asText(), TIME)));
        }
    }

    /** The BI table exactly as Ferry's migration creates it. */
    static void createTable(Connection c) throws Exception {
        String ddl;
        try (InputStream in = HandWrittenBenchmark.class.getResourceAsStream("/db/bi/V1__bi_shop.sql")) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ddl = ddl.replaceAll("(?m)^--.*$", "");
        try (Statement st = c.createStatement()) {
            st.execute(ddl);
        }
    }
}
