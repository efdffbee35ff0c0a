package io.ferry.observe;

import static io.ferry.observe.Html.esc;
import static io.ferry.observe.Html.time;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

import io.ferry.config.SettingProblem;
import io.ferry.state.ApiCallRepository;
import io.ferry.state.DeadLetterRepository.DeadLetter;
import io.ferry.state.ApiCallRepository.Search;
import io.ferry.state.ApiCallRepository.StoredCall;
import io.ferry.pipeline.SyncRegistry;
import io.ferry.state.FerryState;
import io.ferry.state.RunRepository.RunRecord;
import io.ferry.state.Sql;

/** The console's pages, read from the state tables (so they are right after a restart). */
final class ConsolePages {

    private final FerryState state;
    private final SyncRegistry syncs;
    private final ApiCallRepository apiCalls;
    private final SyncActions actions;
    /** a property's value or null: {@code ferry.sync.<name>.cron}, {@code ferry.schedules.enabled} */
    private final Function<String, String> properties;

    ConsolePages(FerryState state, SyncRegistry syncs, ApiCallRepository apiCalls, SyncActions actions,
            Function<String, String> properties) {
        this.state = state;
        this.syncs = syncs;
        this.apiCalls = apiCalls;
        this.actions = actions;
        this.properties = properties;
    }

    /**
     * Syncs this process runs and syncs that ran before: status, last and next run, counts, message, run-now; a sync
     * that is not configured says so and lists the settings it lacks instead of offering to run.
     */
    String syncs(String csrf) {
        TreeSet<String> names = new TreeSet<>(syncs.names());
        names.addAll(new Sql(state.dataSource()).query("SELECT DISTINCT sync_name FROM ferry_run", rs -> rs.getString(1)));
        Map<String, Integer> open = new OpenDeadLetters(state.dataSource()).refresh();
        StringBuilder b = new StringBuilder("<table id=\"syncs\"><tr><th>Sync</th><th>Now</th><th>Last run</th><th>Status</th>"
                + "<th>Started</th><th>Ended</th><th>Read</th><th>Skipped</th><th>Written</th><th>Failed</th><th>Message</th>"
                + "<th>Last replay</th><th>Open dead letters</th><th>Next run</th><th>Windows read up to</th><th></th></tr>");
        for (String s : names) {
            SyncStatus standing = SyncStatus.read(state.runs(), s);
            RunRecord r = standing.lastRun();
            boolean known = syncs.syncs().containsKey(s);
            List<SettingProblem> missing = actions.configuration().problems(s);
            b.append("<tr data-sync=\"").append(esc(s)).append("\"><td><a href=\"/runs?sync=").append(esc(url(s))).append("\">")
                    .append(esc(s)).append("</a></td><td class=\"now\">")
                    .append(!known ? "not in this process" : !missing.isEmpty() ? "not configured" : syncs.isRunning(s) ? "running" : "idle")
                    .append("</td>");
            if (r == null) {
                b.append("<td>–</td><td class=\"status\">never run</td><td></td><td></td><td class=\"read num\"></td>"
                        + "<td class=\"skipped num\"></td><td class=\"written num\"></td><td class=\"failed-count num\"></td>"
                        + "<td class=\"message\"></td>");
            } else {
                b.append("<td class=\"run-id\">").append(r.id()).append("</td><td class=\"status ").append(esc(r.status())).append("\">")
                        .append(esc(r.status())).append("</td><td>").append(time(r.startedAt())).append("</td><td>")
                        .append(time(r.endedAt())).append("</td><td class=\"read num\">").append(r.read())
                        .append("</td><td class=\"skipped num\">").append(r.skipped()).append("</td><td class=\"written num\">")
                        .append(r.written()).append("</td><td class=\"failed-count num\">").append(r.failed())
                        // why the last run failed, as health, alerts and `ferry status` say it
                        .append("</td><td class=\"message\">").append(esc(r.error())).append("</td>");
            }
            b.append("<td class=\"last-replay\">").append(esc(standing.replayLine())).append("</td>");
            int dl = open.getOrDefault(s, 0);
            b.append("<td class=\"num\">").append(dl == 0 ? "0" : "<a href=\"/dead-letters?sync=" + esc(url(s)) + "\">" + dl + "</a>")
                    .append("</td><td>").append(esc(missing.isEmpty() ? nextRun(s) : "none: its schedule is stopped")).append("</td>");
            // a sync read by time window: where its next run starts
            java.time.Instant position = state.offsets().windowPosition(s);
            b.append("<td class=\"window-position\">").append(position == null ? "" : time(position)).append("</td><td>");
            if (known && !missing.isEmpty()) {
                // what to set before it can run, instead of a Run now button
                b.append("<ul class=\"missing\">");
                for (SettingProblem p : missing) {
                    b.append("<li>").append(esc(p.toString())).append("</li>");
                }
                b.append("</ul>");
            } else if (known) {
                b.append("<form method=\"post\" action=\"/syncs/run\" class=\"inline\">").append(Html.csrfField(csrf))
                        .append("<input type=\"hidden\" name=\"sync\" value=\"").append(esc(s)).append("\">")
                        .append("<button id=\"run-now-").append(esc(s)).append("\">Run now</button></form>");
            }
            b.append("</td></tr>");
        }
        return b.append("</table>").toString();
    }

