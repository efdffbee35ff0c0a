package io.ferry.pipeline;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.ferry.kernel.Records;
import io.ferry.kernel.RunContext;
import io.ferry.state.SyncedKeyRepository.SyncedKey;

/**
 * The dedup query of a page read ahead, asked on the thread that read it while the route works on the page before
 * ({@link RunContext#readingAhead()}), so that {@code ferry:dedup} finds the answer waiting instead of waiting for the
 * database (a fifth of the route thread's time, docs/benchmarks.md).
 * <p>
 * Rule: nothing is written twice. An answer asked earlier does not know of the marks this run wrote since: a key
 * delivered on an earlier page and marked after the query was asked is no longer pending, and the answer says it is
 * not synced. So every key marked after a look-up was handed out is remembered until that look-up is used, and
 * {@code ferry:dedup} counts those keys as synced. Only the route's thread calls the methods here, except
 * {@link RunContext.PageAhead#read} of a look-up, which writes only that look-up.
 */
final class KeysLookedUpAhead {

    /** Look-ups handed out and not yet used or dropped: the page being read ahead and, at most, the one before it. */
    private static final int LIVE = 2;

    /** One page's look-up: its records, the query's answer (null until it came, or when it failed). */
    final class LookUp implements RunContext.PageAhead {
        /** The marks noted up to when this look-up was handed out; the query sees them all. */
        private final long marksBefore;
        private volatile List<Map<String, Object>> records;
        private volatile Map<String, SyncedKey> synced;

        private LookUp(long marksBefore) {
            this.marksBefore = marksBefore;
        }

        @Override
        public void read(List<Map<String, Object>> page) {
            Set<String> keys = new LinkedHashSet<>();
            for (Map<String, Object> record : page) {
                String key = Records.field(record, keyField);
                if (key != null) {
                    keys.add(key);
                }
            }
            try {
                synced = query.apply(keys);
            } catch (RuntimeException e) {
                // the route's own query, with its retries, asks again when it takes the page
                synced = null;
            }
            records = page;
        }
    }

    /** The answer for a page: the keys it found synced, and the keys this run marked since it was asked. */
    record Answer(Map<String, SyncedKey> synced, Set<String> markedSince) {
    }

    private record Marked(long seq, Collection<String> keys) {
    }

    private final String keyField;
    private final Function<Collection<String>, Map<String, SyncedKey>> query;
    private final Deque<LookUp> live = new ArrayDeque<>();
    private final Deque<Marked> marks = new ArrayDeque<>();
    private long markSeq;

    KeysLookedUpAhead(String keyField, Function<Collection<String>, Map<String, SyncedKey>> query) {
        this.keyField = keyField;
        this.query = query;
    }

    /** A look-up for the page about to be read ahead. */
    LookUp handOut() {
        if (live.size() >= LIVE) {
            live.removeFirst();
        }
        LookUp l = new LookUp(markSeq);
        live.addLast(l);
        prune();
        return l;
    }

    /** Keys this run has just marked (their mark is written): remembered while a look-up asked before may not know them. */
    void marked(Collection<String> keys) {
        markSeq++;
        if (!live.isEmpty() && !keys.isEmpty()) {
            marks.addLast(new Marked(markSeq, new ArrayList<>(keys)));
        }
    }

    /** The look-up of this very page (the list the source gave), if its query answered; it is used once. */
    Answer take(List<?> page) {
        for (java.util.Iterator<LookUp> it = live.iterator(); it.hasNext();) {
            LookUp l = it.next();
            if (l.records == page) {
                it.remove();
                Map<String, SyncedKey> synced = l.synced;
                Answer answer = null;
                if (synced != null) {
                    Set<String> since = new HashSet<>();
                    for (Marked m : marks) {
                        if (m.seq() > l.marksBefore) {
                            since.addAll(m.keys());
                        }
                    }
                    answer = new Answer(synced, since);
                }
                prune();
                return answer;
            }
        }
        return null;
    }

    /** Drops the marks every live look-up was asked after. */
    private void prune() {
        long oldest = Long.MAX_VALUE;
        for (LookUp l : live) {
            oldest = Math.min(oldest, l.marksBefore);
        }
        while (!marks.isEmpty() && marks.peekFirst().seq() <= oldest) {
            marks.removeFirst();
        }
    }
}
