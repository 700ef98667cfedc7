package org.jdbcpoolra.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jdbcpoolra.it.support.Http.Reply;

/** Borrowers driven through the probe deployment, for the fault scenarios. */
public final class Probe {
    private Probe() {
    }

    /** One borrower runs one statement: "ok|millis" or 503 "millis|exception|SQLState|message". */
    public static Reply query(String sql) {
        return Http.post(Http.probe("/probe/query?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)), "");
    }

    /** One borrower prepares {@code sql} and runs it: "ok" or 503 "exception|SQLState|message". */
    public static Reply prepared(String sql) {
        return Http.post(Http.probe("/probe/prepared?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)), "");
    }

    /** {@code borrowers} borrows one after another, each running {@code sql}; what those that failed answered. */
    public static java.util.List<String> failedQueries(int borrowers, String sql) {
        java.util.List<String> failures = new java.util.ArrayList<>();
        for (int i = 0; i < borrowers; i++) {
            Reply reply = query(sql);
            if (!reply.ok()) {
                failures.add(reply.body());
            }
        }
        return failures;
    }

    /** Milliseconds the borrower took, from either kind of reply. */
    public static long millis(Reply reply) {
        String[] parts = reply.body().split("\\|", 3);
        return Long.parseLong(reply.ok() ? parts[1] : parts[0]);
    }

    /** Makes the pool open {@code count} physical connections by holding that many at once, then returns them. */
    public static void grow(int count) throws Exception {
        List<CompletableFuture<Reply>> holders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            holders.add(Http.postAsync(Http.probe("/probe/hold?millis=1000")));
        }
        for (CompletableFuture<Reply> holder : holders) {
            Reply reply = holder.get();
            assertEquals(200, reply.status(), reply.body());
        }
    }

    /** A reply and when it came (System.nanoTime). */
    public record Timed(long atNanos, Reply reply) {
    }

    /** {@code borrowers} threads each calling {@code borrow} back to back for {@code millis}; every reply, timed. */
    public static List<Timed> steadyLoad(int borrowers, long millis, java.util.function.Supplier<Reply> borrow)
            throws Exception {
        long end = System.nanoTime() + millis * 1_000_000;
        // Threads of its own: the common pool may run fewer tasks at once than there are borrowers.
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(borrowers);
        try {
            List<java.util.concurrent.Future<List<Timed>>> running = new ArrayList<>();
            for (int b = 0; b < borrowers; b++) {
                running.add(threads.submit(() -> {
                    List<Timed> replies = new ArrayList<>();
                    while (System.nanoTime() < end) {
                        Reply reply = borrow.get();
                        replies.add(new Timed(System.nanoTime(), reply));
                    }
                    return replies;
                }));
            }
            List<Timed> all = new ArrayList<>();
            for (java.util.concurrent.Future<List<Timed>> borrower : running) {
                all.addAll(borrower.get());
            }
            return all;
        } finally {
            threads.shutdownNow();
        }
    }
}
