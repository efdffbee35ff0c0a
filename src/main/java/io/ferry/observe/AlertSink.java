package io.ferry.observe;

import java.io.IOException;

/** Where alerts go (a chat robot, a generic webhook). */
public interface AlertSink {

    void send(Alert alert) throws IOException, InterruptedException;

    /** For logs: the kind of sink and its host, never a token it carries. */
    String describe();
}
