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
        warmUp(sim, args[0], args[1], args[2], Instant.ofEpochSecond(Long.parseLong(args[4])));
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

    /**
     * Answers pages with the rate limit off until the JIT has compiled what answers them, so that the variant measured
     * first does not meet a slower simulator than the one after it. Calls made with the limit off are not counted
     * in its windows: the limit starts empty.
     */
    private static void warmUp(JushuitanSimulator sim, String key, String secret, String token, Instant from) throws Exception {
        sim.rateLimit(false);
        java.net.URI uri = java.net.URI.create(sim.url() + io.ferry.sandbox.JushuitanOrders.PATH);
        java.time.format.DateTimeFormatter time = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .withZone(java.time.ZoneId.of("Asia/Shanghai"));
        String window = "\"modified_begin\":\"" + time.format(from) + "\",\"modified_end\":\""
                + time.format(from.plus(java.time.Duration.ofDays(7))) + "\"";
        try (org.apache.hc.client5.http.impl.classic.CloseableHttpClient http =
                org.apache.hc.client5.http.impl.classic.HttpClients.createDefault()) {
            for (int i = 0; i < WARM_UP_CALLS; i++) {
                HandWrittenBenchmark.post(http, uri, key, secret, token, "{" + window + ",\"page_index\":" + (1 + i % 10)
                        + ",\"page_size\":100}");
            }
        }
        sim.rateLimit(true);
    }

    private static final int WARM_UP_CALLS = 300;
}
