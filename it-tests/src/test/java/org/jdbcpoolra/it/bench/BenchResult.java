package org.jdbcpoolra.it.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One case on one database with pools of one size: the medians over the measured rounds for our pool and for
 * WildFly's datasource.
 */
record BenchResult(String database, BenchCase benchCase, int threads, int poolSize, Figures ours, Figures wildFly) {

    /** What the servlet answers for one round: throughput and how long getConnection waited (p50, p99). */
    record Figures(long opsPerSecond, long waitP50Micros, long waitP99Micros) {

        static Figures parse(String reply) {
            String[] parts = reply.trim().split(" ");
            return new Figures(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        }

        /** Each figure's median on its own: the round with the median throughput need not have the median wait. */
        static Figures median(List<Figures> rounds) {
            return new Figures(median(rounds, Figures::opsPerSecond), median(rounds, Figures::waitP50Micros),
                    median(rounds, Figures::waitP99Micros));
        }

        private static long median(List<Figures> rounds, ToLongFunction<Figures> figure) {
            List<Long> sorted = new ArrayList<>();
            rounds.forEach(r -> sorted.add(figure.applyAsLong(r)));
            Collections.sort(sorted);
            int mid = sorted.size() / 2;
            return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
        }
    }

    /** More borrowers than connections: the figures are those of waiting in the server's pool. */
    boolean contended() {
        return threads > poolSize;
    }

    double ratio() {
        return (double) ours.opsPerSecond() / wildFly.opsPerSecond();
    }
}
