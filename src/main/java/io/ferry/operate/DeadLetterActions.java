package io.ferry.operate;

import java.util.ArrayList;
import java.util.List;

import io.ferry.deadletter.DeadLetterService;
import io.ferry.state.DeadLetterRepository;
import io.ferry.state.DeadLetterRepository.DeadLetter;

/**
 * Replays or discards dead letters one by one and says for each what came of it: replayed, discarded, or why not
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

    public List<Result> replay(List<Long> ids) {
        List<Result> out = new ArrayList<>();
        for (long id : ids) {
            DeadLetter before = deadLetters.find(id);
            String refused = notActionable(before);
            if (refused == null && before.stage() == DeadLetterRepository.Stage.PAGE) {
                refused = "a page cannot be replayed: the next run that reads the source to its end reads it again";
            }
            if (refused != null) {
                out.add(new Result(id, before == null ? null : before.syncName(), before == null ? null : before.key(), false,
                        "not-replayed", refused));
                continue;
            }
            boolean ok;
            String error = null;
            try {
                ok = service.replayOne(id);
            } catch (RuntimeException e) {
                ok = false;
                error = e.getMessage();
            }
            DeadLetter after = deadLetters.find(id);
            if (ok) {
                out.add(new Result(id, before.syncName(), before.key(), true, "replayed", null));
            } else {
                String why = error != null ? error
                        : after != null && !"open".equals(after.status()) ? "it is " + after.status() + " now"
                        : after == null ? "it is gone" : "the replay failed again: " + after.errorMessage();
                out.add(new Result(id, before.syncName(), before.key(), false, "not-replayed", why));
            }
        }
        return out;
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
