package io.ferry.deadletter;

/** Acting on dead letters: replay them through their sync's mapping and sink, or close them. */
public interface DeadLetterService {

    /** Bean name in the Camel registry. */
    String BEAN = "ferryDeadLetters";

    /**
     * Replays the open dead letters of a sync (of every sync when {@code sync} is null) through the same mapping,
     * sink and dedup rules as a run; returns how many were delivered.
     */
    int replay(String sync);

    /**
     * Replays these dead letters of one sync in one replay run (those not open, of another sync or pages are left
     * out); returns how many were delivered.
     */
    int replay(String sync, java.util.List<Long> ids);

    /** Replays one dead letter; true when it was delivered (or found already synced). */
    boolean replayOne(long id);

    /** Closes an open dead letter without delivering it; false when it was not open. */
    boolean discard(long id, String reason);
}
