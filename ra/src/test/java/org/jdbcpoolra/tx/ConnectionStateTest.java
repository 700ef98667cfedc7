package org.jdbcpoolra.tx;

import static org.jdbcpoolra.tx.ConnectionState.ABORTED;
import static org.jdbcpoolra.tx.ConnectionState.BROKEN;
import static org.jdbcpoolra.tx.ConnectionState.CONTAINER_TRANSACTION;
import static org.jdbcpoolra.tx.ConnectionState.DESTROYED;
import static org.jdbcpoolra.tx.ConnectionState.IDLE;
import static org.jdbcpoolra.tx.ConnectionState.IN_USE;
import static org.jdbcpoolra.tx.ConnectionState.CLAIMED;
import static org.jdbcpoolra.tx.ConnectionState.LOCAL_TRANSACTION;
import static org.jdbcpoolra.tx.ConnectionState.XA_BRANCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import jakarta.resource.spi.LocalTransactionException;

import org.jdbcpoolra.spi.StandardFatalErrorClassifier;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One state per managed connection, moved only by {@link TransactionControl}, only along the allowed moves. A broken
 * connection stays broken until destroyed and never commits what its borrower half did.
 */
@DisplayName("The managed connection's state")
class ConnectionStateTest {
    private TestDatabase db;
    private Connection physical;
    private final List<String> events = new ArrayList<>();
    private TransactionControl control;
    private TransactionEvents sink;
    private volatile boolean borrowed;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE item(id INT PRIMARY KEY)");
        physical = DriverManager.getConnection(db.url());
        sink = new TransactionEvents() {
                    @Override public void localTransactionStarted() { events.add("started"); }
                    @Override public void localTransactionCommitted() { events.add("committed"); }
                    @Override public void localTransactionRolledBack() { events.add("rolled back"); }
                    @Override public void broken(Exception cause) { events.add("broken " + cause.getMessage()); }
                    @Override public boolean borrowed() { return borrowed; }
                    @Override public void abortedUnderBorrower() { events.add("aborted"); }
                    @Override public void takeHandlesBack() { events.add("handles taken back"); }
                    @Override public void closePhysical() { events.add("physical closed"); }
                };
        control = new TransactionControl("pool", physical, new StandardFatalErrorClassifier(), sink,
                Duration.ofSeconds(10));
    }

    @AfterEach
    void close() throws Exception {
        physical.close();
        db.close();
    }

    @Test
    @DisplayName("the allowed moves: nothing leaves DESTROYED, BROKEN leads only to DESTROYED")
    void allowedMoves() {
        for (ConnectionState next : ConnectionState.values()) {
            assertFalse(DESTROYED.canMoveTo(next), "DESTROYED -> " + next);
            assertEquals(next == DESTROYED, BROKEN.canMoveTo(next), "BROKEN -> " + next);
        }
        for (ConnectionState from : EnumSet.range(IDLE, ABORTED)) {
            assertTrue(from.canMoveTo(BROKEN), from + " -> BROKEN");
            assertTrue(from.canMoveTo(DESTROYED), from + " -> DESTROYED");
        }
        assertFalse(IDLE.canMoveTo(LOCAL_TRANSACTION), "only a borrower turns autocommit off");
        assertFalse(XA_BRANCH.canMoveTo(CONTAINER_TRANSACTION));
        assertFalse(CONTAINER_TRANSACTION.canMoveTo(XA_BRANCH));
        for (ConnectionState other : ConnectionState.values()) {
            assertEquals(other == IDLE, other.canMoveTo(CLAIMED), other + " -> CLAIMED: only idle ones");
            assertEquals(other == IDLE || other == BROKEN || other == DESTROYED, CLAIMED.canMoveTo(other),
                    "CLAIMED -> " + other);
        }
    }

    @Test
    @DisplayName("a check claims only an idle connection, and a borrower gets it back after the check")
    void checksClaimOnlyIdleConnections() throws Exception {
        assertTrue(control.tryClaim());
        assertFalse(control.tryClaim(), "claimed twice");
        assertTrue(control.release(true));
        assertEquals(IDLE, control.state());

        assertTrue(control.lent());
        assertEquals(IN_USE, control.state());
        assertFalse(control.tryClaim(), "a lent connection was claimed");
    }

    @Test
    @DisplayName("a connection a check found dead is never lent")
    void deadAfterACheckIsNotLent() throws Exception {
        assertTrue(control.tryClaim());
        assertTrue(control.release(false));

        assertFalse(control.lent());
        assertEquals(BROKEN, control.state());
    }

    @Test
    @DisplayName("lend, local transaction, return: each move reported once, autocommit back on")
    void borrowerDrivenLocalTransaction() throws Exception {
        control.lent();
        control.setAutoCommit(false);
        assertEquals(LOCAL_TRANSACTION, control.state());
        physical.createStatement().executeUpdate("INSERT INTO item VALUES (1)");

        assertTrue(control.returning());
        control.idle();

        assertEquals(IDLE, control.state());
        assertTrue(physical.getAutoCommit());
        assertEquals(0, db.count("item"), "the borrower's unfinished work was rolled back");
        assertEquals(List.of("started"), events);
    }

    @Test
    @DisplayName("an illegal move fails loudly instead of corrupting the state")
    void illegalMoveFails() throws Exception {
        control.lent();
        control.begin();
        physical.createStatement().executeUpdate("INSERT INTO item VALUES (1)");

        javax.transaction.xa.XAException e = assertThrows(javax.transaction.xa.XAException.class,
                control::xaStarting);

        assertTrue(e.getCause().getMessage().contains("no XA branch can start on a connection in "
                + "CONTAINER_TRANSACTION"), e.getCause().getMessage());
        assertEquals(CONTAINER_TRANSACTION, control.state());
    }

    @Test
    @DisplayName("after a fatal error the borrower can neither commit nor re-enable autocommit; rollback still works")
    void brokenConnectionRefusesCommit() throws Exception {
        control.lent();
        control.setAutoCommit(false);
        physical.createStatement().executeUpdate("INSERT INTO item VALUES (1)");
        control.failed(new SQLException("connection reset", "08006"));

        SQLException commit = assertThrows(SQLException.class, control::commit);
        SQLException autoCommit = assertThrows(SQLException.class, () -> control.setAutoCommit(true));
        control.rollback();

        assertEquals(BROKEN, control.state());
        assertEquals("08003", commit.getSQLState());
        assertEquals("08003", autoCommit.getSQLState());
        assertEquals(0, db.count("item"));
        assertEquals(List.of("started", "broken connection reset"), events);
    }

    @Test
    @DisplayName("a container transaction whose connection broke is rolled back, never committed")
    void brokenContainerTransactionIsNeverCommitted() throws Exception {
        control.lent();
        control.begin();
        physical.createStatement().executeUpdate("INSERT INTO item VALUES (1)");
        control.failed(new SQLException("connection reset", "08S01"));

        LocalTransactionException e = assertThrows(LocalTransactionException.class, () -> control.end(true));

        assertTrue(e.getMessage().contains("nothing was committed"), e.getMessage());
        assertEquals(0, db.count("item"));
        assertFalse(control.returning(), "a broken connection is destroyed, not reset");
        assertTrue(control.destroying());
        assertEquals(DESTROYED, control.state());
        assertFalse(control.destroying(), "destroyed once");
    }

    @Test
    @DisplayName("a container transaction whose connection the server destroyed before the outcome is refused the "
            + "commit as a connection failure")
    void containerTransactionDestroyedBeforeItsOutcomeIsNeverCommitted() throws Exception {
        control.lent();
        control.begin();
        physical.createStatement().executeUpdate("INSERT INTO item VALUES (1)");
        control.failed(new SQLException("connection reset", "08S01"));
        assertTrue(control.destroying());

        LocalTransactionException e = assertThrows(LocalTransactionException.class, () -> control.end(true));

        assertEquals("08003", e.getErrorCode());
        assertTrue(e.getMessage().contains("nothing was committed"), e.getMessage());
        assertEquals(0, db.count("item"));
        control.end(false);
    }

    @Test
    @DisplayName("a non-fatal error changes nothing")
    void nonFatalErrorKeepsTheState() throws Exception {
        control.lent();
        control.failed(new SQLException("syntax error", "42000"));

        assertEquals(IN_USE, control.state());
        assertEquals(List.of(), events);
    }

    @Test
    @DisplayName("a transaction rolled back from another thread under a borrower (a timeout) commits nothing the "
            + "borrower does after it, and the cleanup leaves the connection clean")
    void rollbackByTheTransactionManagerUnderABorrowerKeepsLaterWorkFromCommitting() throws Exception {
        borrowed = true;
        control.lent();
        new JdbcLocalTransaction(control).begin();
        insert(1);
        Thread reaper = new Thread(() -> {
            try {
                new JdbcLocalTransaction(control).rollback();
            } catch (Exception e) {
                events.add("reaper failed " + e);
            }
        });
        reaper.start();
        reaper.join();
        assertEquals(ConnectionState.ABORTED, control.state());
        assertFalse(physical.getAutoCommit(), "autocommit stays off after the timeout");

        insert(2);
        SQLException commit = assertThrows(SQLException.class, control::commit);
        assertTrue(commit.getMessage().contains("rolled this transaction back (it timed out)"), commit.getMessage());
        assertThrows(SQLException.class, () -> control.setAutoCommit(true));
        assertEquals(0, committedItems(), "nothing committed, before or after the timeout");

        borrowed = false;
        assertTrue(control.returning());
        control.idle();
        assertEquals(IDLE, control.state());
        assertTrue(physical.getAutoCommit());
        assertEquals(0, committedItems());
        assertEquals(List.of("aborted"), events);
    }

    @Test
    @DisplayName("a rollback on the borrower's own thread restores autocommit; from another thread it is a timeout "
            + "even before a handle is out (a server enlists first), and the connection stays out of autocommit")
    void rollbackFromAnotherThreadIsATimeoutEvenWithoutAHandle() throws Exception {
        borrowed = true;
        control.lent();
        new JdbcLocalTransaction(control).begin();
        new JdbcLocalTransaction(control).rollback();
        assertEquals(IN_USE, control.state());
        assertTrue(physical.getAutoCommit());

        borrowed = false;
        new JdbcLocalTransaction(control).begin();
        Thread reaper = new Thread(() -> {
            try {
                new JdbcLocalTransaction(control).rollback();
            } catch (Exception e) {
                events.add("reaper failed " + e);
            }
        });
        reaper.start();
        reaper.join();
        assertEquals(ConnectionState.ABORTED, control.state());
        assertFalse(physical.getAutoCommit());
        assertEquals(List.of("aborted"), events);

        assertTrue(control.returning());
        control.idle();
        assertTrue(physical.getAutoCommit());
    }

    @Test
    @DisplayName("a destroyed connection is never lent")
    void destroyedConnectionIsNotLent() {
        assertTrue(control.destroying());
        assertFalse(control.lent());
    }

    @Test
    @DisplayName("of two threads destroying one connection at once, exactly one does the work")
    void concurrentDestroyersOnlyOneWins() throws Exception {
        for (int i = 0; i < 2000; i++) {
            TransactionControl one = new TransactionControl("pool", physical, new StandardFatalErrorClassifier(),
                    sink, Duration.ofSeconds(10));
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.atomic.AtomicInteger winners = new java.util.concurrent.atomic.AtomicInteger();
            Runnable destroyer = () -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                if (one.destroying()) {
                    winners.incrementAndGet();
                }
            };
            Thread other = new Thread(destroyer);
            other.start();
            destroyer.run();
            other.join();
            assertEquals(1, winners.get(), "destroyers that went on, round " + i);
        }
    }

    /** What another session sees: committed rows only. */
    private int committedItems() throws SQLException {
        try (Connection other = DriverManager.getConnection(db.url()); var s = other.createStatement();
                var rs = s.executeQuery("SELECT COUNT(*) FROM item")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void insert(int id) throws SQLException {
        try (var s = physical.createStatement()) {
            s.executeUpdate("INSERT INTO item VALUES (" + id + ")");
        }
    }
}
