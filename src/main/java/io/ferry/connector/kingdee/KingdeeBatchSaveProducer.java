package io.ferry.connector.kingdee;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.ferry.http.ApiHttp.Caller;
import io.ferry.kernel.Failure;
import io.ferry.kernel.RowResult;
import io.ferry.kernel.RunContext;
import io.ferry.kernel.TargetConfigurationException;
import io.ferry.kernel.TransientException;

/**
 * Saves a {@code List<Map>} body of Model rows with BatchSave (one call per {@code batchSize} rows) and reports
 * each row's outcome in the {@value RowResult#HEADER} header, by position in the body:
 * <ul>
 * <li>a row in {@code SuccessEntitys} is delivered, with Kingdee's Id as its target reference;</li>
 * <li>a row refused because its number is already used (违反字段唯一性要求…已经被使用。) was saved before — by an
 * earlier run that stopped before marking it — so its Id is looked up with ExecuteBillQuery and it counts as
 * delivered: a crash between save and mark never creates a duplicate;</li>
 * <li>a row refused with a deadlock (MsgCode 6 …死锁…请重新运行该事务) is not the row's fault: the call throws a
 * {@link TransientException}, the route tries again, and the next attempt sends only the rows still without an
 * outcome (the outcomes known are kept on the exchange, {@value #OUTCOMES}), so the rows saved beside it are kept;</li>
 * <li>any other refused row is rejected with Kingdee's message (the pipeline dead-letters it);</li>
 * <li>a row with neither outcome (a server that rolls back the whole batch when one row fails) is sent once more
 * without the failed rows.</li>
 * </ul>
 * A batch refused as a whole for a reason about the sync's setup — 业务对象不存在 (no such form), 元数据中标识为X的字段不存在
 * (a field key the form does not have), no permission — is a {@link TargetConfigurationException}: every row would
 * be refused the same way, so the run fails at once with Kingdee's message instead of dead-lettering them all.
 * Rows whose inner id ({@code FCUSTID} for customers) is set are updates: they go in their own BatchSave with
 * {@code NeedUpDateFields}. What is transient is decided by {@link KingdeeClient#classify}: transport failures, HTML and
 * truncated answers, {@code response_error:}, MsgCode 14 and a deadlock are thrown as a transient exception, retried by
 * the route.
 */
class KingdeeBatchSaveProducer extends DefaultProducer {

    private static final Logger LOG = LoggerFactory.getLogger(KingdeeBatchSaveProducer.class);
    private static final String DUPLICATE_PREFIX = "违反字段唯一性要求";
    private static final String DUPLICATE_SUFFIX = "已经被使用。";
    /**
     * The outcomes known so far of the rows of the batch being written, kept on the exchange while the route retries
     * it: a redelivery sends only the rows still without one, so that the rows Kingdee saved beside a row that met a
     * deadlock are not sent again.
     */
    static final String OUTCOMES = "FerryKingdeeOutcomes";
    /**
     * The Numbers saved by this batch still to be submitted and audited (submit/audit), kept on the exchange while the
     * route retries: a Submit or Audit that failed for now is made again without saving the rows again.
     */
    static final String PENDING = "FerryKingdeePending";

    private final KingdeeSaveEndpoint endpoint;
    private final KingdeeComponent component;
    private final String idField;
    private KingdeeClient client;

