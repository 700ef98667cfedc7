package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.BLOCKING_TIMEOUT_MILLIS;
import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jdbcpoolra.it.support.Deployments;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two-phase commit across two databases through two XA connection definitions of our adapter (PostgreSQL and
 * MariaDB), every outcome counted in both databases; and the pool's behaviour in XA mode. MariaDB's XA pool does
 * not validate on borrow, so a dead connection there meets XA start, which must get it destroyed.
 */
@PoolSettings.Use({"xa=postgresql,mariadb", "xa-no-validation=mariadb"})
@Deployments.Uses(Deployments.Probe.XA)
@Tag("xa")
class XaTransactionsIT extends PoolScenario {
    private final TestDatabase first = TestDatabase.named("postgresql");
    private final TestDatabase second = TestDatabase.named("mariadb");


    @AfterEach
    void noBranchLeftPrepared() {
        assertEquals(0, first.preparedBranches(), "prepared branches left in PostgreSQL");
        assertEquals(0, second.preparedBranches(), "prepared branches left in MariaDB");
    }

    private static String tag() {
        return "xa-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Reply write(String tag, String outcome) {
        return Http.post(Http.probe("/xa/write?tag=" + tag + "&outcome=" + outcome), "");
    }

    @Test
    @DisplayName("Commit of a transaction over both databases makes both rows visible")
    void commitReachesBothDatabases() {
        String tag = tag();
        Reply reply = write(tag, "commit");
        assertEquals(200, reply.status(), reply.body());
        assertEquals(1, first.rowsTagged(tag));
        assertEquals(1, second.rowsTagged(tag));
    }

    @Test
    @DisplayName("setRollbackOnly or an exception after both writes leaves neither row")
    void rollbackReachesBothDatabases() {
        String rollbackOnly = tag();
        assertEquals(200, write(rollbackOnly, "rollback-only").status());
        String exception = tag();
        assertEquals(503, write(exception, "exception").status());
        for (String tag : List.of(rollbackOnly, exception)) {
            assertEquals(0, first.rowsTagged(tag), tag);
            assertEquals(0, second.rowsTagged(tag), tag);
        }
    }

    @Test
    @DisplayName("PostgreSQL refusing to prepare (a deferred constraint) rolls back the MariaDB branch too")
    void failureAtPrepareRollsBackTheOtherBranch() {
        String tag = tag();
        int id = (int) (System.nanoTime() & 0x7fffffff);
        Reply reply = Http.post(Http.probe("/xa/fail-at-prepare?tag=" + tag + "&id=" + id), "");
        System.out.println("failure at prepare: " + reply.body());
        assertEquals(503, reply.status(), reply.body());
        assertEquals(0, second.rowsTagged(tag), "the MariaDB branch was rolled back");
        assertEquals(0, first.rowsTagged(tag));
        assertEquals(0, first.queryInt("SELECT COUNT(*) FROM xa_deferred WHERE id = " + id));
        assertEquals(200, write(tag(), "commit").status(), "the pools serve afterwards");
    }

    @Test
    @DisplayName("A transaction timed out while its borrower works rolls back both branches in the databases and "
            + "leaves no session in a transaction")
    void timedOutTransactionRollsBackBothBranches() {
        String tag = tag();
        Reply reply = Http.post(Http.probe("/xa/timeout?tag=" + tag + "&timeout=2&workMillis=13000"), "");
        System.out.println("XA transaction timed out under its borrower: " + reply.body());
        assertEquals(200, reply.status(), reply.body());
        assertTrue(!reply.body().endsWith("|committed"), "the borrower was told it committed: " + reply.body());
        for (TestDatabase database : List.of(first, second)) {
            assertEquals(0, database.rowsTagged(tag), database.name() + ": rows from before the timeout");
            assertEquals(0, database.rowsTagged(tag + "-after"), database.name() + ": rows from after the timeout");
            assertEquals(0, database.poolSessionsInTransaction(), database.name() + ": a session left in a "
                    + "transaction");
        }
        assertEquals(200, write(tag(), "commit").status(), "the pools serve afterwards");
    }