    private String nextRun(String sync) {
        if (!"true".equalsIgnoreCase(properties.apply("ferry.schedules.enabled"))) {
            return "schedules off";
        }
        String cron = properties.apply("ferry.sync." + sync + ".cron");
        if (cron == null || cron.isBlank()) {
            return "";
        }
        try {
            Date next = new org.quartz.CronExpression(cron).getNextValidTimeAfter(new Date());
            return next == null ? "" : time(next.toInstant());
        } catch (java.text.ParseException e) {
            return "bad cron: " + cron;
        }
    }

    String runs(String sync) {
        List<RunRecord> runs = state.runs().recent(blankToNull(sync), 200);
        StringBuilder b = new StringBuilder(filterForm("/runs", sync, null, null, null, false));
        b.append("<table id=\"runs\"><tr><th>Run</th><th>Sync</th><th>Kind</th><th>Status</th><th>Started</th><th>Ended</th><th>Pages</th>"
                + "<th>Read</th><th>Skipped</th><th>Written</th><th>Failed</th><th>Message</th></tr>");
        for (RunRecord r : runs) {
            b.append("<tr data-run=\"").append(r.id()).append("\"><td>").append(r.id()).append("</td><td>").append(esc(r.syncName()))
                    .append("</td><td class=\"kind\">").append(esc(r.kind())).append("</td><td class=\"status ").append(esc(r.status())).append("\">").append(esc(r.status()))
                    .append("</td><td>").append(time(r.startedAt())).append("</td><td>").append(time(r.endedAt()))
                    .append("</td><td class=\"num\">").append(r.pages()).append("</td><td class=\"num\">").append(r.read())
                    .append("</td><td class=\"num\">").append(r.skipped()).append("</td><td class=\"num written\">")
                    .append(r.written()).append("</td><td class=\"num\">").append(r.failed()).append("</td><td>")
                    .append(esc(r.error())).append("</td></tr>");
        }
        return b.append("</table>").toString();
    }

