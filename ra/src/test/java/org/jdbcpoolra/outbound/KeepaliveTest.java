package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ResourceAllocationException;

import org.h2.jdbc.JdbcConnection;
import org.jdbcpoolra.support.PhysicalFakes;
import org.jdbcpoolra.support.RecordingListener;
import org.jdbcpoolra.support.TestDatabase;
import org.jdbcpoolra.tx.ConnectionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The adapter's own keepalive check (KeepaliveSeconds): only idle connections unused for the keepalive time are
 * validated, a dead one is reported to the server, and a borrower who wants a connection under check waits for the
 * outcome instead of sharing the physical connection with it.
 */
@DisplayName("Keepalive checks of idle connections")
class KeepaliveTest {
    private static final long ANY_IDLE_TIME = 0;
    private static final long A_MINUTE = TimeUnit.MINUTES.toNanos(1);

    private TestDatabase db;
    private JdbcManagedConnectionFactory factory;
    private Connection real;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
        factory = db.factory();
        real = DriverManager.getConnection(db.url());
    }

    @AfterEach
    void close() throws Exception {
        real.close();
        db.close();
    }

    private JdbcManagedConnection over(Connection physical) throws SQLException {
        JdbcManagedConnection mc = ManagedConnections.over(factory, physical);
        mc.addConnectionEventListener(listener);
        return mc;
    }

    @Test
    void deadIdleConnectionIsReportedToTheServerAndFoundInvalid() throws Exception {
        JdbcManagedConnection mc = over(PhysicalFakes.failingOn(real, "isValid",
                new SQLException("socket closed", "08006")));

        mc.keepAlive(ANY_IDLE_TIME);

        List<ConnectionEvent> errors = listener.ofType(ConnectionEvent.CONNECTION_ERROR_OCCURRED);
        assertEquals(1, errors.size(), listener.types().toString());
        assertTrue(errors.get(0).getException().getMessage().contains("keepalive found the idle connection dead"),
                errors.get(0).getException().getMessage());
        assertEquals(ConnectionState.BROKEN, mc.state());
        assertEquals(Set.of(mc), factory.getInvalidConnections(Set.of(mc)));
    }

    @Test
    void aliveIdleConnectionStaysIdleAndServesTheNextBorrower() throws Exception {
        List<String> calls = new ArrayList<>();
        JdbcManagedConnection mc = over(PhysicalFakes.recording(real, calls));

        mc.keepAlive(ANY_IDLE_TIME);

        assertTrue(calls.contains("isValid"), calls.toString());
        assertEquals(List.of(), listener.types());
        assertEquals(ConnectionState.IDLE, mc.state());
        try (Connection handle = (Connection) mc.getConnection(null, null)) {
            assertTrue(handle.createStatement().execute("SELECT 1"));
        }
    }

    @Test
    void recentlyReturnedConnectionIsNotChecked() throws Exception {
        List<String> calls = new ArrayList<>();
        JdbcManagedConnection mc = over(PhysicalFakes.recording(real, calls));
        ((Connection) mc.getConnection(null, null)).close();
        mc.cleanup();
        calls.clear();

        mc.keepAlive(A_MINUTE);

        assertEquals(List.of(), calls);
    }

    @Test
    void lentConnectionIsNeverChecked() throws Exception {
        List<String> calls = new ArrayList<>();
        JdbcManagedConnection mc = over(PhysicalFakes.recording(real, calls));
        mc.getConnection(null, null);
        calls.clear();

        mc.keepAlive(ANY_IDLE_TIME);

        assertEquals(List.of(), calls);
        assertEquals(ConnectionState.IN_USE, mc.state());
    }

    @Test
    void idleConnectionPastItsLifetimeIsRenewedQuietly() throws Exception {
        factory.setMaxLifetime("1");
        JdbcManagedConnection mc = (JdbcManagedConnection) factory.createManagedConnection(null, null);
        JdbcConnection first;
        try (Connection handle = (Connection) mc.getConnection(null, null)) {
            first = handle.unwrap(JdbcConnection.class);
        }
        mc.cleanup();
        mc.addConnectionEventListener(listener);
        Thread.sleep(1100);

        mc.keepAlive(A_MINUTE);

        assertTrue(first.isClosed(), "the retired physical connection is closed");
        assertFalse(mc.retired());
        assertEquals(ConnectionState.IDLE, mc.state());
        assertEquals(List.of(), listener.types(), "the server hears nothing of a renewal");
    }

    @Test
    void borrowerWaitsForARunningCheckAndIsRefusedTheConnectionItFoundDead() throws Exception {
        CountDownLatch checking = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        JdbcManagedConnection mc = over(isValidWaitingFor(checking, answer));
        CompletableFuture<Void> check = CompletableFuture.runAsync(() -> mc.keepAlive(ANY_IDLE_TIME));
        assertTrue(checking.await(10, TimeUnit.SECONDS));

        CompletableFuture<Object> borrower = CompletableFuture.supplyAsync(() -> {
            try {
                return mc.getConnection(null, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // The physical connection is the check's until it ends: a borrower that got it now would share it.
        Thread.sleep(200);
        assertFalse(borrower.isDone(), "the borrower took the connection while the check held it");

        answer.countDown();
        check.get(10, TimeUnit.SECONDS);
        ExecutionException refused = assertThrows(ExecutionException.class, () -> borrower.get(10, TimeUnit.SECONDS));
        assertInstanceOf(ResourceAllocationException.class, refused.getCause().getCause());
        assertEquals(1, listener.ofType(ConnectionEvent.CONNECTION_ERROR_OCCURRED).size());
    }

    /** The real connection, whose isValid signals {@code checking}, waits for {@code answer}, then fails. */
    private Connection isValidWaitingFor(CountDownLatch checking, CountDownLatch answer) {
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("isValid")) {
                        checking.countDown();
                        answer.await(10, TimeUnit.SECONDS);
                        throw new SQLException("connection reset", "08006");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