    @Test
    @DisplayName("XA pools keep max, queue the extra borrowers, and time out the one that waits too long")
    void maxWaitAndBlockingTimeoutHoldInXaMode() throws Exception {
        System.out.println("MariaDB sessions of the XA pool's user before the borrowers: " + second.poolSessions());
        AtomicInteger peak = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(second.poolSessions(), Math::max);
                Http.sleep(50);
            }
        });
        sampler.start();
        List<CompletableFuture<Reply>> borrowers = new ArrayList<>();
        for (int i = 0; i < MAX + 2; i++) {
            borrowers.add(Http.postAsync(Http.probe("/xa/hold?which=second&millis=1000")));
        }
        java.util.Set<String> sessions = new java.util.HashSet<>();
        for (CompletableFuture<Reply> borrower : borrowers) {
            Reply reply = borrower.get();
            assertEquals(200, reply.status(), reply.body());
            sessions.add(reply.body().split("\\|")[2]);
        }
        sampling.set(false);
        sampler.join();
        assertTrue(sessions.size() <= MAX, MAX + 2 + " XA borrowers got sessions " + sessions + " with max " + MAX);
        // The transaction manager's recovery keeps one connection of its own to each XA resource, outside the pool
        // (the crash test's recovery pass may have opened it): at most one session more than max.
        assertTrue(peak.get() <= MAX + 1, "MariaDB saw " + peak.get() + " sessions of the XA pool's user with max "
                + MAX);

        List<CompletableFuture<Reply>> holders = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            holders.add(Http.postAsync(Http.probe("/xa/hold?which=second&millis=" + (BLOCKING_TIMEOUT_MILLIS + 3000))));
        }
        Http.sleep(1000);
        Reply late = Http.post(Http.probe("/xa/hold?which=second&millis=0"), "");
        assertEquals(503, late.status(), late.body());
        assertTrue(late.body().contains(facts.exhaustedText()), late.body());
        long waited = Long.parseLong(late.body().split("\\|", 2)[0]);
        assertTrue(waited >= BLOCKING_TIMEOUT_MILLIS - 100, "gave up after " + waited + " ms");
        for (CompletableFuture<Reply> holder : holders) {
            assertEquals(200, holder.get().status());
        }
    }

    @Test
    @DisplayName("Killed XA sessions: with validation none is handed out; without it XA start fails once each and "
            + "evicts it")
    void deadXaConnectionsAreValidatedOrEvicted() throws Exception {
        for (String which : List.of("first", "second")) {
            List<CompletableFuture<Reply>> holders = new ArrayList<>();
            for (int i = 0; i < MAX; i++) {
                holders.add(Http.postAsync(Http.probe("/xa/hold?which=" + which + "&millis=500")));
            }
            for (CompletableFuture<Reply> holder : holders) {
                assertEquals(200, holder.get().status());
            }
        }
        // Killed while idle: longer than ValidationBypassMillis (500 ms), so validation asks the database.
        Http.sleep(1000);
        int killedSecond = second.killPoolSessions();
        // PostgreSQL's pool_it sessions are the local pool's and the XA pool's: all of them die.
        first.killPoolSessions();

        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String tag = tag();
            Reply reply = write(tag, "commit");
            int expected = reply.ok() ? 1 : 0;
            if (!reply.ok()) {
                failures.add(reply.body());
            }
            assertEquals(expected, first.rowsTagged(tag), "PostgreSQL rows of a transaction that " + reply.body());
            assertEquals(expected, second.rowsTagged(tag), "MariaDB rows of a transaction that " + reply.body());
        }
        System.out.println("after killing the XA sessions (" + killedSecond + " in MariaDB, not validated), "
                + failures.size() + " of 20 transactions failed: " + failures);
        assertTrue(failures.size() <= killedSecond, failures.size() + " failures for " + killedSecond
                + " killed unvalidated sessions (the validated PostgreSQL pool must add none): " + failures);
        for (int i = 0; i < 5; i++) {
            assertEquals(200, write(tag(), "commit").status(), "every transaction succeeds once the dead are gone");
        }
    }
}
