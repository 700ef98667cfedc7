package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.jdbcpoolra.it.support.ServerControl.MIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.SharedPool;
import org.jdbcpoolra.it.support.Probe;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The database restarts while borrowers keep coming (a maintenance window, a failover). Borrowers may fail only
 * while it is down; soon after it is back every borrower succeeds, the pool refills to min by itself, and at no
 * moment does the database see more sessions than max.
 */
@SharedPool
@Tag("fault")
class DatabaseRestartIT extends PoolScenario {
    private static final int BORROWERS = 4;
    /** After the database accepts logins again, borrowers may still fail for this long, no longer. */
    private static final long HEALING_MILLIS = 2000;


    record Outcome(long startNanos, long endNanos, boolean ok, String body) {
    }

    @Test
    @DisplayName("Database restarted under load: failures only while it is down, all succeed 2 s after, never above "
            + "max")
    void restartUnderLoadHealsWithinTwoSeconds() throws Exception {
        Probe.grow(MAX);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> borrowers = new ArrayList<>();
        for (int i = 0; i < BORROWERS; i++) {
            Thread borrower = new Thread(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    Reply reply = Http.outcome(() -> Probe.query("SELECT 1"));
                    outcomes.add(new Outcome(start, System.nanoTime(), reply.ok(), reply.body()));
                    Http.sleep(20);
                }
            }, "borrower-" + i);
            borrowers.add(borrower);
            borrower.start();
        }
        AtomicInteger peakSessions = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (running.get()) {
                try {
                    peakSessions.accumulateAndGet(database.poolSessions(), Math::max);
                } catch (IllegalStateException databaseDown) {
                    // nothing to count while it is down
                }
                Http.sleep(50);
            }
        }, "session-sampler");
        sampler.start();

        Http.sleep(2000);
        long downAt = System.nanoTime();
        database.stop();
        Http.sleep(3000);
        database.start();
        long upAt = System.nanoTime();
        Http.sleep(6000);
        running.set(false);
        for (Thread borrower : borrowers) {
            borrower.join();
        }
        sampler.join();

        long healedAt = upAt + Duration.ofMillis(HEALING_MILLIS).toNanos();
        List<Outcome> all = new ArrayList<>(outcomes);
        List<String> failedOutsideOutage = all.stream()
                .filter(o -> !o.ok() && (o.endNanos() < downAt || o.startNanos() > healedAt))
                .map(o -> ms(o.startNanos() - upAt) + " ms after up: " + o.body()).toList();
        List<Outcome> afterHealing = all.stream().filter(o -> o.startNanos() > healedAt).toList();
        long failedDuringOutage = all.stream()
                .filter(o -> !o.ok() && o.endNanos() >= downAt && o.startNanos() <= healedAt).count();
        long lastFailure = all.stream().filter(o -> !o.ok()).mapToLong(Outcome::endNanos).max().orElse(upAt);
        System.out.println(database.name() + " restart under load: " + all.size() + " borrowers, "
                + failedDuringOutage + " failed during the outage, last failure " + ms(lastFailure - upAt)
                + " ms after the database was back, " + afterHealing.size() + " borrowers after healing, peak "
                + peakSessions.get() + " sessions");

        assertEquals(List.of(), failedOutsideOutage, "borrowers that failed outside the outage");
        assertTrue(failedDuringOutage > 0, "the outage was seen by no borrower: the database did not go down");
        assertTrue(afterHealing.size() >= 20, "too few borrowers after healing to judge: " + afterHealing.size());
        assertTrue(peakSessions.get() <= MAX, "sessions peaked at " + peakSessions.get() + " with max " + MAX);
        assertFalse(all.stream().anyMatch(o -> !o.ok() && o.body().contains(database.password())),
                "a borrower's error contains the password");
        awaitAtLeastMin();
    }

    private void awaitAtLeastMin() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int sessions;
        int kept = facts.sessionsAfterFirstBorrow(MIN);
        while ((sessions = database.poolSessions()) < kept && System.nanoTime() < deadline) {
            Http.sleep(200);
        }
        assertTrue(sessions >= kept && sessions <= MAX, "sessions after the restart: " + sessions);
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
