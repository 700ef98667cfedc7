package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Deployments;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.Metrics;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every part of a connection's life at once, under faults, for long enough that they meet: connections retired and
 * renewed in place every few seconds (MaxLifetime=3), the adapter's keepalive every second, the server validating
 * what it lends (where it does: {@code ServerFacts.validatesOnBorrow}) with a ValidationQuery, and 6 borrowers (one
 * more than max) mixing container transactions that commit, container transactions that roll back (setRollbackOnly,
 * a system exception) and autocommit inserts, while the pool's sessions are killed three times and the database
 * restarts once. Every call is recorded, also one whose HTTP call failed or got no reply within 30 s (an unknown
 * outcome, never dropped); afterwards the database's own rows are reconciled with what each borrower was told, and
 * the pool user's sessions are counted: sampled during the soak, after it, and after the pool is removed.
 */
@PoolSettings.Use({"MaxLifetime=" + LifecycleSoakIT.LIFETIME_SECONDS, "KeepaliveSeconds="
        + LifecycleSoakIT.KEEPALIVE_SECONDS, "ValidationQuery=SELECT 1", "validate-on-borrow=true"})
@Deployments.Uses(Deployments.Probe.LOOKUP_ONLY)
@Tag("soak")
class LifecycleSoakIT extends PoolScenario {
    static final int LIFETIME_SECONDS = 3;
    static final int KEEPALIVE_SECONDS = 1;
    private static final int BORROWERS = MAX + 1;
    private static final int ROWS = 4;
    /** Between a transaction's inserts, so that faults land inside transactions. */
    private static final long INSERT_PAUSE_MILLIS = 10;
    /** Between a borrower's calls (after a failure too, so a database that is down is not hammered). */
    private static final long CALL_PAUSE_MILLIS = 20;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    private static final long SOAK_MILLIS = 75_000;
    private static final long DOWN_MILLIS = 3000;
    /** A fault may fail borrowers until this long after it ended, no longer. */
    private static final long HEALING_MILLIS = 5000;
    /** Calls after the last healing window, at least: enough to say the pool serves again. */
    private static final int MIN_CALLS_AFTER_HEALING = 50;

    /** What a borrower does; the tag of its rows says which. */
    enum Kind {
        COMMIT("commit"), ROLLBACK_ONLY("rollback-only"), EXCEPTION("exception"), AUTOCOMMIT(null);

        final String end;

        Kind(String end) {
            this.end = end;
        }

        boolean rollsBack() {
            return this == ROLLBACK_ONLY || this == EXCEPTION;
        }
    }

    /** The mix each borrower goes through, starting at a place of its own. */
    private static final List<Kind> MIX = List.of(Kind.COMMIT, Kind.AUTOCOMMIT, Kind.ROLLBACK_ONLY, Kind.COMMIT,
            Kind.AUTOCOMMIT, Kind.EXCEPTION);

    /** What the server told the borrower. */
    enum Reported {
        /** 200 "committed" from a transaction meant to commit. */
        COMMITTED,
        /** 200 "rolled back" (asked for), or 503 "rolled back|..." (an insert failed, the container rolled back). */
        ROLLED_BACK,
        /** 503 "commit failed|...": every insert ran and the commit failed; only the database knows. */
        COMMIT_FAILED,
        /** 200 from an autocommit insert. */
        INSERTED,
        /** 503 from an autocommit insert (it may have committed before the error). */
        INSERT_FAILED,
        /** No reply within the HTTP timeout, a failed HTTP connection, or a reply outside the probe's contract. */
        UNKNOWN
    }

    record Call(String tag, Kind kind, long startNanos, long endNanos, Reported reported, boolean asMeant,
            String body) {
    }

    record Fault(String what, long startNanos, long endNanos, int sessionsKilled) {
        boolean overlaps(Call call, long healingNanos) {
            return call.startNanos() <= endNanos + healingNanos && call.endNanos() >= startNanos;
        }
    }

