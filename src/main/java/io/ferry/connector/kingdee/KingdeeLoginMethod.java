package io.ferry.connector.kingdee;

import java.util.Locale;

/** How Ferry opens a Kingdee session (protocols.md §1.2); chosen by {@code camel.component.kingdee.login-method}. */
public enum KingdeeLoginMethod {
    /** LoginBySign: the app secret never travels, only a SHA-256 signature (Kingdee's recommended way). */
    SIGN("LoginBySign"),
    /** LoginByAppSecret: the app secret is sent as a parameter. */
    APP_SECRET("LoginByAppSecret"),
    /** ValidateUser: user name and password. */
    PASSWORD("ValidateUser"),
    /** No login call: every request signed with the X-Api-* and X-Kd-* headers (the newer SDKs' way, §1.2 (d)). */
    API_SIGNATURE("X-Api signature");

    private final String service;

    KingdeeLoginMethod(String service) {
        this.service = service;
    }

    /** The AuthService operation, e.g. {@code LoginBySign}. */
    public String service() {
        return service;
    }

    /** False for the per-request signature: there is no session to open. */
    public boolean logsIn() {
        return this != API_SIGNATURE;
    }

    /** Accepts the property's values {@code sign}, {@code app-secret}, {@code password} and {@code api-signature}. */
    public static KingdeeLoginMethod parse(String value) {
        String v = value == null ? "" : value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (KingdeeLoginMethod m : values()) {
            if (m.name().equals(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException("camel.component.kingdee.login-method is '" + value
                + "'; expected sign, app-secret, password or api-signature");
    }
}
