package io.ferry.api;

import java.util.List;
import java.util.Set;

import io.vertx.ext.web.RoutingContext;

/**
 * A request's query parameters, checked: only the names an endpoint knows, each at most once, numbers that are numbers
 * and in range, values from a closed list where there is one. Anything else is a 400 naming the parameter.
 */
final class Query {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final int MAX_TEXT = 200;

    private final RoutingContext ctx;

    Query(RoutingContext ctx, Set<String> known) {
        this.ctx = ctx;
        for (String name : ctx.queryParams().names()) {
            if (!known.contains(name)) {
                throw ApiException.badRequest("unknown parameter '" + cut(name) + "'; this endpoint takes: "
                        + String.join(", ", new java.util.TreeSet<>(known)));
            }
            if (ctx.queryParams().getAll(name).size() > 1) {
                throw ApiException.badRequest("parameter '" + name + "' is given more than once");
            }
        }
    }

    String text(String name) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        if (v.length() > MAX_TEXT) {
            throw ApiException.badRequest(name + " is longer than " + MAX_TEXT + " characters");
        }
        return v.strip();
    }

    String oneOf(String name, List<String> values) {
        String v = text(name);
        if (v != null && !values.contains(v)) {
            throw ApiException.badRequest(name + " '" + cut(v) + "' is not one of: " + String.join(", ", values));
        }
        return v;
    }

    Long id(String name) {
        String v = text(name);
        return v == null ? null : positive(name, v);
    }

    int limit() {
        String v = text("limit");
        if (v == null) {
            return DEFAULT_LIMIT;
        }
        long n = number("limit", v);
        if (n < 1 || n > MAX_LIMIT) {
            throw ApiException.badRequest("limit must be between 1 and " + MAX_LIMIT + ", not " + v);
        }
        return (int) n;
    }

    /** A positive whole number that fits a database id. */
    static long positive(String name, String v) {
        long n = number(name, v);
        if (n < 1) {
            throw ApiException.badRequest(name + " must be a positive whole number, not " + cut(v));
        }
        return n;
    }

    private static long number(String name, String v) {
        if (!v.matches("-?\\d{1,18}")) {
            throw ApiException.badRequest(name + " must be a whole number below 10^18, not '" + cut(v) + "'");
        }
        return Long.parseLong(v);
    }

    static String cut(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
