package io.ferry.bench;

import io.ferry.sandbox.JushuitanSimulator;

/**
 * The sandbox Jushuitan simulator in a JVM of its own, so that its JSON generation and garbage stay out of the
 * heap and the profile of the pipeline being measured. Prints {@code LISTENING <url>} and serves until its
 * standard input closes (the benchmark that started it ended).
 * <p>
 * Arguments: appKey appSecret accessToken shops
 */
public final class BenchSimulator {

    private BenchSimulator() {
    }

    public static void main(String[] args) throws Exception {
        JushuitanSimulator sim = new JushuitanSimulator(args[0], args[1], args[2], Integer.parseInt(args[3]));
        sim.rateLimit(false);
        sim.start();
        System.out.println("LISTENING " + sim.url());
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the parent
        }
        System.out.println("SERVED " + sim.requests());
        sim.close();
    }
}
