package io.ferry.pipeline;

/**
 * What a route says about its sync on its {@code ferry:start} step.
 *
 * @param sync          the sync's name (also its route id)
 * @param keyField      the field of a source record that is its business key; a dotted path reaches into objects
 * @param maxPages      a bound on pages per run, whatever the source says
 * @param updateChanged content-hash mode: a record whose content changed since it was synced is sent again
 *                      (the mapping sees the stored target reference as {@code $targetRef})
 * @param offsetField   incremental syncs: the field whose value of the last delivered record is the next offset
 * @param errorLimit    how many rejected records a run may have and still succeed
 * @param window        syncs read by time window: the declared windows (docs/time-windows.md); else null
 */
public record SyncSettings(String sync, String keyField, int maxPages, boolean updateChanged, String offsetField,
        ErrorLimit errorLimit, io.ferry.kernel.Windows.Spec window) {

    public SyncSettings(String sync, String keyField, int maxPages, boolean updateChanged, String offsetField) {
        this(sync, keyField, maxPages, updateChanged, offsetField, ErrorLimit.DEFAULT);
    }

    public SyncSettings(String sync, String keyField, int maxPages, boolean updateChanged, String offsetField,
            ErrorLimit errorLimit) {
        this(sync, keyField, maxPages, updateChanged, offsetField, errorLimit, null);
    }

    /** A sync that keeps a position in ferry_offset (an offset field or a time window) instead of a whole scan's page. */
    public boolean incremental() {
        return offsetField != null || window != null;
    }
}
