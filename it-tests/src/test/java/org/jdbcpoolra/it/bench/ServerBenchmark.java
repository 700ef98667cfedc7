package org.jdbcpoolra.it.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jdbcpoolra.it.bench.BenchResult.Figures;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.WildFlyServer;

/**
 * Our adapter against WildFly's own datasource, in one WildFly, same driver JAR, same pool settings: first on H2,
 * then, when the machine's PostgreSQL is there, on PostgreSQL. Each case runs in rounds that alternate A/B then
 * B/A, and the medians are compared. Not a test: it asserts nothing, a missing PostgreSQL is a skipped section.
 * Writes target/bench-results.md and target/bench-chart.png (copied to the path in {@code -Dbench.chart} if set).
 */
public final class ServerBenchmark {
    private static final int POOL_SIZE = 8;
    private static final int[] THREADS = {1, 4};
    /** The contended phase: many more borrowers than connections. */
    private static final int CONTENDED_POOL_SIZE = 4;
    private static final int CONTENDED_THREADS = 16;
    private static final BenchCase[] CONTENDED_CASES = {BenchCase.CONNECT, BenchCase.SELECT_ONE, BenchCase.PREPARED};
    private static final int ROUNDS = 4;
    private static final long ROUND_MILLIS = Long.getLong("bench.round.millis", 2000);

    private final BenchPools pools;
    private final Path resultsFile;
    private final StringBuilder report = new StringBuilder();
    private final List<BenchResult> results = new ArrayList<>();

    private ServerBenchmark(BenchPools pools, Path resultsFile) {
        this.pools = pools;
        this.resultsFile = resultsFile;
    }

    public static void main(String[] args) throws Exception {
        // The chart is drawn with AWT, and a build machine has no display.
        System.setProperty("java.awt.headless", "true");
        long started = System.nanoTime();
        Path work = Files.createDirectories(Path.of(System.getProperty("it.work"))).toAbsolutePath();
        Path target = work.getParent();
        BenchDatabase h2 = BenchDatabase.h2(Path.of(System.getProperty("bench.h2.jar")));
        BenchDatabase postgres = BenchDatabase.postgresql(Path.of(System.getProperty("bench.postgresql.jar")));

        Process server = WildFlyServer.start(work.resolve("bench-server.out"));
        ServerBenchmark bench;
        try {
            bench = new ServerBenchmark(new BenchPools(work), target.resolve("bench-results.md"));
            bench.append(BenchReport.header("Pools of " + POOL_SIZE + " (min = max, prefilled), validate-on-match"
                    + " with Connection.isValid on both (ours: ValidationQuery unset; WildFly's:"
                    + " JDBC4ValidConnectionChecker), statistics on. Per case one warm-up round per pool, then "
                            + ROUNDS
                    + " rounds of " + ROUND_MILLIS + " ms alternating ours/WildFly, WildFly/ours; medians."));
            bench.phase(h2, "inside WildFly's JVM");
            String postgresServer = bench.reachable(postgres);
            if (postgresServer != null) {
                bench.phase(postgres, postgresServer);
            }
        } finally {
            WildFlyServer.stop(server);
        }
        bench.append(String.format("%nRun time: %d s.%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)));
        bench.writeResults();
        bench.writeChart(target.resolve("bench-chart.png"));
    }

    /** The server's version, or null after saying in the report why the section is skipped. */
    private String reachable(BenchDatabase db) {
        try {
            return db.serverVersion();
        } catch (SQLException e) {
            append(BenchReport.skipped(db.name(), "not reachable as " + db.user() + " at " + db.oursUrl() + " ("
                    + e.getMessage() + "); it-tests/src/test/databases/prepare.sh sets it up"));
            return null;
        }
    }

    private void phase(BenchDatabase db, String server) throws IOException {
        append(BenchReport.section(db, server));
        pools.open(db, POOL_SIZE);
        append(BenchReport.uncontendedHeader());
        for (BenchCase benchCase : BenchCase.values()) {
            for (int threads : THREADS) {
                append(BenchReport.uncontendedRow(measure(db, benchCase, threads, POOL_SIZE)));
            }
        }
        pools.close();

        pools.open(db, CONTENDED_POOL_SIZE);
        append(BenchReport.contendedHeader(CONTENDED_THREADS, CONTENDED_POOL_SIZE));
        for (BenchCase benchCase : CONTENDED_CASES) {
            append(BenchReport.contendedRow(measure(db, benchCase, CONTENDED_THREADS, CONTENDED_POOL_SIZE)));
        }
        pools.close();
        // A later phase that fails leaves this one's tables behind.
        writeResults();
    }

    private BenchResult measure(BenchDatabase db, BenchCase benchCase, int threads, int poolSize) {
        round("ours", benchCase, threads);
        round("native", benchCase, threads);
        List<Figures> ours = new ArrayList<>();
        List<Figures> wildFly = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            // A/B then B/A: a drift of the machine during a case (JIT, GC, the database's own work) hits both.
            boolean oursFirst = r % 2 == 0;
            Figures first = round(oursFirst ? "ours" : "native", benchCase, threads);
            Figures second = round(oursFirst ? "native" : "ours", benchCase, threads);
            ours.add(oursFirst ? first : second);
            wildFly.add(oursFirst ? second : first);
        }
        BenchResult result = new BenchResult(db.name(), benchCase, threads, poolSize, Figures.median(ours),
                Figures.median(wildFly));
        results.add(result);
        return result;
    }

    private static Figures round(String pool, BenchCase benchCase, int threads) {
        Http.Reply reply = Http.get(URI.create("http://127.0.0.1:" + WildFlyServer.HTTP_PORT + "/bench/run?pool="
                + pool + "&case=" + benchCase.number() + "&threads=" + threads + "&millis=" + ROUND_MILLIS));
        if (!reply.ok()) {
            throw new IllegalStateException(pool + " " + benchCase.title() + ": " + reply.body());
        }
        return Figures.parse(reply.body());
    }

    /** The report goes to the console as it grows, so a long run shows where it is. */
    private void append(String text) {
        System.out.print(text);
        report.append(text);
    }

    private void writeResults() throws IOException {
        Files.writeString(resultsFile, report);
    }

    private void writeChart(Path png) throws IOException {
        BenchChart.write(results, png);
        System.out.println("Chart: " + png);
        String copy = System.getProperty("bench.chart", "");
        if (!copy.isBlank()) {
            Path to = Path.of(copy).toAbsolutePath();
            Files.createDirectories(to.getParent());
            Files.copy(png, to, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("Chart copied to " + to);
        }
    }
}