    KingdeeBatchSaveProducer(KingdeeSaveEndpoint endpoint, KingdeeComponent component) {
        super(endpoint);
        this.endpoint = endpoint;
        this.component = component;
        this.idField = endpoint.resolvedIdField();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        if (!(body instanceof List<?> list)) {
            throw new IllegalArgumentException("kingdee:batchSave expects a list of Model rows, got "
                    + (body == null ? "nothing" : body.getClass().getName()));
        }
        if (client == null) {
            // made on first use, so that it finds the API-call log bound after the routes started
            client = component.client();
        }
        RunContext run = RunContext.find(exchange);
        Caller caller = run == null ? Caller.NONE : new Caller(run.syncName(), run.runId());
        RowResult[] known = exchange.getProperty(OUTCOMES, RowResult[].class);
        RowResult[] results = known != null && known.length == list.size() ? known : new RowResult[list.size()];
        // a transient failure below leaves the outcomes already known here for the route's next attempt
        exchange.setProperty(OUTCOMES, results);
        List<Map<String, Object>> rows = new ArrayList<>(list.size());
        List<Integer> creates = new ArrayList<>();
        List<Integer> updates = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (!(item instanceof Map<?, ?> m)) {
                rows.add(null);
                results[i] = RowResult.rejected(i, "a Model row must be a JSON object, got " + (item == null ? "null" : item.getClass().getSimpleName()));
                continue;
            }
            rows.add((Map<String, Object>) m);
            if (results[i] == null) {
                (isUpdate(m) ? updates : creates).add(i);
            }
        }
        int size = endpoint.rowsPerCall();
        @SuppressWarnings("unchecked")
        Map<Integer, String> pending = exchange.getProperty(PENDING, Map.class);
        if (pending == null) {
            pending = new LinkedHashMap<>();
            exchange.setProperty(PENDING, pending);
        }
        for (List<Integer> group : List.of(creates, updates)) {
            for (int from = 0; from < group.size(); from += size) {
                List<Integer> part = group.subList(from, Math.min(group.size(), from + size));
                Set<Integer> fresh = new LinkedHashSet<>();
                save(caller, rows, part, group == updates, results, true, fresh);
                if (endpoint.submits()) {
                    // only what this save saved: a row found saved before ("already used") keeps the status it has
                    for (int i : fresh) {
                        if (rows.get(i).get(endpoint.getNumberField()) != null) {
                            pending.put(i, String.valueOf(rows.get(i).get(endpoint.getNumberField())));
                        }
                    }
                }
            }
        }
        if (!pending.isEmpty()) {
            new KingdeeStatusChange(client, endpoint).apply(caller, pending, results);
        }
        exchange.removeProperty(PENDING);
        exchange.removeProperty(OUTCOMES);
        exchange.getIn().setHeader(RowResult.HEADER, Arrays.asList(results));
    }

    private void save(Caller caller, List<Map<String, Object>> rows, List<Integer> indexes, boolean update, RowResult[] results,
            boolean resendUnanswered, Set<Integer> fresh) {
        List<Map<String, Object>> model = new ArrayList<>(indexes.size());
        Set<String> fields = new LinkedHashSet<>();
        for (int i : indexes) {
            model.add(rows.get(i));
            fields.addAll(rows.get(i).keySet());
        }
        Map<String, Object> data = data(endpoint, idField, model, fields, update);
        String operation = endpoint.service();
        Map<String, Object> result = client.formCall(caller, operation, endpoint.getFormId(), data);
        Map<String, Object> status = result.get("ResponseStatus") instanceof Map<?, ?> s ? cast(s) : Map.of();
        if (isConfigurationError(status)) {
            if (KingdeeClient.isUnknownForm(status)) {
                throw new TargetConfigurationException("kingdee: the form " + endpoint.getFormId() + " does not exist on this server ("
                        + operation + " answered MsgCode " + status.get("MsgCode") + ": " + KingdeeClient.messages(status)
                        + "); check formId on kingdee:" + endpoint.getOperation());
            }
            throw new TargetConfigurationException("kingdee " + operation + " of " + endpoint.getFormId() + " refused the whole batch: "
                    + KingdeeClient.messages(status) + " (MsgCode " + status.get("MsgCode")
                    + "; check formId on kingdee:" + endpoint.getOperation() + " and the field keys the mapping writes)");
        }

        RowResult[] local = new RowResult[indexes.size()];
        if (status.get("SuccessEntitys") instanceof List<?> saved) {
            for (Object o : saved) {
                if (o instanceof Map<?, ?> e) {
                    int p = position(e.get("DIndex"), indexes.size());
                    if (p >= 0) {
                        local[p] = RowResult.delivered(indexes.get(p), String.valueOf(e.get("Id")));
                        fresh.add(indexes.get(p));
                        // known at once: a look-up that fails below must not make this row be sent again
                        results[indexes.get(p)] = local[p];
                    }
                }
            }
        }
        Map<Integer, List<String>> errors = new LinkedHashMap<>();
        List<Integer> again = new ArrayList<>();
        List<String> general = new ArrayList<>();
        if (status.get("Errors") instanceof List<?> errs) {
            for (Object o : errs) {
                if (!(o instanceof Map<?, ?> e)) {
                    continue;
                }
                String message = String.valueOf(e.get("Message"));
                int p = e.get("DIndex") == null ? -1 : position(e.get("DIndex"), indexes.size());
                if (p >= 0 && local[p] == null) {
                    errors.computeIfAbsent(p, k -> new ArrayList<>()).add(message);
                } else if (p < 0) {
                    general.add(message);
                }
            }
        }
        for (Map.Entry<Integer, List<String>> e : errors.entrySet()) {
            int p = e.getKey();
            String message = String.join("; ", e.getValue());
            Map<String, Object> row = rows.get(indexes.get(p));
            if (KingdeeClient.classifyRowError(message) == Failure.TRANSIENT) {
                // a deadlock, not the row's fault: it is saved again, not dead-lettered
                again.add(indexes.get(p));
                continue;
            }
            local[p] = isDuplicate(message) ? alreadySaved(caller, indexes.get(p), row, message)
                    : RowResult.rejected(indexes.get(p), message);
            results[indexes.get(p)] = local[p];
        }
        if (!again.isEmpty()) {
            throw new TransientException("kingdee " + operation + " of " + endpoint.getFormId() + " could not save " + again.size()
                    + " row(s) for now: " + String.join("; ", errors.get(indexes.indexOf(again.get(0))))
                    + " (saving them again; the rows it saved are kept)");
        }

        List<Integer> unanswered = new ArrayList<>();
        for (int p = 0; p < local.length; p++) {
            if (local[p] == null) {
                unanswered.add(indexes.get(p));
            } else {
                results[indexes.get(p)] = local[p];
            }
        }
        if (unanswered.isEmpty()) {
            return;
        }
        if (resendUnanswered && unanswered.size() < indexes.size() && !errors.isEmpty()) {
            LOG.info("kingdee: {} of {} left {} row(s) without an outcome beside {} refused; sending them again",
                    operation, endpoint.getFormId(), unanswered.size(), errors.size());
            save(caller, rows, unanswered, update, results, false, fresh);
            return;
        }
        String why = general.isEmpty() ? "Kingdee reported no outcome for this row (" + KingdeeClient.messages(status) + ")"
                : String.join("; ", general);
        for (int i : unanswered) {
            results[i] = RowResult.rejected(i, why);
        }
    }

    /** The number was used by an earlier save of this very record: find its Id and count the row as delivered. */
    private RowResult alreadySaved(Caller caller, int index, Map<String, Object> row, String message) {
        Object number = row.get(endpoint.getNumberField());
        if (number == null || number.toString().isBlank()) {
            return RowResult.rejected(index, message);
        }
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("FormId", endpoint.getFormId());
        query.put("FieldKeys", idField);
        query.put("FilterString", endpoint.getNumberField() + "='" + number.toString().replace("'", "''") + "'");
        query.put("StartRow", 0);
        query.put("Limit", 2);
        List<List<Object>> found = client.executeBillQuery(caller, query);
        if (found.isEmpty() || found.get(0).isEmpty() || found.get(0).get(0) == null) {
            // the number is taken but not visible to this user (data permissions): not ours to claim
            return RowResult.rejected(index, message);
        }
        String id = String.valueOf(found.get(0).get(0));
        LOG.info("kingdee: {} {} was saved before (Id {}); counted as delivered", endpoint.getFormId(), number, id);
        return RowResult.delivered(index, id);
    }

    /** Nothing saved, and the answer says the request itself names something the account cannot use. */
    static boolean isConfigurationError(Map<String, Object> status) {
        return KingdeeClient.isWholeCallFailure(status) && KingdeeClient.classify(status) == Failure.CONFIGURATION;
    }

    static boolean isDuplicate(String message) {
        return message != null && message.startsWith(DUPLICATE_PREFIX) && message.endsWith(DUPLICATE_SUFFIX);
    }

    /** The {@code data} of a BatchSave (or Save) call of these Model rows, updates with the fields they update. */
    static Map<String, Object> data(KingdeeSaveEndpoint endpoint, String idField, List<Map<String, Object>> model,
            Set<String> fields, boolean update) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (update) {
            Set<String> updated = new LinkedHashSet<>(fields);
            updated.remove(idField);
            data.put("NeedUpDateFields", new ArrayList<>(updated));
        }
        data.put("IsAutoSubmitAndAudit", endpoint.isAutoSubmitAndAudit());
        data.put("IsVerifyBaseDataField", endpoint.isVerifyBaseDataField());
        data.put("Model", endpoint.isBatch() ? model : model.get(0));
        return data;
    }

    /**
     * The calls a batch of Model rows is sent as, without sending: creates, then updates (an inner id set), in groups
     * of rowsPerCall, each as the WebAPI service and its body {@code {"formid":…,"data":{…}}}.
     */
    @SuppressWarnings("unchecked")
    static List<Object> render(KingdeeSaveEndpoint endpoint, List<?> rows) {
        String idField = endpoint.resolvedIdField();
        List<Map<String, Object>> creates = new ArrayList<>();
        List<Map<String, Object>> updates = new ArrayList<>();
        for (Object row : rows) {
            if (row instanceof Map<?, ?> m) {
                (isUpdate(m, idField) ? updates : creates).add((Map<String, Object>) m);
            }
        }
        List<Object> calls = new ArrayList<>();
        int size = endpoint.rowsPerCall();
        for (List<Map<String, Object>> group : List.of(creates, updates)) {
            for (int from = 0; from < group.size(); from += size) {
                List<Map<String, Object>> model = group.subList(from, Math.min(group.size(), from + size));
                Set<String> fields = new LinkedHashSet<>();
                model.forEach(m -> fields.addAll(m.keySet()));
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("formid", endpoint.getFormId());
                body.put("data", data(endpoint, idField, new ArrayList<>(model), fields, group == updates));
                Map<String, Object> call = new LinkedHashMap<>();
                call.put("service", KingdeeClient.FORM + endpoint.service());
                call.put("body", body);
                calls.add(call);
            }
        }
        return calls;
    }

    private boolean isUpdate(Map<?, ?> row) {
        return isUpdate(row, idField);
    }

    private static boolean isUpdate(Map<?, ?> row, String idField) {
        Object id = row.get(idField);
        if (id instanceof Number n) {
            return n.longValue() != 0;
        }
        return id != null && !id.toString().isBlank() && !id.toString().trim().equals("0");
    }

    /** A DIndex as a position in this call's Model array, or -1. */
    private static int position(Object dIndex, int size) {
        int p;
        if (dIndex instanceof Number n) {
            p = n.intValue();
        } else {
            try {
                p = Integer.parseInt(String.valueOf(dIndex).trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return p >= 0 && p < size ? p : -1;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
