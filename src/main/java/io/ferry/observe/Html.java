package io.ferry.observe;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** HTML output of the console: every value shown goes through {@link #esc}. */
final class Html {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Html() {
    }

    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
            case '&' -> b.append("&amp;");
            case '<' -> b.append("&lt;");
            case '>' -> b.append("&gt;");
            case '"' -> b.append("&quot;");
            case '\'' -> b.append("&#39;");
            default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    /** A page with the navigation; {@code body} is HTML built with {@link #esc}. */
    static String page(String title, String flash, String csrf, boolean loginEnabled, String body) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ferry — ").append(esc(title))
                .append("</title><style>").append(CSS).append("</style></head><body><nav><b>Ferry</b>")
                .append("<a href=\"/\">Syncs</a><a href=\"/runs\">Runs</a><a href=\"/dead-letters\">Dead letters</a>")
                .append("<a href=\"/api-calls\">API calls</a>");
        if (loginEnabled) {
            b.append("<form method=\"post\" action=\"/logout\" class=\"right\">").append(csrfField(csrf))
                    .append("<button id=\"logout\">Log out</button></form>");
        }
        b.append("</nav><main><h1>").append(esc(title)).append("</h1>");
        if (flash != null && !flash.isEmpty()) {
            b.append("<p class=\"flash\" id=\"flash\">").append(esc(flash)).append("</p>");
        }
        b.append(body).append("</main></body></html>");
        return b.toString();
    }

    static String csrfField(String csrf) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(csrf) + "\">";
    }

    private static final String CSS = "body{font-family:sans-serif;margin:0;color:#222}nav{background:#234;padding:.6em 1em}"
            + "nav a,nav b{color:#fff;margin-right:1.2em;text-decoration:none}nav .right{float:right;margin:0}"
            + "main{padding:1em}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;"
            + "text-align:left;vertical-align:top}th{background:#eee}.num{text-align:right}.failed{color:#b00;font-weight:bold}"
            + ".succeeded{color:#070}.flash{background:#ffd;border:1px solid #cc8;padding:.5em}pre{white-space:pre-wrap;"
            + "max-width:70em;margin:0}form.inline{display:inline}";
}
