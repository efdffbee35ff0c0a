package io.ferry.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ferry.http.ApiCall;
import io.ferry.operate.DeadLetterActions;
import io.ferry.operate.DeadLetterJobs;
import io.ferry.operate.Fleet.SyncView;
import io.ferry.state.ApiCallRepository.StoredCall;
import io.ferry.state.DeadLetterRepository.DeadLetter;
import io.ferry.state.RunRepository.RunRecord;

/** The JSON shapes of the API's answers (documented in openapi/ferry-api.yaml), as maps in the order they are written. */
final class ApiJson {

    private ApiJson() {
    }

    static Map<String, Object> sync(SyncView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sync", v.sync());
        m.put("state", v.state());
        m.put("inThisProcess", v.inThisProcess());
        m.put("lastRun", v.lastRun() == null ? null : run(v.lastRun()));
        m.put("lastError", v.lastError());
        // a replay's run beside the sync's own: shown apart, it never hides how the sync's last run ended
        m.put("lastReplay", v.lastReplay() == null ? null : run(v.lastReplay()));
        m.put("lastSuccess", time(v.lastSuccess()));
        m.put("nextRun", v.nextRun());
        m.put("openDeadLetters", v.openDeadLetters());
        m.put("runningRunId", v.runningRunId());
        m.put("notConfigured", v.notConfigured());
        m.put("position", v.position());
        m.put("role", v.role());
        m.put("leader", v.leader() == null ? null : v.leader().node());
        m.put("leaderSince", v.leader() == null ? null : time(v.leader().since()));
        return m;
    }

    /** A job and its results from position {@code from} on (at most {@code limit}; none when 0). */
    static Map<String, Object> job(DeadLetterJobs.Job j, int from, int limit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("action", j.action().id());
        m.put("selection", j.selection());
        m.put("actor", j.actor());
        m.put("status", j.status());
        m.put("startedAt", time(j.startedAt()));
        m.put("endedAt", time(j.endedAt()));
        m.put("total", j.total());
        m.put("tried", j.tried());
        m.put("succeeded", j.succeeded());
        m.put("error", j.error());
        if (limit > 0) {
            List<DeadLetterActions.Result> results = j.results(from, limit + 1);
            List<Object> items = new ArrayList<>();
            results.stream().limit(limit).forEach(r -> items.add(result(r)));
            boolean more = results.size() > limit;
            m.put("results", page(items, limit, more, more ? String.valueOf(from + limit) : null, (long) j.tried()));
        }
        return m;
    }

    static Map<String, Object> result(DeadLetterActions.Result r) {
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("id", r.id());
        i.put("sync", r.sync());
        i.put("key", r.key());
        i.put("outcome", r.outcome());
        i.put("reason", r.reason());
        return i;
    }

    static Map<String, Object> page(List<Object> items, int limit, boolean more, String next, Long total) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("limit", limit);
        m.put("hasMore", more);
        m.put("next", next);
        if (total != null) {
            m.put("total", total);
        }
        return m;
    }

    static Map<String, Object> run(RunRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("sync", r.syncName());
        m.put("kind", r.kind());
        m.put("status", r.status());
        m.put("startedAt", time(r.startedAt()));
        m.put("endedAt", time(r.endedAt()));
        m.put("pages", r.pages());
        m.put("read", r.read());
        m.put("skipped", r.skipped());
        m.put("written", r.written());
        m.put("failed", r.failed());
        m.put("error", r.error());
        return m;
    }

    static Map<String, Object> deadLetter(DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("sync", d.syncName());
        m.put("runId", d.runId());
        m.put("key", d.key());
        m.put("stage", d.stage().name());
        m.put("status", d.status());
        m.put("attempts", d.attempts());
        m.put("firstFailedAt", time(d.firstFailedAt()));
        m.put("lastFailedAt", time(d.lastFailedAt()));
        m.put("errorClass", d.errorClass());
        m.put("errorMessage", d.errorMessage());
        m.put("resolution", d.resolution());
        m.put("payload", d.payload());
        return m;
    }

    static Map<String, Object> call(StoredCall s) {
        ApiCall c = s.call();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("at", time(c.at()));
        m.put("sync", c.sync());
        m.put("runId", c.runId());
        m.put("system", c.system());
        m.put("direction", c.direction());
        m.put("endpoint", c.endpoint());
        m.put("httpStatus", c.httpStatus());
        m.put("vendorCode", c.vendorCode());
        m.put("latencyMillis", c.latencyMillis());
        m.put("error", c.error());
        // the bodies as the log keeps them: masked and truncated when they were recorded
        m.put("requestBody", c.requestBody());
        m.put("responseBody", c.responseBody());
        return m;
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
