package io.ferry.connector.kingdee;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.http.ApiHttp.Caller;
import io.ferry.kernel.RowResult;
import io.ferry.kernel.TargetConfigurationException;

/**
 * Submit, then Audit, the rows a save just saved, by their Numbers (protocols.md §1.8: Save → Submit → Audit with
 * {@code {"Numbers":[…]}}). The Numbers still to do stay in the map the caller keeps on the exchange: a call that fails
 * for now (a transient exception) leaves them there, so the route's next attempt submits or audits them without saving
 * the rows again; each step removes the Numbers it has done. A row Submit or Audit refuses is rejected with
 * Kingdee's message (it is saved, as the message says, but not audited); a step refused as a whole for the setup
 * (no permission, an unknown form) is a {@link TargetConfigurationException}.
 */
final class KingdeeStatusChange {

    private static final Logger LOG = LoggerFactory.getLogger(KingdeeStatusChange.class);
    /** Marks a pending Number whose Submit is done and whose Audit is still to do. */
    private static final String SUBMITTED = "\u0000submitted:";

    private final KingdeeClient client;
    private final KingdeeSaveEndpoint endpoint;

    KingdeeStatusChange(KingdeeClient client, KingdeeSaveEndpoint endpoint) {
        this.client = client;
        this.endpoint = endpoint;
    }

    /** Submits and audits the pending rows (row index → Number); empties the map when done. */
    void apply(Caller caller, Map<Integer, String> pending, RowResult[] results) {
        Map<Integer, String> toSubmit = new LinkedHashMap<>();
        pending.forEach((i, n) -> {
            if (!n.startsWith(SUBMITTED)) {
                toSubmit.put(i, n);
            }
        });
        if (!toSubmit.isEmpty()) {
            step(caller, "Submit", toSubmit, results);
            for (Map.Entry<Integer, String> e : toSubmit.entrySet()) {
                if (results[e.getKey()] != null && results[e.getKey()].delivered()) {
                    pending.put(e.getKey(), SUBMITTED + e.getValue());
                } else {
                    pending.remove(e.getKey());
                }
            }
        }
        if (endpoint.isAudit()) {
            Map<Integer, String> toAudit = new LinkedHashMap<>();
            pending.forEach((i, n) -> toAudit.put(i, n.startsWith(SUBMITTED) ? n.substring(SUBMITTED.length()) : n));
            if (!toAudit.isEmpty()) {
                step(caller, "Audit", toAudit, results);
            }
        }
        pending.clear();
    }

    private void step(Caller caller, String operation, Map<Integer, String> rows, RowResult[] results) {
        List<Integer> indexes = new ArrayList<>(rows.keySet());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("Numbers", new ArrayList<>(rows.values()));
        Map<String, Object> result = client.formCall(caller, operation, endpoint.getFormId(), data);
        Map<String, Object> status = result.get("ResponseStatus") instanceof Map<?, ?> s ? cast(s) : Map.of();
        if (KingdeeBatchSaveProducer.isConfigurationError(status)) {
            throw new TargetConfigurationException("kingdee " + operation + " of " + endpoint.getFormId() + " refused the whole call: "
                    + KingdeeClient.messages(status) + " (MsgCode " + status.get("MsgCode") + "; the rows are saved but not "
                    + (operation.equals("Submit") ? "submitted" : "audited") + "; check the user's permissions on the form)");
        }
        if (!(status.get("Errors") instanceof List<?> errors) || errors.isEmpty()) {
            return;
        }
        Iterator<?> it = errors.iterator();
        while (it.hasNext()) {
            if (!(it.next() instanceof Map<?, ?> e)) {
                continue;
            }
            int p = e.get("DIndex") instanceof Number n ? n.intValue() : -1;
            if (p < 0 || p >= indexes.size()) {
                continue;
            }
            int row = indexes.get(p);
            String saved = results[row] != null && results[row].targetRef() != null ? " (Id " + results[row].targetRef() + ")" : "";
            String message = "saved" + saved + " but " + operation + " refused it: " + e.get("Message");
            LOG.warn("kingdee: {} {}: {}", endpoint.getFormId(), rows.get(row), message);
            results[row] = RowResult.rejected(row, message);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
