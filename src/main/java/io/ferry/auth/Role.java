package io.ferry.auth;

import java.util.Arrays;
import java.util.Locale;

/** What a user or token may do; each role may do all that the roles before it may. */
public enum Role {
    /** reads everything */
    VIEWER,
    /** runs a sync now, replays and discards dead letters, pauses and resumes schedules */
    OPERATOR,
    /** edits a sync's state, and all else */
    ADMIN;

    public boolean covers(Role needed) {
        return compareTo(needed) >= 0;
    }

    /** The role's name as configured and answered: viewer, operator, admin. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the roles there are */
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.id().equals(s == null ? "" : s.strip().toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        throw new IllegalArgumentException("'" + s + "' is not a role; the roles: "
                + String.join(", ", Arrays.stream(values()).map(Role::id).toList()));
    }
}
