package io.ferry.observe;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/** A generic webhook: the alert as a flat JSON object (source, kind, sync, runId, message, node, at). */
public class JsonWebhookSink implements AlertSink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;

    public JsonWebhookSink(String url) {
        this.url = URI.create(url);
    }

    @Override
    public void send(Alert alert) throws IOException, InterruptedException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", "ferry");
        m.put("kind", alert.kind());
        m.put("sync", alert.sync());
        m.put("runId", alert.runId());
        m.put("message", alert.message());
        m.put("node", alert.node());
        m.put("at", alert.at().toString());
        Webhooks.postJson(url, JSON.writeValueAsString(m));
    }

    @Override
    public String describe() {
        return "webhook " + Webhooks.hostOf(url);
    }
}
