package org.jdbcpoolra.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape of the example's /api/metrics, read the way Prometheus reads it: the OpenMetrics content type, then
 * samples {@code name{label="value",...} number}, then {@code # EOF}.
 */
public record Metrics(String contentType, String text, List<Sample> samples) {

    public record Sample(String name, Map<String, String> labels, double value) {
    }


    public static Metrics scrape() {
        return scrape(Http.example("/api/metrics"));
    }

    /** The example's metrics at this address (one server of several). */
    public static Metrics scrape(java.net.URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Accept", "application/openmetrics-text; version=1.0.0").timeout(Duration.ofSeconds(60))
                .GET().build();
        try {
            HttpResponse<String> response = Http.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return new Metrics(response.headers().firstValue("Content-Type").orElse(""), response.body(),
                    parse(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot scrape " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            Map<String, String> labels = new LinkedHashMap<>();
            String name;
            if (brace < 0) {
                name = line.substring(0, space);
            } else {
                name = line.substring(0, brace);
                int i = brace + 1;
                while (line.charAt(i) != '}') {
                    int eq = line.indexOf('=', i);
                    String key = line.substring(i, eq);
                    StringBuilder value = new StringBuilder();
                    int j = eq + 2;
                    for (; line.charAt(j) != '"'; j++) {
                        char c = line.charAt(j);
                        if (c == '\\') {
                            char next = line.charAt(++j);
                            value.append(next == 'n' ? '\n' : next);
                        } else {
                            value.append(c);
                        }
                    }
                    labels.put(key, value.toString());
                    i = line.charAt(j + 1) == ',' ? j + 2 : j + 1;
                }
            }
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return samples;
    }

    /** The sum of the samples of that name for that pool whose labels include the given {@code key=value} pairs. */
    public double sum(String name, String pool, String... labels) {
        double total = 0;
        for (Sample sample : samples) {
            if (sample.name().equals(name) && pool.equals(sample.labels().get("pool")) && matches(sample, labels)) {
                total += sample.value();
            }
        }
        return total;
    }

    private static boolean matches(Sample sample, String... labels) {
        for (String pair : labels) {
            int eq = pair.indexOf('=');
            if (!pair.substring(eq + 1).equals(sample.labels().get(pair.substring(0, eq)))) {
                return false;
            }
        }
        return true;
    }

    /** The server's own statistics in the scrape, by pool, then by the server's name for each. */
    public Map<String, Map<String, Double>> serverStatistics() {
        Map<String, Map<String, Double>> pools = new TreeMap<>();
        for (Sample sample : samples) {
            if (sample.name().equals("jdbcpool_server_statistic")) {
                pools.computeIfAbsent(sample.labels().get("pool"), p -> new TreeMap<>())
                        .put(sample.labels().get("statistic"), sample.value());
            }
        }
        return pools;
    }

    /**
     * The most connections any pool has in use by the server's statistics: WildFly's InUseCount, Payara's
     * numconnused, Liberty's managed connections less its free ones.
     */
    public long mostInUse() {
        long most = 0;
        for (Map<String, Double> statistics : serverStatistics().values()) {
            Double inUse = statistics.get("InUseCount");
            if (inUse == null) {
                inUse = statistics.get("numconnused");
            }
            if (inUse == null && statistics.containsKey("ManagedConnectionCount")) {
                inUse = statistics.get("ManagedConnectionCount") - statistics.getOrDefault("FreeConnectionCount", 0.0);
            }
            if (inUse != null) {
                most = Math.max(most, Math.round(inUse));
            }
        }
        return most;
    }
}
