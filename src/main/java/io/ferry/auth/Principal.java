package io.ferry.auth;

/** Who made a request: a user (basic authentication) or an API token (bearer), by name, with its role. */
public record Principal(String name, Kind kind, Role role) {

    public enum Kind {
        USER, TOKEN;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
