package org.jdbcpoolra.it.bench;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

/** The markdown of target/bench-results.md: a header saying how it was measured, then one section per database. */
final class BenchReport {

    private BenchReport() {
    }

    static String header(String method) {
        return "# jdbc-pool-ra vs WildFly's own datasource, in one WildFly\n\n"
                + "Measured " + LocalDateTime.now().truncatedTo(ChronoUnit.MINUTES) + ", Java "
                + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
                + " cores. " + method + "\n";
    }

    /** The heading and how the pools reach the database; the tables follow as rows come in. */
    static String section(BenchDatabase db, String server) {
        return "\n## " + db.name() + "\n\n" + db.setup() + " (" + server + ").\n";
    }

    static String skipped(String database, String why) {
        return "\n## " + database + "\n\n" + database + ": skipped, " + why + "\n";
    }

    static String uncontendedHeader() {
        return "\n| Case | Threads | Ours ops/s | WildFly datasource ops/s | Ours / WildFly |\n|---|---|---|---|---|\n";
    }

    static String uncontendedRow(BenchResult r) {
        return String.format("| %s | %d | %,d | %,d | %.2f |%n", r.benchCase().title(), r.threads(),
                r.ours().opsPerSecond(), r.wildFly().opsPerSecond(), r.ratio());
    }

    static String contendedHeader(int threads, int poolSize) {
        return "\nContended: " + threads + " threads on pools of max " + poolSize
                + ", with how long getConnection waited:\n\n| Case (" + threads + " threads, max " + poolSize
                + ") | Ours ops/s | WildFly ops/s | Ratio | Ours wait p50 / p99 µs | WildFly wait p50 / p99 µs |\n"
                + "|---|---|---|---|---|---|\n";
    }

    static String contendedRow(BenchResult r) {
        return String.format("| %s | %,d | %,d | %.2f | %d / %d | %d / %d |%n", r.benchCase().title(),
                r.ours().opsPerSecond(), r.wildFly().opsPerSecond(), r.ratio(), r.ours().waitP50Micros(),
                r.ours().waitP99Micros(), r.wildFly().waitP50Micros(), r.wildFly().waitP99Micros());
    }
}
