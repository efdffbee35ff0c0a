package io.ferry.sandbox;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vendor simulators Ferry's main job runs against on a machine with no vendor account: each one on its own
 * port on 127.0.0.1, with fresh credentials, and the properties that point Ferry's components at them.
 */
public class Sandbox implements AutoCloseable {

    private final List<SimulatorServer> servers = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final JushuitanSimulator jushuitan;
    private final KingdeeSimulator kingdee;
    private final WangdiantongSimulator wangdiantong;
    private final JellyFishSourceSimulator jellyFishSource;
    private final JellyFishTargetSimulator jellyFishTarget;
    private final JsonApiSimulator jsonApi;

    /** The JSON API simulator's limit; the sync's own (application.properties) stays under it. */
    static final int JSON_API_REQUESTS_PER_SECOND = 20;

    private final int shops;

    /** @param shops how many shops each source serves */
    public Sandbox(int shops) {
        this.shops = shops;
        String jstKey = "sandbox-app";
        String jstSecret = randomSecret();
        String jstToken = randomSecret();
        jushuitan = new JushuitanSimulator(jstKey, jstSecret, jstToken, shops);
        add(jushuitan);
        properties.put("camel.component.jushuitan.base-url", jushuitan.url());
        properties.put("camel.component.jushuitan.app-key", jstKey);
        properties.put("camel.component.jushuitan.app-secret", jstSecret);
        properties.put("camel.component.jushuitan.access-token", jstToken);
        // orders over the last ten days, a fifth of them changed again later (some of those changes still to come),
        // visible two seconds after their change; the sync reads them from ten days ago, 5 s behind now
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        jushuitan.orders().generate(20261201L, shops, now.minus(java.time.Duration.ofDays(10)), now.minusSeconds(60), 0.2,
                java.time.Duration.ofMinutes(10)).replicaLag(java.time.Duration.ofSeconds(2));
        properties.put("ferry.sync.jst-orders-to-mysql.window-start",
                now.minus(java.time.Duration.ofDays(10)).atOffset(java.time.ZoneOffset.ofHours(8)).toString());
        properties.put("ferry.sync.jst-orders-to-mysql.lag", "PT5S");

        String kdAcct = randomSecret().substring(0, 24);
        String kdUser = "ferry";
        String kdPassword = randomSecret();
        String kdAppId = "sandbox_" + randomSecret().substring(0, 12);
        String kdAppSecret = randomSecret();
        kingdee = new KingdeeSimulator(kdAcct, kdUser, kdPassword, kdAppId, kdAppSecret);
        add(kingdee);
        properties.put("camel.component.kingdee.base-url", kingdee.baseUrl());
        properties.put("camel.component.kingdee.acct-id", kdAcct);
        properties.put("camel.component.kingdee.username", kdUser);
        properties.put("camel.component.kingdee.password", kdPassword);
        properties.put("camel.component.kingdee.app-id", kdAppId);
        properties.put("camel.component.kingdee.app-secret", kdAppSecret);
        properties.put("camel.component.kingdee.login-method", "sign");
        String wdtSid = "sandbox-sid";
        String wdtKey = "sandbox-wdt";
        String wdtSecret = randomSecret() + ":" + randomSecret().substring(0, 8);
        String qimenKey = "sandbox-qimen";
        String qimenSecret = randomSecret();
        String targetKey = "sandbox-target";
        wangdiantong = new WangdiantongSimulator(wdtSid, wdtKey, wdtSecret, qimenKey, qimenSecret, targetKey, shops);
        add(wangdiantong);
        // trades over the last six hours, a fifth changed within ten minutes; read in 60-minute windows from then
        wangdiantong.trades().generate(20261202L, shops, now.minus(java.time.Duration.ofHours(6)), now.minusSeconds(60), 0.2,
                java.time.Duration.ofMinutes(10)).replicaLag(java.time.Duration.ofSeconds(2));
        properties.put("ferry.sync.wdt-trades-to-mysql.window-start",
                now.minus(java.time.Duration.ofHours(6)).atOffset(java.time.ZoneOffset.ofHours(8)).toString());
        properties.put("ferry.sync.wdt-trades-to-mysql.lag", "PT5S");
        properties.put("camel.component.wangdiantong.base-url", wangdiantong.url());
        properties.put("camel.component.wangdiantong.qimen-url", wangdiantong.url() + WangdiantongSimulator.QIMEN_PATH);
        properties.put("camel.component.wangdiantong.sid", wdtSid);
        properties.put("camel.component.wangdiantong.app-key", wdtKey);
        properties.put("camel.component.wangdiantong.app-secret", wdtSecret);
        properties.put("camel.component.wangdiantong.qimen-app-key", qimenKey);
        properties.put("camel.component.wangdiantong.qimen-secret", qimenSecret);
        properties.put("camel.component.wangdiantong.target-app-key", targetKey);

        jellyFishSource = new JellyFishSourceSimulator(shops, 100);
        add(jellyFishSource);
        jellyFishTarget = new JellyFishTargetSimulator();
        add(jellyFishTarget);
        properties.put("ferry.sync.jellyfish-a-to-b.pull-url", jellyFishSource.url() + JellyFishSourceSimulator.PATH);
        properties.put("ferry.sync.jellyfish-a-to-b.push-url", jellyFishTarget.url() + JellyFishTargetSimulator.PATH);
        String jsonApiToken = randomSecret();
        jsonApi = new JsonApiSimulator(jsonApiToken, shops, JSON_API_REQUESTS_PER_SECOND);
        add(jsonApi);
        properties.put("ferry.sync.jsonapi-orders-to-mysql.url", jsonApi.url() + JsonApiSimulator.BY_CURSOR);
        properties.put("ferry.sync.jsonapi-orders-to-mysql.token", jsonApiToken);
        // the simulator itself, for a sync of one's own against its other paging styles (docs/writing-a-sync.md)
        properties.put("ferry.sandbox.jsonapi.url", jsonApi.url());
        // the sandbox's credentials are made up for each start and handed to Ferry as plain values: Camel's warning
        // about plain-text secrets (right for a real configuration) says nothing here
        properties.put("camel.security.secret-policy", "allow");
    }