    String deadLetters(String sync, String csrf) {
        List<DeadLetter> open = state.deadLetters().open(blankToNull(sync));
        boolean service = actions.deadLetters() != null;
        StringBuilder b = new StringBuilder(filterForm("/dead-letters", sync, null, null, null, false));
        if (!service) {
            b.append("<p id=\"no-replay\">Replay and discard are unavailable: no dead-letter service is bound.</p>");
        } else {
            for (String s : new TreeSet<>(open.stream().map(DeadLetter::syncName).toList())) {
                b.append("<form method=\"post\" action=\"/dead-letters/replay\" class=\"inline\">").append(Html.csrfField(csrf))
                        .append("<input type=\"hidden\" name=\"sync\" value=\"").append(esc(s)).append("\">")
                        .append("<button>Replay the open dead letters of ").append(esc(s)).append("</button></form> ");
            }
        }
        b.append("<table id=\"dead-letters\"><tr><th>Id</th><th>Sync</th><th>Run</th><th>Key</th><th>Stage</th><th>Attempts</th>"
                + "<th>First failed</th><th>Last failed</th><th>Error</th><th>Payload</th><th></th></tr>");
        for (DeadLetter d : open) {
            b.append("<tr data-id=\"").append(d.id()).append("\"><td>").append(d.id()).append("</td><td>").append(esc(d.syncName()))
                    .append("</td><td>").append(esc(d.runId())).append("</td><td>").append(esc(d.key())).append("</td><td>")
                    .append(esc(d.stage())).append("</td><td class=\"num\">").append(d.attempts()).append("</td><td>")
                    .append(time(d.firstFailedAt())).append("</td><td>").append(time(d.lastFailedAt())).append("</td><td>")
                    .append(esc(d.errorClass())).append("<br>").append(esc(d.errorMessage())).append("</td><td><details><summary>")
                    .append(esc(abbrev(d.payload(), 60))).append("</summary><pre>").append(esc(d.payload()))
                    .append("</pre></details></td><td>");
            if (service) {
                b.append("<form method=\"post\" action=\"/dead-letters/discard\">").append(Html.csrfField(csrf))
                        .append("<input type=\"hidden\" name=\"id\" value=\"").append(d.id()).append("\">")
                        .append("<input name=\"reason\" placeholder=\"reason\" required> <button>Discard</button></form>");
            }
            b.append("</td></tr>");
        }
        return b.append("</table>").toString();
    }

    String apiCalls(String sync, String key, String from, String to) {
        List<StoredCall> calls = apiCalls.search(new Search(blankToNull(sync), blankToNull(key), instant(from), instant(to), 200));
        StringBuilder b = new StringBuilder(filterForm("/api-calls", sync, key, from, to, true));
        b.append("<table id=\"api-calls\"><tr><th>Id</th><th>At</th><th>Sync</th><th>Run</th><th>System</th><th>Direction</th>"
                + "<th>Endpoint</th><th>HTTP</th><th>Code</th><th>ms</th><th>Error</th><th>Request</th><th>Response</th></tr>");
        for (StoredCall s : calls) {
            var c = s.call();
            b.append("<tr><td>").append(s.id()).append("</td><td>").append(time(c.at())).append("</td><td>").append(esc(c.sync()))
                    .append("</td><td>").append(esc(c.runId())).append("</td><td>").append(esc(c.system())).append("</td><td>")
                    .append(esc(c.direction())).append("</td><td>").append(esc(c.endpoint())).append("</td><td class=\"num\">")
                    .append(c.httpStatus()).append("</td><td>").append(esc(c.vendorCode())).append("</td><td class=\"num\">")
                    .append(c.latencyMillis()).append("</td><td>").append(esc(c.error())).append("</td><td>")
                    .append(details(c.requestBody())).append("</td><td>").append(details(c.responseBody())).append("</td></tr>");
        }
        return b.append("</table>").toString();
    }

    private static String details(String body) {
        if (body == null) {
            return "";
        }
        return "<details><summary>" + esc(abbrev(body, 40)) + "</summary><pre>" + esc(body) + "</pre></details>";
    }

    private static String filterForm(String action, String sync, String key, String from, String to, boolean full) {
        StringBuilder b = new StringBuilder("<form method=\"get\" action=\"").append(action).append("\" id=\"filter\">")
                .append("<label>Sync <input name=\"sync\" value=\"").append(esc(sync)).append("\"></label> ");
        if (full) {
            b.append("<label>Key or text <input name=\"key\" value=\"").append(esc(key)).append("\"></label> ")
                    .append("<label>From <input type=\"datetime-local\" name=\"from\" value=\"").append(esc(from)).append("\"></label> ")
                    .append("<label>To <input type=\"datetime-local\" name=\"to\" value=\"").append(esc(to)).append("\"></label> ");
        }
        return b.append("<button>Search</button></form>").toString();
    }

    /** A {@code datetime-local} value in this machine's zone; anything else is no bound. */
    private static Instant instant(String local) {
        if (local == null || local.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(local).atZone(ZoneId.systemDefault()).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String abbrev(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String url(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
