package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.LocalTransaction;

import org.jdbcpoolra.support.RecordingListener;
import org.jdbcpoolra.support.Script;
import org.jdbcpoolra.support.ScriptedDriver;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One owner at a time: whoever touches a physical connection (the borrower, the server's validation and matching,
 * the keepalive check, a renewal, the container's transaction, destroy) owns it first, and nothing slow happens while
 * it does. Each test makes two of them meet on one managed connection, through a driver that blocks a chosen call
 * until the test lets it go, and checks that they took turns (no two threads inside the physical connection at once)
 * and that neither waited for the other's login.
 */
@DisplayName("One owner at a time")
class OneOwnerTest {
    private static final long ANY_IDLE_TIME = 0;
    private static final long A_MINUTE = TimeUnit.MINUTES.toNanos(1);

    private TestDatabase db;
    private Script script;
    private JdbcManagedConnectionFactory factory;
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch proceed = new CountDownLatch(1);

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE item(id INT)");
        script = ScriptedDriver.script(db.url());
        factory = new JdbcManagedConnectionFactory();
        factory.setDriverClass(ScriptedDriver.class.getName());
        factory.setUrl(script.url());
        factory.setValidationBypassMillis("0");
        factory.setLoginTimeout("0");
    }

    @AfterEach
    void close() throws Exception {
        proceed.countDown();
        db.close();
    }

    private JdbcManagedConnection newConnection() throws Exception {
        return (JdbcManagedConnection) factory.createManagedConnection(null, null);
    }

    /** Blocks the call of that name when the calling thread has that name, until the test lets it go. */
    private void blockOn(String method, String threadName) {
        script.on(method, (target, physical, name, args) -> {
            if (Thread.currentThread().getName().equals(threadName)) {
                entered.countDown();
                proceed.await(20, TimeUnit.SECONDS);
            }
        });
    }

    private static Thread start(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void awaitEntered() throws InterruptedException {
        assertTrue(entered.await(20, TimeUnit.SECONDS), "the blocked call was never made");
    }

    /** The connection of its first physical connection past MaxLifetime (1 s). */
    private JdbcManagedConnection retiredConnection() throws Exception {
        factory.setMaxLifetime("1"); // the same value again when the test activated the pool already
        JdbcManagedConnection mc = newConnection();
        Thread.sleep(1100);
        assertTrue(mc.retired());
        return mc;
    }

    @Test
    @DisplayName("The server's validation waits for a running keepalive check instead of validating beside it, and "
            + "the network timeout the check set for itself is restored")
    void serverValidationWaitsForTheKeepaliveCheck() throws Exception {
        factory.setValidationQuery("SELECT 1");
        factory.setNetworkTimeout("300");
        JdbcManagedConnection mc = newConnection();
        blockOn("execute", "keepalive");
        Thread keepalive = start("keepalive", () -> mc.keepAlive(ANY_IDLE_TIME));
        awaitEntered();

        CompletableFuture<Set<?>> server = CompletableFuture.supplyAsync(() -> factory.getInvalidConnections(
                Set.of(mc)));
        assertThrows(TimeoutException.class, () -> server.get(500, TimeUnit.MILLISECONDS),
                "the server's validation ran while the keepalive check held the connection");
        proceed.countDown();
        keepalive.join(20_000);

        assertEquals(Set.of(), server.get(20, TimeUnit.SECONDS));
        assertEquals(List.of(), script.overlaps());
        assertEquals(300_000, script.open().get(0).networkTimeoutMillis());
    }

    @Test
    @DisplayName("A connection whose renewal is logging in is still valid for the server")
    void connectionBeingRenewedIsValidForTheServer() throws Exception {
        JdbcManagedConnection mc = retiredConnection();
        blockOn("connect", "keepalive");
        Thread keepalive = start("keepalive", () -> mc.keepAlive(A_MINUTE));
        awaitEntered();

        CompletableFuture<Set<?>> server = CompletableFuture.supplyAsync(() -> factory.getInvalidConnections(
                Set.of(mc)));
        try {
            assertEquals(Set.of(), server.get(20, TimeUnit.SECONDS), "the server was told to destroy it");
        } finally {
            proceed.countDown();
            keepalive.join(20_000);
        }
    }

    @Test
    @DisplayName("A renewal holds the connection for no login: a borrower gets it while the new one logs in")
    void borrowerDoesNotWaitForARenewalLogin() throws Exception {
        JdbcManagedConnection mc = retiredConnection();
        blockOn("connect", "keepalive");
        Thread keepalive = start("keepalive", () -> mc.keepAlive(A_MINUTE));
        awaitEntered();

        CompletableFuture<Object> borrower = CompletableFuture.supplyAsync(() -> {
            try {
                return mc.getConnection(null, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertTrue(borrower.get(20, TimeUnit.SECONDS) instanceof Connection);
        } finally {
            proceed.countDown();
            keepalive.join(20_000);
        }
    }

    @Test
    @DisplayName("Giving back a retired connection never logs in on the application's thread")
    void cleanupNeverLogsIn() throws Exception {
        JdbcManagedConnection mc = retiredConnection();
        Connection handle = (Connection) mc.getConnection(null, null);
        handle.close();
        int connects = script.connects();

        mc.cleanup();

        assertEquals(connects, script.connects(), "cleanup opened a connection");
    }

    @Test
    @DisplayName("A keepalive check never claims a connection whose cleanup is still resetting it")
    void keepaliveWaitsForTheEndOfCleanup() throws Exception {
        JdbcManagedConnection mc = newConnection();
        Connection handle = (Connection) mc.getConnection(null, null);
        handle.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        handle.close();
        blockOn("setTransactionIsolation", "server");
        Thread server = start("server", () -> {
            try {
                mc.cleanup();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitEntered();

        Thread keepalive = start("keepalive", () -> mc.keepAlive(ANY_IDLE_TIME));
        keepalive.join(20_000);
        proceed.countDown();
        server.join(20_000);

        assertEquals(List.of(), script.overlaps());
    }

    @Test
    @DisplayName("The container's transaction owns the connection before it turns autocommit off, so no renewal "
            + "can swap in a connection in autocommit under it")
    void containerTransactionOwnsTheConnectionBeforeTouchingIt() throws Exception {
        JdbcManagedConnection mc = retiredConnection();
        LocalTransaction transaction = mc.getLocalTransaction();
        script.on("setAutoCommit", (target, physical, name, args) -> {
            if (Thread.currentThread().getName().equals("tm") && Boolean.FALSE.equals(args[0])) {
                entered.countDown();
                proceed.await(20, TimeUnit.SECONDS);
            }
        });
        Thread tm = start("tm", () -> {
            try {
                transaction.begin();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitEntered();
        Thread keepalive = start("keepalive", () -> mc.keepAlive(A_MINUTE));
        keepalive.join(20_000);
        proceed.countDown();
        tm.join(20_000);

        try (Connection handle = (Connection) mc.getConnection(null, null);
                Statement statement = handle.createStatement()) {
            statement.execute("INSERT INTO item VALUES (1)");
        }
        transaction.rollback();

        assertEquals(0, db.count("item"), "the container's rollback left a row: it ran in autocommit");
    }

    @Test
    @DisplayName("A handle associated while a renewal logs in works on the connection it was given")
    void associateConnectionWaitsForTheOwnerAndBindsTheCurrentConnection() throws Exception {
        factory.setMaxLifetime("1");
        JdbcManagedConnection other = newConnection();
        Connection handle = (Connection) other.getConnection(null, null);
        JdbcManagedConnection mc = retiredConnection();
        blockOn("connect", "keepalive");
        Thread keepalive = start("keepalive", () -> mc.keepAlive(A_MINUTE));
        awaitEntered();

        CompletableFuture<Void> associated = CompletableFuture.runAsync(() -> {
            try {
                mc.associateConnection(handle);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            associated.get(20, TimeUnit.SECONDS);
        } finally {
            proceed.countDown();
            keepalive.join(20_000);
        }
        try (Statement statement = handle.createStatement()) {
            assertTrue(statement.execute("SELECT 1"));
        }
    }

    @Test
    @DisplayName("A connection that failed is reported to the server once, also when the application aborts it")
    void abortAfterAFatalErrorFiresNoSecondErrorEvent() throws Exception {
        JdbcManagedConnection mc = newConnection();
        RecordingListener listener = new RecordingListener();
        mc.addConnectionEventListener(listener);
        Connection handle = (Connection) mc.getConnection(null, null);
        script.on("execute", (target, physical, name, args) -> {
            throw new SQLException("connection reset", "08006");
        });
        assertThrows(SQLException.class, () -> handle.createStatement().execute("SELECT 1"));

        handle.abort(Runnable::run);

        assertEquals(1, listener.ofType(ConnectionEvent.CONNECTION_ERROR_OCCURRED).size(), listener.types().toString());
    }

    @Test
    @DisplayName("A finished transaction keeps no reference to the thread that began it")
    void finishedTransactionDoesNotPinItsThread() throws Exception {
        JdbcManagedConnection mc = newConnection();
        LocalTransaction transaction = mc.getLocalTransaction();
        Thread worker = start("worker", () -> {
            try {
                transaction.begin();
                transaction.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        worker.join(20_000);
        WeakReference<Thread> gone = new WeakReference<>(worker);
        worker = null;

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (gone.get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(null, gone.get(), "the managed connection still holds the thread of its last transaction");
        assertFalse(mc.state() == null);
    }

    @Test
    @DisplayName("After a fatal error on one connection, the others open before it are validated with a round trip")
    void fatalErrorMakesEveryOlderConnectionSuspect() throws Exception {
        factory.setValidationBypassMillis("60000");
        JdbcManagedConnection failing = newConnection();
        JdbcManagedConnection second = newConnection();
        JdbcManagedConnection third = newConnection();
        for (JdbcManagedConnection mc : List.of(failing, second, third)) {
            ((Connection) mc.getConnection(null, null)).close();
            mc.cleanup();
        }
        AtomicInteger roundTrips = new AtomicInteger();
        script.on("isValid", (target, physical, name, args) -> roundTrips.incrementAndGet());
        Connection handle = (Connection) failing.getConnection(null, null);
        script.on("execute", (target, physical, name, args) -> {
            if (physical.id() == 1) {
                throw new SQLException("terminating connection due to administrator command", "57P01");
            }
        });
        assertThrows(SQLException.class, () -> handle.createStatement().execute("SELECT 1"));

        factory.getInvalidConnections(Set.of(second, third));

        assertEquals(2, roundTrips.get(), "connections older than the fatal error skipped validation");
    }
}