    /**
     * For {@code ferry sandbox}: when the Kingdee simulator holds no customer, stores {@code shops} of them, created
     * over the last 30 days up to an hour ago, a fifth saved again up to three days later (never past that hour),
     * and points kingdee-customers-to-mysql's first window at the 30 days. Not done by the constructor: tests count
     * the customers they save themselves.
     */
    public Sandbox seedKingdeeCustomers() {
        if (!kingdee.customers().isEmpty()) {
            return this;
        }
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        java.time.Instant from = now.minus(java.time.Duration.ofDays(30));
        saveKingdeeCustomers(20261203L, shops, from, now.minus(java.time.Duration.ofHours(1)), 0.2);
        properties.put("ferry.sync.kingdee-customers-to-mysql.window-start", from.atOffset(java.time.ZoneOffset.ofHours(8)).toString());
        properties.put("ferry.sync.kingdee-customers-to-mysql.lag", "PT5S");
        return this;
    }

    /**
     * {@code count} more customers in the Kingdee simulator, numbered after the customers {@code CUST…} it holds,
     * created between {@code from} and {@code last} and never saved again: new records for kingdee-customers-to-mysql.
     */
    public Sandbox addKingdeeCustomers(long seed, int count, java.time.Instant from, java.time.Instant last) {
        saveKingdeeCustomers(seed, count, from, last, 0);
        return this;
    }

    /** A share {@code savedAgain} of them saved again up to three days later (never past {@code last}). */
    private void saveKingdeeCustomers(long seed, int count, java.time.Instant from, java.time.Instant last, double savedAgain) {
        java.time.ZoneId zone = java.time.ZoneId.of("Asia/Shanghai");
        long span = Math.max(1, java.time.Duration.between(from, last).toSeconds());
        java.util.Random random = new java.util.Random(seed);
        int first = 1 + (int) kingdee.customers().keySet().stream().filter(n -> n.startsWith("CUST")).count();
        for (int i = first; i < first + count; i++) {
            java.time.Instant created = from.plusSeconds(Math.floorMod(random.nextLong(), span));
            java.time.Instant modified = created;
            if (random.nextDouble() < savedAgain) {
                java.time.Instant later = created.plusSeconds(1 + Math.floorMod(random.nextLong(), 3 * 86_400L));
                modified = later.isAfter(last) ? last : later;
            }
            Map<String, Object> customer = new LinkedHashMap<>();
            customer.put("FNumber", String.format("CUST%06d", i));
            customer.put("FName", "沙箱客户" + i);
            customer.put("FShortName", "客户" + i);
            customer.put("FCreateOrgId", Map.of("FNumber", "100"));
            customer.put("FUseOrgId", Map.of("FNumber", "100"));
            customer.put("FCreateDate", java.time.LocalDateTime.ofInstant(created, zone));
            customer.put("FModifyDate", java.time.LocalDateTime.ofInstant(modified, zone));
            kingdee.preSave(KingdeeSimulator.FORM, customer);
        }
    }

    private void add(SimulatorServer server) {
        server.start();
        servers.add(server);
    }

    /** Properties that point Ferry at the simulators (they win over application.properties). */
    public Map<String, String> properties() {
        return properties;
    }

    public JushuitanSimulator jushuitan() {
        return jushuitan;
    }

    public KingdeeSimulator kingdee() {
        return kingdee;
    }

    public WangdiantongSimulator wangdiantong() {
        return wangdiantong;
    }

    public JellyFishSourceSimulator jellyFishSource() {
        return jellyFishSource;
    }

    public JellyFishTargetSimulator jellyFishTarget() {
        return jellyFishTarget;
    }

    public JsonApiSimulator jsonApi() {
        return jsonApi;
    }

    public List<SimulatorServer> servers() {
        return servers;
    }

    static String randomSecret() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        servers.forEach(SimulatorServer::close);
    }
}
