package io.ferry.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ferry.kernel.Records;
import io.ferry.state.SyncedKeyRepository.SyncedKey;

/**
 * The dedup rule, once for {@code ferry:dedup} (which acts on it) and {@link SourceRead} (which only reports it): a
 * record without its key is rejected, a key that came earlier in the page or is still pending in the read is a
 * repeat, a key already synced is skipped unless the sync sends changed records again and its content hash moved.
 */
final class DedupDecision {

    private DedupDecision() {
    }

    /** What a record of a page is, before the synced keys are asked. */
    enum Kind {
        KEYED, REPEATED, NO_KEY, NOT_OBJECT
    }

    /** A page's records sorted out by key: the first record of each new key, in order, and the others. */
    record Keyed(Map<String, Map<?, ?>> byKey, List<Object> keyless, List<Kind> kinds, List<String> keys) {
    }

    /**
     * Sorts a page out by key. {@code pending} holds the keys read earlier and not yet confirmed: a record with one of
     * them, or with a key that came earlier in this page, is a repeat.
     */
    static Keyed byKey(List<?> page, String keyField, Collection<String> pending) {
        Map<String, Map<?, ?>> byKey = new LinkedHashMap<>();
        List<Object> keyless = new ArrayList<>();
        List<Kind> kinds = new ArrayList<>(page.size());
        List<String> keys = new ArrayList<>(page.size());
        for (Object item : page) {
            String key = item instanceof Map<?, ?> record ? Records.field(record, keyField) : null;
            keys.add(key);
            if (key == null) {
                keyless.add(item);
                kinds.add(item instanceof Map ? Kind.NO_KEY : Kind.NOT_OBJECT);
            } else if (byKey.containsKey(key) || pending.contains(key)) {
                kinds.add(Kind.REPEATED);
            } else {
                byKey.put(key, (Map<?, ?>) item);
                kinds.add(Kind.KEYED);
            }
        }
        return new Keyed(byKey, keyless, kinds, keys);
    }

    /** Why a record without its key is rejected (as the dead letter says). */
    static String keylessReason(Object item, String keyField) {
        return item instanceof Map ? "record has no " + keyField : "record is not a JSON object";
    }

    /** A keyed record once its key was looked up. */
    enum Verdict {
        /** not synced yet, or synced with other content by a sync that sends changed records again */
        DELIVER,
        /** synced before, and its sync does not send a record again */
        SYNCED,
        /** synced before with the same content (a sync that sends changed records again) */
        UNCHANGED
    }

    /** @param known the key's synced row, or null when it is not synced */
    static Verdict decide(SyncedKey known, Map<?, ?> record, boolean updateChanged) {
        if (known == null) {
            return Verdict.DELIVER;
        }
        if (!updateChanged) {
            return Verdict.SYNCED;
        }
        return Objects.equals(known.contentHash(), Records.contentHash(record)) ? Verdict.UNCHANGED : Verdict.DELIVER;
    }
}
