package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.jdbcpoolra.it.support.FaultProxy;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.Probe;
import org.jdbcpoolra.it.support.ServerControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The network between the server and the database goes silent while borrowers hold connections inside transactions
 * and others keep borrowing: every packet is dropped, nothing is refused or closed (the fault proxy), so only
 * timeouts can end a wait. No borrower may wait longer than the configured timeouts allow, errors must say what
 * happened, the pool must heal by itself once traffic resumes, and every transaction a borrower was told committed
 * must be in the database, whole. Needs a driver that honours NetworkTimeout (H2's does not).
 */
@PoolSettings.Use({"Url={throughFaultProxy}", "NetworkTimeout=" + SilentDatabaseIT.NETWORK_TIMEOUT_SECONDS,
        "LoginTimeout=" + SilentDatabaseIT.LOGIN_TIMEOUT_SECONDS,
        "ValidationTimeout=" + SilentDatabaseIT.VALIDATION_TIMEOUT_SECONDS})
@Tag("network")
class SilentDatabaseIT extends PoolScenario {
    static final int NETWORK_TIMEOUT_SECONDS = 2;
    static final int LOGIN_TIMEOUT_SECONDS = 2;
    static final int VALIDATION_TIMEOUT_SECONDS = 1;
    /**
     * A SQLState of class 08 as the probe writes it ("class|state|message") or the adapter's messages do, or the
     * adapter's refusal to commit after a connection failure.
     */
    private static final Pattern CONNECTION_STATE = Pattern.compile("\\|08[0-9A-Z]{3}\\||error code: 08[0-9A-Z]{3}"
            + "|the connection failed during the transaction(?: and was closed)?, so nothing was committed"
            + "|(?m)^jakarta\\.transaction\\.RollbackException\\|");
    private static final int BORROWERS = 3;
    private static final int HOLDERS = 2;
    private static final int ROWS_PER_HOLDER = 4;
    /** Longer than any wait the timeouts allow, so that a borrower the timeouts do not reach is seen waiting. */
    private static final long SILENCE_MILLIS = 16_000;

    record Call(String tag, long startNanos, long endNanos, Reply reply) {
        long millis() {
            return (endNanos - startNanos) / 1_000_000;
        }
    }

    @AfterEach
    void trafficFlows() {
        database.faultProxy().resume();
    }

    @Test
    @DisplayName("Network gone silent under load: waits bounded by the timeouts, clear errors, healed after, no "
            + "committed row lost")
    void silentNetworkBoundsEveryWaitAndLosesNothing() throws Exception {
        assertTrue(SILENCE_MILLIS > boundMillis(), "the silence must outlast every wait the timeouts allow");
        FaultProxy proxy = database.faultProxy();
        String run = "silent-" + System.currentTimeMillis() + "-";
        Probe.grow(MAX);
        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int b = 0; b < BORROWERS; b++) {
            int borrower = b;
            threads.add(start("borrower-" + b, () -> {
                for (int i = 0; running.get(); i++) {
                    String tag = run + "b" + borrower + "-" + i;
                    long start = System.nanoTime();
                    Reply reply = Http.outcome(() -> Http.post(Http.probe("/probe/tx/commit?tag=" + tag), ""));
                    calls.add(new Call(tag, start, System.nanoTime(), reply));
                    Http.sleep(50);
                }
            }));
        }
        Http.sleep(1500);
        // Holders are inside a transaction, between two inserts, when the network goes silent.
        List<Thread> holders = new ArrayList<>();
        for (int h = 0; h < HOLDERS; h++) {
            String tag = run + "h" + h;
            holders.add(start("holder-" + h, () -> {
                long start = System.nanoTime();
                Reply reply = Http.outcome(() -> Http.post(Http.probe("/probe/tx/rows?tag=" + tag + "&rows="
                        + ROWS_PER_HOLDER + "&pauseMillis=500"), ""));
                calls.add(new Call(tag, start, System.nanoTime(), reply));
            }));
        }
        threads.addAll(holders);
        Http.sleep(700);
        long silentAt = System.nanoTime();
        proxy.silence();
        Http.sleep(SILENCE_MILLIS);
        proxy.resume();
        long resumedAt = System.nanoTime();
        Http.sleep(10_000);
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }

        List<Call> all = new ArrayList<>(calls);
        long boundMillis = boundMillis();
        // A borrower that met the silence just before it ended may still time out; none that starts later may fail.
        long healedAt = resumedAt + Duration.ofSeconds(NETWORK_TIMEOUT_SECONDS + 2).toNanos();
        Call longest = all.stream().max((a, b) -> Long.compare(a.millis(), b.millis())).orElseThrow();
        List<Call> failed = all.stream().filter(c -> !c.reply().ok()).toList();
        List<Call> failedBeforeSilence = failed.stream().filter(c -> c.endNanos() < silentAt).toList();
        List<Call> failedAfterHealing = failed.stream().filter(c -> c.startNanos() > healedAt).toList();
        long servedAfterHealing = all.stream().filter(c -> c.startNanos() > healedAt && c.reply().ok()).count();
        Map<String, Integer> rows = database.rowsByTag(run);
        List<String> lost = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        int committedUnconfirmed = 0;
        for (Call call : all) {
            int expected = call.tag().startsWith(run + "h") ? ROWS_PER_HOLDER : 1;
            int found = rows.getOrDefault(call.tag(), 0);
            if (call.reply().ok() && found != expected) {
                lost.add(call.tag() + ": " + found + " of " + expected);
            }
            if (found != 0 && found != expected) {
                partial.add(call.tag() + ": " + found + " of " + expected);
            }
            if (!call.reply().ok() && found == expected) {
                committedUnconfirmed++;
            }
        }
        System.out.println(database.name() + ", network silent for " + SILENCE_MILLIS + " ms: " + all.size()
                + " borrowers, " + failed.size() + " failed, longest wait " + longest.millis() + " ms (bound "
                + boundMillis + " ms), " + servedAfterHealing + " served after healing, committed rows lost "
                + lost.size() + ", failed but committed " + committedUnconfirmed + "; errors seen: "
                + failed.stream().map(c -> c.reply().body().replaceAll("\\s+", " "))
                        .map(b -> b.length() > 300 ? b.substring(0, 300) : b).distinct().limit(6).toList());

        assertTrue(failed.size() > 0, "no borrower noticed the silence");
        assertEquals(List.of(), failedBeforeSilence.stream().map(c -> c.reply().body()).toList());
        assertTrue(longest.millis() <= boundMillis, "a borrower waited " + longest.millis() + " ms ("
                + longest.tag() + "), more than the timeouts allow: " + boundMillis + " ms");
        assertEquals(List.of(), failedAfterHealing.stream().map(c -> c.tag() + ": " + c.reply().body()).toList(),
                "borrowers that failed after the pool should have healed");
        assertTrue(servedAfterHealing >= 10, "too few borrowers after healing to judge: " + servedAfterHealing);
        assertEquals(List.of(), lost, "transactions confirmed to their borrower but not whole in the database");
        assertEquals(List.of(), partial, "transactions that left part of their rows");
        // Every failure the server answered names a connection problem: a SQLState of class 08 somewhere in its
        // chain (the driver's I/O timeout, the adapter's failed or unanswered login, under whatever the container
        // wrapped it in), or the adapter's refusal to commit a transaction whose connection failed (a transaction
        // manager passes on its message, not its error code), or a container commit the transaction manager reports
        // failed without a cause (WildFly: ARJUNA016053, a one-phase commit whose reply the silence swallowed; seen
        // committed in the database, which the checks below allow as all or nothing).
        assertEquals(List.of(), failed.stream().filter(c -> c.reply().status() != 0
                && !CONNECTION_STATE.matcher(c.reply().body()).find()).map(c -> c.tag() + ": " + c.reply().status()
                + " " + c.reply().body()).toList(), "failures without a connection error's SQLState (class 08)");
        assertFalse(failed.stream().anyMatch(c -> c.reply().body().contains(database.password())),
                "an error contains the password");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (database.poolSessions() > MAX && System.nanoTime() < deadline) {
            Http.sleep(200);
        }
        assertTrue(database.poolSessions() <= MAX, "sessions once healed: " + database.poolSessions());
    }

    /**
     * The longest a borrower may wait: for a permit (the server's blocking timeout), for validation of each
     * connection the server tries before it gives up on the idle ones, for a login, and for a statement's reply;
     * plus two seconds for the server's own work.
     */
    private long boundMillis() {
        return ServerControl.BLOCKING_TIMEOUT_MILLIS + MAX * VALIDATION_TIMEOUT_SECONDS * 1000L
                + LOGIN_TIMEOUT_SECONDS * 1000L + NETWORK_TIMEOUT_SECONDS * 1000L + 2000;
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.start();
        return thread;
    }
}
