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

    /** @param shops how many shops each source serves */
    public Sandbox(int shops) {
        String jstKey = "sandbox-app";
        String jstSecret = randomSecret();
        String jstToken = randomSecret();
        jushuitan = new JushuitanSimulator(jstKey, jstSecret, jstToken, shops);
        add(jushuitan);
        properties.put("camel.component.jushuitan.base-url", jushuitan.url());
        properties.put("camel.component.jushuitan.app-key", jstKey);
        properties.put("camel.component.jushuitan.app-secret", jstSecret);
        properties.put("camel.component.jushuitan.access-token", jstToken);

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
