package io.ferry.auth;

/**
 * Who made a request: a user (basic authentication), an API token (bearer) or a user logged in to the console (a
 * browser session), by name, with its role.
 */
public record Principal(String name, Kind kind, Role role) {

    public enum Kind {
        USER, TOKEN, SESSION;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
