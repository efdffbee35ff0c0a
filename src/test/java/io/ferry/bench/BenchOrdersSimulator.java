package io.ferry.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.ferry.sandbox.JushuitanSimulator;

/**
 * The sandbox Jushuitan simulator's orders in a JVM of its own, with the vendor's rate limits on (5 calls/s and
 * 100 calls/min per app, the simulator's defaults), for the orders benchmark. Prints {@code LISTENING <url>} and
 * {@code ORDERS <orders> <items>}; answers each {@code STATS} line on its standard input with
 * {@code STATS <order queries answered> <calls refused by the rate limit>}; ends when its standard input closes.
 * <p>
 * Arguments: appKey appSecret accessToken orders fromEpochSecond toEpochSecond
 */
public final class BenchOrdersSimulator {

    private BenchOrdersSimulator() {
    }

    public static void main(String[] args) throws Exception {
        JushuitanSimulator sim = new JushuitanSimulator(args[0], args[1], args[2], 0);
        // no order changes: every order is read once and N orders are exactly what both variants must write
        sim.orders().generate(20261201L, Integer.parseInt(args[3]), Instant.ofEpochSecond(Long.parseLong(args[4])),
                Instant.ofEpochSecond(Long.parseLong(args[5])), 0, java.time.Duration.ZERO);
        long items = 0;
        List<Map<String, Object>> orders = sim.orders().current(Instant.now());
        for (Map<String, Object> o : orders) {
            items += ((List<?>) o.get("items")).size();
        }
        sim.start();
        System.out.println("LISTENING " + sim.url());
        System.out.println("ORDERS " + orders.size() + " " + items);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null;) {
            if (line.strip().equals("STATS")) {
                System.out.println("STATS " + sim.orders().queries() + " " + sim.rateLimitAnswers());
                System.out.flush();
            }
        }
        sim.close();
    }
}
