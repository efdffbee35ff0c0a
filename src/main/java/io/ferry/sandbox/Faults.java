package io.ferry.sandbox;

import java.util.Random;

/**
 * Seeded fault injection for a simulator: each request draws at most one fault with the given probabilities,
 * so a test with the same seed and the same requests sees the same faults.
 *
 * @param http500       answer HTTP 500
 * @param drop          close the connection without an answer
 * @param slow          answer after {@code slowMillis}
 * @param malformedJson answer 200 with truncated JSON
 * @param htmlPage      answer 200 with an HTML maintenance page
 * @param rateLimit     answer the vendor's rate-limit envelope
 * @param vendorError   answer the vendor's own retryable error envelope (each simulator says which)
 * @param lostReply     do what was asked, then close the connection before the answer (the target processed the
 *                      call, the client never hears of it)
 */
public record Faults(long seed, double http500, double drop, double slow, long slowMillis, double malformedJson,
        double htmlPage, double rateLimit, double vendorError, double lostReply) {

    public Faults(long seed, double http500, double drop, double slow, long slowMillis, double malformedJson,
            double htmlPage, double rateLimit, double vendorError) {
        this(seed, http500, drop, slow, slowMillis, malformedJson, htmlPage, rateLimit, vendorError, 0);
    }

    /** What one request gets. */
    public enum Fault {
        NONE, HTTP_500, DROP, SLOW, MALFORMED_JSON, HTML_PAGE, RATE_LIMIT, VENDOR_ERROR, LOST_REPLY
    }

    public static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * {@code total} spread over every kind of fault, before and after the simulator did what was asked (HTTP-level
     * faults weigh more than bad bodies).
     */
    public static Faults mixed(long seed, double total) {
        return new Faults(seed, total * 0.25, total * 0.15, total * 0.15, 200, total * 0.05, total * 0.05, total * 0.15,
                total * 0.1, total * 0.1);
    }

    Picker picker() {
        return new Picker(this);
    }

    /** Draws faults from the seeded sequence. */
    static final class Picker {
        private final Faults f;
        private final Random random;

        Picker(Faults f) {
            this.f = f;
            this.random = new Random(f.seed());
        }

        synchronized Fault next() {
            double r = random.nextDouble();
            double[] p = { f.http500(), f.drop(), f.slow(), f.malformedJson(), f.htmlPage(), f.rateLimit(), f.vendorError(),
                    f.lostReply() };
            Fault[] kinds = { Fault.HTTP_500, Fault.DROP, Fault.SLOW, Fault.MALFORMED_JSON, Fault.HTML_PAGE, Fault.RATE_LIMIT,
                    Fault.VENDOR_ERROR, Fault.LOST_REPLY };
            double acc = 0;
            for (int i = 0; i < p.length; i++) {
                acc += p[i];
                if (r < acc) {
                    return kinds[i];
                }
            }
            return Fault.NONE;
        }
    }
}