    @Test
    @DisplayName("75 s of renewals, keepalives, validation and 6 mixed borrowers through 3 session kills and a "
            + "database restart: no committed row lost, no rolled-back row kept, failures only near a fault, "
            + "at most max sessions, none left in a transaction, none after removal")
    void lifecycleHoldsUnderFaults() throws Exception {
        String prefix = "soak-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        long healingNanos = Duration.ofMillis(HEALING_MILLIS).toNanos();
        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger peakSessions = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Metrics countersBefore = Metrics.scrape();
        long soakStart = System.nanoTime();
        long soakEnd = soakStart + Duration.ofMillis(SOAK_MILLIS).toNanos();

        ExecutorService threads = Executors.newFixedThreadPool(BORROWERS + 1);
        List<Future<?>> borrowers = new ArrayList<>();
        List<Fault> faults = new ArrayList<>();
        try {
            for (int b = 0; b < BORROWERS; b++) {
                int borrower = b;
                borrowers.add(threads.submit(() -> {
                    for (int seq = 0; System.nanoTime() < soakEnd; seq++) {
                        Kind kind = MIX.get((borrower + seq) % MIX.size());
                        started.incrementAndGet();
                        calls.add(call(prefix + borrower + "-" + seq + "-" + kind.ordinal(), kind));
                        Http.sleep(CALL_PAUSE_MILLIS);
                    }
                    return null;
                }));
            }
            Future<?> sampler = threads.submit(() -> {
                while (running.get()) {
                    try {
                        peakSessions.accumulateAndGet(database.poolSessions(), Math::max);
                    } catch (IllegalStateException databaseDown) {
                        // nothing to count while it is down
                    }
                    Http.sleep(250);
                }
                return null;
            });

            sleepUntil(soakStart, 8_000);
            faults.add(kill());
            sleepUntil(soakStart, 20_000);
            faults.add(kill());
            sleepUntil(soakStart, 32_000);
            long down = System.nanoTime();
            database.stop();
            Http.sleep(DOWN_MILLIS);
            database.start();
            faults.add(new Fault("restart", down, System.nanoTime(), 0));
            sleepUntil(soakStart, 50_000);
            faults.add(kill());

            for (Future<?> borrower : borrowers) {
                borrower.get();
            }
            running.set(false);
            sampler.get();
        } finally {
            running.set(false);
            threads.shutdownNow();
        }

        List<Call> all = new ArrayList<>(calls);
        Map<String, Integer> rows = database.rowsByTag(prefix);
        List<String> wrongRows = new ArrayList<>();
        int committedRows = 0;
        int foundCommittedRows = 0;
        int rolledBackRowsFound = 0;
        int inDoubtWhole = 0;
        int inDoubtNone = 0;
        for (Call call : all) {
            int found = rows.getOrDefault(call.tag(), 0);
            String expected = expectedRows(call, found);
            if (expected != null) {
                wrongRows.add(call.tag() + " " + call.kind() + " reported " + call.reported() + " ("
                        + call.body() + ") has " + found + " rows, expected " + expected);
            }
            if (call.reported() == Reported.COMMITTED) {
                committedRows += ROWS;
                foundCommittedRows += Math.min(found, ROWS);
            }
            if (call.kind().rollsBack()) {
                rolledBackRowsFound += found;
            }
            if (call.kind() == Kind.COMMIT && (call.reported() == Reported.COMMIT_FAILED
                    || call.reported() == Reported.UNKNOWN)) {
                if (found == ROWS) {
                    inDoubtWhole++;
                } else if (found == 0) {
                    inDoubtNone++;
                }
            }
        }
        List<Call> failed = all.stream().filter(c -> !c.asMeant()).toList();
        List<String> failedAwayFromFaults = failed.stream()
                .filter(c -> faults.stream().noneMatch(f -> f.overlaps(c, healingNanos)))
                .map(c -> at(c.startNanos(), soakStart) + " " + c.kind() + " " + c.reported() + ": " + c.body())
                .toList();
        Fault last = faults.get(faults.size() - 1);
        List<Call> afterHealing = all.stream().filter(c -> c.startNanos() > last.endNanos() + healingNanos).toList();
        Fault restart = faults.stream().filter(f -> f.what().equals("restart")).findFirst().orElseThrow();
        long failedInRestart = failed.stream().filter(c -> restart.overlaps(c, 0)).count();
        List<String> killsOverBound = new ArrayList<>();
        for (Fault fault : faults) {
            long failedNear = failed.stream().filter(c -> fault.overlaps(c, healingNanos)).count();
            if (fault.sessionsKilled() > 0 && failedNear > fault.sessionsKilled()) {
                killsOverBound.add(fault.what() + " at " + at(fault.startNanos(), soakStart) + ": " + failedNear
                        + " failed borrowers for " + fault.sessionsKilled() + " killed sessions");
            }
        }

        // The adapter's own counters (the example's /api/metrics): how much renewing and validating the soak caused.
        Metrics countersAfter = Metrics.scrape();
        String pool = facts.jndiName();
        long renewed = counted(countersBefore, countersAfter, "jdbcpool_retirements_total", pool, "reason=lifetime");
        long roundTrips = counted(countersBefore, countersAfter, "jdbcpool_validations_total", pool,
                "result=round_trip");
        long bypassed = counted(countersBefore, countersAfter, "jdbcpool_validations_total", pool, "result=bypassed");
        Map<String, Long> evicted = new TreeMap<>();
        for (Metrics.Sample sample : countersAfter.samples()) {
            if (sample.name().equals("jdbcpool_fatal_evictions_total") && pool.equals(sample.labels().get("pool"))) {
                String state = sample.labels().get("sqlstate");
                long more = counted(countersBefore, countersAfter, sample.name(), pool, "sqlstate=" + state);
                if (more > 0) {
                    evicted.put(state, more);
                }
            }
        }

        // A renewal opens the new session before it closes the retired one: one more than max for that moment. A
        // call whose reply never came may still be at work in the server: its transaction has 30 s to end.
        int sessionsAfter = Await.atMost(database::poolSessions, MAX, Duration.ofSeconds(10));
        int inTransaction = Await.atMost(database::poolSessionsInTransaction, 0, Duration.ofSeconds(30));
        server.remove();
        int sessionsRemoved = Await.atMost(database::poolSessions, 0, Duration.ofSeconds(15));
        // The class's pool is removed after it, as for every class: give it one to remove.
        server.configure(PoolSettings.defaults());

        String faultList = faults.stream().map(f -> f.what() + "@" + at(f.startNanos(), soakStart)
                + (f.sessionsKilled() > 0 ? "(" + f.sessionsKilled() + " killed)"
                        : "(" + (f.endNanos() - f.startNanos()) / 1_000_000 + " ms)"))
                .collect(Collectors.joining(" "));
        String figures = "soak: " + facts.name() + "/" + database.name() + " " + SOAK_MILLIS / 1000 + " s, "
                + BORROWERS + " borrowers, max " + MAX + ", MaxLifetime " + LIFETIME_SECONDS + " s, keepalive "
                + KEEPALIVE_SECONDS + " s, server validates on borrow: " + facts.validatesOnBorrow() + "; "
                + all.size() + " calls (" + started.get() + " started): " + outcomesByKind(all)
                + "; faults: " + faultList
                + "; failed " + failed.size() + " (" + failedInRestart + " during the restart, "
                + failedAwayFromFaults.size() + " away from faults), after the last healing " + afterHealing.size()
                + " calls, " + afterHealing.stream().filter(c -> !c.asMeant()).count() + " failed"
                + "; rows: " + rows.values().stream().mapToInt(Integer::intValue).sum() + " reconciled for "
                + rows.size() + " tags, committed " + foundCommittedRows + "/" + committedRows
                + ", of rolled-back transactions " + rolledBackRowsFound + ", commits in doubt " + inDoubtWhole
                + " whole + " + inDoubtNone + " none, wrong " + wrongRows.size()
                + "; adapter: " + renewed + " connections renewed by lifetime, validations " + roundTrips
                + " asking the database + " + bypassed + " bypassed, evictions by SQLState " + evicted
                + "; sessions: peak " + peakSessions.get() + ", after " + sessionsAfter + ", idle in transaction "
                + inTransaction + ", after the pool was removed " + sessionsRemoved;
        System.out.println(figures);
        failed.stream().limit(20).forEach(c -> System.out.println("  failed " + at(c.startNanos(), soakStart) + "-"
                + at(c.endNanos(), soakStart) + " " + c.kind() + " " + c.reported() + ": " + c.body()));

        assertEquals(started.get(), all.size(), "calls started and calls recorded");
        assertEquals(List.of(), wrongRows, "transactions and inserts whose rows do not match what was reported");
        assertEquals(List.of(), failedAwayFromFaults, "borrowers that failed away from any fault (start - "
                + HEALING_MILLIS + " ms after its end)");
        assertTrue(afterHealing.size() >= MIN_CALLS_AFTER_HEALING, "only " + afterHealing.size()
                + " calls after the last fault healed");
        assertEquals(List.of(), killsOverBound, "kills that cost more borrowers than sessions killed");
        assertEquals(List.of(), faults.stream().filter(f -> f.what().equals("kill") && f.sessionsKilled() == 0)
                .toList(), "kills that found no session of the pool to end");
        assertTrue(failedInRestart > 0, "no borrower saw the database down: the restart did not happen");
        assertTrue(renewed > 0, "no connection was renewed in place: MaxLifetime took no effect");
        assertTrue(peakSessions.get() <= MAX + 1, "most sessions of the pool's user in the samples every 250 ms "
                + "(max " + MAX + ", and one more while a renewal opens its new session): " + peakSessions.get());
        assertTrue(sessionsAfter <= MAX, "sessions of the pool's user 10 s after the soak: " + sessionsAfter);
        assertEquals(0, inTransaction, "sessions of the pool's user in a transaction 30 s after the soak");
        assertEquals(List.of(), all.stream().map(Call::body).filter(b -> b.contains(database.password())).toList(),
                "replies with the password");
        assertEquals(0, sessionsRemoved, "sessions of the pool's user 15 s after the pool was removed");
    }

