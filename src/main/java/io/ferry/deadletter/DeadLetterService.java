package io.ferry.deadletter;

/**
 * Replays and discards dead letters; bound in the Camel registry as {@code ferryDeadLetters}. The JMX sync MBeans
 * and the web console call it when it is bound.
 */
public interface DeadLetterService {

    /**
     * Sends the open dead letters of a sync through its pipeline again.
     *
     * @return how many dead letters were replayed
     */
    int replay(String sync);

    /**
     * Closes one open dead letter without delivering it.
     *
     * @param reason why it was discarded, kept with the dead letter
     * @return false when there is no open dead letter with that id
     */
    boolean discard(long id, String reason);
}
