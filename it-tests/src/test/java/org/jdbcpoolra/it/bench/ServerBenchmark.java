package org.jdbcpoolra.it.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.WildFlyServer;

/**
 * Our adapter against WildFly's own datasource, in one WildFly, same H2 jar version, same pool settings: each case
 * runs in rounds that alternate A/B then B/A, and the medians are compared. Not a test: it prints a table (and
 * writes it to target/bench-results.md) and asserts nothing.
 */
public final class ServerBenchmark {
    private static final int POOL_SIZE = 8;
    /** The contended phase: many more borrowers than connections. */
    private static final int CONTENDED_POOL_SIZE = 4;
    private static final int CONTENDED_THREADS = 16;
    private static final int ROUNDS = 4;
    private static final long ROUND_MILLIS = Long.getLong("bench.round.millis", 2000);
    private static final String[] CASES = {
        "", "getConnection + close", "getConnection + SELECT 1 + close", "prepared statement with a parameter",
        "EJB call (CMT): insert + select",
    };

    private ServerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("it.work")));
        Process server = WildFlyServer.start(work.resolve("bench-server.out"));
        try {
            prepare(work, POOL_SIZE);
            String table = measure();
            reconfigure(work, CONTENDED_POOL_SIZE);
            table += "\n" + measureContended();
            System.out.println(table);
            Files.writeString(work.resolve("../bench-results.md"), table);
        } finally {
            WildFlyServer.stop(server);
        }
    }

    private static Map<String, String> oursSettings(int size) {
        Map<String, String> ours = new LinkedHashMap<>();
        ours.put("deployment.path", WildFlyServer.archive("jdbc-pool-ra.rar").toString());
        ours.put("deployment.name", "jdbc-pool-ra.rar");
        ours.put("ra.archive", "jdbc-pool-ra.rar");
        ours.put("db.url", "jdbc:h2:mem:ours;DB_CLOSE_DELAY=-1");
        ours.put("pool.min", String.valueOf(size));
        ours.put("pool.max", String.valueOf(size));
        return ours;
    }

    private static void prepare(Path work, int size) throws IOException {
        WildFlyServer.cli("configure.cli", oursSettings(size));

        // WildFly's own datasource over the very same H2 jar, deployed as a driver, with the same pool settings.
        String h2 = System.getProperty("bench.h2.jar");
        WildFlyServer.command("deploy " + h2);
        addNativeDataSource(size);

        WebArchive war = ShrinkWrap.create(WebArchive.class, "bench.war")
                .addClasses(BenchServlet.class, BenchBean.class);
        Path file = work.resolve("bench.war");
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
        WildFlyServer.command("deploy " + file);
    }

    /** Both pools again with another size; the benchmark application pins both names, so it goes first. */
    private static void reconfigure(Path work, int size) {
        WildFlyServer.command("undeploy bench.war");
        WildFlyServer.cli("remove.cli", oursSettings(size));
        WildFlyServer.command("data-source remove --name=Native");
        WildFlyServer.cli("configure.cli", oursSettings(size));
        addNativeDataSource(size);
        WildFlyServer.command("deploy " + work.resolve("bench.war"));
    }

    private static void addNativeDataSource(int size) {
        String driver = Path.of(System.getProperty("bench.h2.jar")).getFileName().toString();
        WildFlyServer.command("data-source add --name=Native --jndi-name=java:/jdbc/Native --driver-name=" + driver
                + " --connection-url=jdbc:h2:mem:native;DB_CLOSE_DELAY=-1 --user-name=sa --password=sa"
                + " --min-pool-size=" + size + " --initial-pool-size=" + size + " --max-pool-size=" + size
                + " --pool-prefill=true --blocking-timeout-wait-millis=5000 --validate-on-match=true"
                + " --background-validation=false --statistics-enabled=true --enabled=true");
    }

    private static long[] round(String pool, int benchCase, int threads) {
        Http.Reply reply = Http.get(java.net.URI.create("http://127.0.0.1:" + WildFlyServer.HTTP_PORT
                + "/bench/run?pool=" + pool + "&case=" + benchCase + "&threads=" + threads + "&millis="
                + ROUND_MILLIS));
        if (!reply.ok()) {
            throw new IllegalStateException(pool + " case " + benchCase + ": " + reply.body());
        }
        String[] parts = reply.body().trim().split(" ");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])};
    }

    private static String measure() {
        StringBuilder table = new StringBuilder();
        table.append("| Case | Threads | Ours ops/s | WildFly datasource ops/s | Ours / WildFly |\n");
        table.append("|---|---|---|---|---|\n");
        for (int benchCase = 1; benchCase <= 4; benchCase++) {
            for (int threads : new int[] {1, 4}) {
                round("ours", benchCase, threads);
                round("native", benchCase, threads);
                List<Long> ours = new ArrayList<>();
                List<Long> other = new ArrayList<>();
                for (int r = 0; r < ROUNDS; r++) {
                    boolean oursFirst = r % 2 == 0;
                    long[] first = round(oursFirst ? "ours" : "native", benchCase, threads);
                    long[] second = round(oursFirst ? "native" : "ours", benchCase, threads);
                    ours.add((oursFirst ? first : second)[0]);
                    other.add((oursFirst ? second : first)[0]);
                }
                long o = median(ours);
                long n = median(other);
                String line = String.format("| %s | %d | %,d | %,d | %.2f |%n", CASES[benchCase], threads, o, n,
                        (double) o / n);
                System.out.print(line);
                table.append(line);
            }
        }
        return table.toString();
    }

    /** 16 borrowers on 4 connections: throughput and how long getConnection waited (p50, p99). */
    private static String measureContended() {
        StringBuilder table = new StringBuilder();
        table.append("| Case (" + CONTENDED_THREADS + " threads, max " + CONTENDED_POOL_SIZE + ") | Ours ops/s "
                + "| WildFly ops/s | Ratio | Ours wait p50 / p99 µs | WildFly wait p50 / p99 µs |\n");
        table.append("|---|---|---|---|---|---|\n");
        for (int benchCase = 1; benchCase <= 3; benchCase++) {
            round("ours", benchCase, CONTENDED_THREADS);
            round("native", benchCase, CONTENDED_THREADS);
            List<long[]> ours = new ArrayList<>();
            List<long[]> other = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                boolean oursFirst = r % 2 == 0;
                long[] first = round(oursFirst ? "ours" : "native", benchCase, CONTENDED_THREADS);
                long[] second = round(oursFirst ? "native" : "ours", benchCase, CONTENDED_THREADS);
                ours.add(oursFirst ? first : second);
                other.add(oursFirst ? second : first);
            }
            long o = median(ours.stream().map(x -> x[0]).toList());
            long n = median(other.stream().map(x -> x[0]).toList());
            String line = String.format("| %s | %,d | %,d | %.2f | %d / %d | %d / %d |%n", CASES[benchCase], o, n,
                    (double) o / n, median(ours.stream().map(x -> x[1]).toList()),
                    median(ours.stream().map(x -> x[2]).toList()), median(other.stream().map(x -> x[1]).toList()),
                    median(other.stream().map(x -> x[2]).toList()));
            System.out.print(line);
            table.append(line);
        }
        return table.toString();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }
}