    /** One borrower call, whatever becomes of it. */
    private Call call(String tag, Kind kind) {
        long start = System.nanoTime();
        URI uri = kind == Kind.AUTOCOMMIT
                ? Http.probe("/probe/query?sql=" + URLEncoder.encode("INSERT INTO probe_rows (tag) VALUES ('" + tag
                        + "')", StandardCharsets.UTF_8))
                : Http.probe("/probe/tx/outcome?tag=" + tag + "&rows=" + ROWS + "&pauseMillis=" + INSERT_PAUSE_MILLIS
                        + "&end=" + kind.end);
        Reply reply;
        try {
            reply = Http.post(uri, "", HTTP_TIMEOUT);
        } catch (RuntimeException e) {
            return new Call(tag, kind, start, System.nanoTime(), Reported.UNKNOWN, false, "no reply: " + e
                    + (e.getCause() == null ? "" : " / " + e.getCause()));
        }
        long end = System.nanoTime();
        String body = reply.body();
        if (kind == Kind.AUTOCOMMIT) {
            if (reply.status() == 200 && body.startsWith("ok|")) {
                return new Call(tag, kind, start, end, Reported.INSERTED, true, body);
            }
            return new Call(tag, kind, start, end, reply.status() == 503 ? Reported.INSERT_FAILED : Reported.UNKNOWN,
                    false, reply.status() + " " + body);
        }
        if (reply.status() == 200 && body.equals(kind == Kind.COMMIT ? "committed" : "rolled back")) {
            return new Call(tag, kind, start, end, kind == Kind.COMMIT ? Reported.COMMITTED : Reported.ROLLED_BACK,
                    true, body);
        }
        if (reply.status() == 503 && body.startsWith("rolled back|")) {
            return new Call(tag, kind, start, end, Reported.ROLLED_BACK, false, body);
        }
        if (reply.status() == 503 && body.startsWith("commit failed|") && kind == Kind.COMMIT) {
            return new Call(tag, kind, start, end, Reported.COMMIT_FAILED, false, body);
        }
        return new Call(tag, kind, start, end, Reported.UNKNOWN, false, reply.status() + " " + body);
    }

