package io.ferry.operate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ferry.deadletter.DeadLetterService;
import io.ferry.state.DeadLetterRepository;
import io.ferry.state.DeadLetterRepository.DeadLetter;

/**
 * Replays or discards dead letters and says for each what came of it: replayed, discarded, or why not
 * (not found, not open, a page that cannot be replayed, the reason the replay failed again).
 */
public final class DeadLetterActions {

    /** What happened to one dead letter: {@code done} true when it was replayed (or discarded). */
    public record Result(long id, String sync, String key, boolean done, String outcome, String reason) {
    }

    private final DeadLetterRepository deadLetters;
    private final DeadLetterService service;

    public DeadLetterActions(DeadLetterRepository deadLetters, DeadLetterService service) {
        this.deadLetters = deadLetters;
        this.service = service;
    }

    /** Replays the dead letters, each sync's in one replay run, and says for each what came of it. */
    public List<Result> replay(List<Long> ids) {
        return replay(ids, java.time.Duration.ZERO);
    }

    /**
     * As {@link #replay(List)}, but a sync that is running is waited for, up to {@code whileRunning}, before its dead
     * letters are said not replayed: a background job should not lose a chunk to a scheduled run.
     */
    public List<Result> replay(List<Long> ids, java.time.Duration whileRunning) {
        Map<Long, DeadLetter> before = new LinkedHashMap<>();
        Map<Long, String> refused = new LinkedHashMap<>();
        Map<String, List<Long>> bySync = new LinkedHashMap<>();
        for (long id : ids) {
            DeadLetter d = deadLetters.find(id);
            before.put(id, d);
            String why = notActionable(d);
            if (why == null && d.stage() == DeadLetterRepository.Stage.PAGE) {
                why = "a page cannot be replayed: the next run that reads the source to its end reads it again";
            }
            if (why != null) {
                refused.put(id, why);
            } else {
                bySync.computeIfAbsent(d.syncName(), s -> new ArrayList<>()).add(id);
            }
        }
        Map<Long, String> errors = new LinkedHashMap<>();
        bySync.forEach((sync, group) -> {
            long deadline = System.nanoTime() + whileRunning.toNanos();
            while (true) {
                try {
                    service.replay(sync, group);
                    return;
                } catch (io.ferry.deadletter.SyncRunningException e) {
                    if (System.nanoTime() - deadline >= 0 || !pause()) {
                        group.forEach(id -> errors.put(id, e.getMessage()));
                        return;
                    }
                } catch (RuntimeException e) {
                    // nothing of the group was tried (not configured, not loaded) or the replay stopped
                    group.forEach(id -> errors.put(id, e.getMessage()));
                    return;
                }
            }
        });
        List<Result> out = new ArrayList<>();
        for (long id : ids) {
            DeadLetter b = before.get(id);
            String sync = b == null ? null : b.syncName();
            String key = b == null ? null : b.key();
            if (refused.containsKey(id)) {
                out.add(new Result(id, sync, key, false, "not-replayed", refused.get(id)));
                continue;
            }
            DeadLetter after = deadLetters.find(id);
            if (after != null && "discarded".equals(after.status())) {
                out.add(new Result(id, sync, key, false, "not-replayed", "it was discarded meanwhile"));
            } else if (after != null && !"open".equals(after.status())) {
                out.add(new Result(id, sync, key, true, "replayed", null));
            } else if (errors.containsKey(id)) {
                out.add(new Result(id, sync, key, false, "not-replayed", errors.get(id)));
            } else {
                out.add(new Result(id, sync, key, false, "not-replayed",
                        after == null ? "it is gone" : "the replay failed again: " + after.errorMessage()));
            }
        }
        return out;
    }

    /** Waits a little for a running sync; false when interrupted. */
    private static boolean pause() {
        try {
            Thread.sleep(2_000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public List<Result> discard(List<Long> ids, String reason) {
        List<Result> out = new ArrayList<>();
        for (long id : ids) {
            DeadLetter d = deadLetters.find(id);
            String refused = notActionable(d);
            if (refused == null && service.discard(id, reason)) {
                out.add(new Result(id, d.syncName(), d.key(), true, "discarded", null));
            } else {
                out.add(new Result(id, d == null ? null : d.syncName(), d == null ? null : d.key(), false, "not-discarded",
                        refused != null ? refused : "it was closed meanwhile"));
            }
        }
        return out;
    }

    private static String notActionable(DeadLetter d) {
        if (d == null) {
            return "no such dead letter";
        }
        return "open".equals(d.status()) ? null : "it is " + d.status() + ", not open";
    }
}