    /**
     * Null when the rows found fit what the borrower was told, else what was expected. Committed: all rows. A
     * transaction that rolls back by design never commits, whatever its reply: none. Rolled back: none. A commit in
     * doubt or an unknown outcome: all or none. An autocommit insert reported done: its row; failed or unknown: at
     * most its row.
     */
    private static String expectedRows(Call call, int found) {
        if (call.kind() == Kind.AUTOCOMMIT) {
            if (call.reported() == Reported.INSERTED) {
                return found == 1 ? null : "1";
            }
            return found <= 1 ? null : "0 or 1";
        }
        if (call.reported() == Reported.COMMITTED) {
            return found == ROWS ? null : String.valueOf(ROWS);
        }
        if (call.kind().rollsBack() || call.reported() == Reported.ROLLED_BACK) {
            return found == 0 ? null : "0";
        }
        return found == 0 || found == ROWS ? null : "0 or " + ROWS;
    }

    /** How much a counter of the adapter (with these labels) grew between two scrapes. */
    private static long counted(Metrics before, Metrics after, String name, String pool, String... labels) {
        return Math.round(after.sum(name, pool, labels) - before.sum(name, pool, labels));
    }

    /** Ends every session of the pool's user in the database, now. */
    private Fault kill() {
        long start = System.nanoTime();
        int killed = database.killPoolSessions();
        return new Fault("kill", start, System.nanoTime(), killed);
    }

    /** The observation once it is at most {@code most}, or its last value when {@code limit} has passed. */
    private static String outcomesByKind(List<Call> all) {
        Map<Kind, Map<Reported, Long>> byKind = new EnumMap<>(Kind.class);
        for (Call call : all) {
            byKind.computeIfAbsent(call.kind(), k -> new TreeMap<>()).merge(call.reported(), 1L, Long::sum);
        }
        return byKind.entrySet().stream().map(e -> e.getKey().name().toLowerCase() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static void sleepUntil(long startNanos, long millis) {
        long left = startNanos + millis * 1_000_000 - System.nanoTime();
        if (left > 0) {
            Http.sleep(left / 1_000_000);
        }
    }

    private static String at(long nanos, long startNanos) {
        return String.format("%.1fs", (nanos - startNanos) / 1e9);
    }
}
