package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * LoginTimeout reaches the known drivers as their own connect-timeout properties, in their own units; for the others
 * the adapter gives a login up itself.
 */
@DisplayName("Login timeout for drivers")
class LoginTimeoutTest {
    @Test
    @DisplayName("PostgreSQL gets loginTimeout and connectTimeout in seconds")
    void postgresqlInSeconds() {
        assertEquals(Map.of("loginTimeout", "12", "connectTimeout", "12"),
                ConnectionSource.loginTimeout("org.postgresql.Driver", 12));
    }

    @Test
    @DisplayName("MariaDB gets connectTimeout in milliseconds")
    void mariadbInMilliseconds() {
        assertEquals(Map.of("connectTimeout", "12000"), ConnectionSource.loginTimeout("org.mariadb.jdbc.Driver", 12));
    }

    @Test
    @DisplayName("0 (no bound) and unknown drivers add nothing")
    void nothingForZeroOrUnknown() {
        assertEquals(Map.of(), ConnectionSource.loginTimeout("org.postgresql.Driver", 0));
        assertEquals(Map.of(), ConnectionSource.loginTimeout("org.h2.Driver", 12));
    }

    @Test
    @DisplayName("a login that does not return within LoginTimeout fails the borrower; what it opens later is closed")
    void stuckLoginIsGivenUpAndItsLateConnectionClosed() throws Exception {
        BoundedLogin bounded = new BoundedLogin("pool", 1);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicBoolean closed = new AtomicBoolean();
        SQLException e = assertThrows(SQLException.class, () -> bounded.open(() -> {
            await(answer);
            return new Physical.Local(connection(closed));
        }));
        assertEquals("08001", e.getSQLState());
        assertTrue(e.getMessage().contains("no answer within LoginTimeout (1 s)"), e.getMessage());
        assertEquals(1, bounded.abandoned());

        answer.countDown();
        for (int i = 0; i < 500 && bounded.abandoned() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, bounded.abandoned());
        assertTrue(closed.get(), "the connection that came after the borrower gave up was closed");
    }

    @Test
    @DisplayName("a login in time returns its connection, and a failing one its own error")
    void loginInTimeIsReturned() throws Exception {
        BoundedLogin bounded = new BoundedLogin("pool", 5);
        Physical physical = new Physical.Local(connection(new AtomicBoolean()));
        assertSame(physical, bounded.open(() -> physical));
        SQLException refused = new SQLException("password authentication failed", "28P01");
        assertSame(refused, assertThrows(SQLException.class, () -> bounded.open(() -> {
            throw refused;
        })));
        assertEquals(0, bounded.abandoned());
    }

    @Test
    @DisplayName("with as many stuck logins as allowed, the next fails at once instead of leaving another thread")
    void stuckLoginsAreCapped() throws Exception {
        BoundedLogin bounded = new BoundedLogin("pool", 1);
        CountDownLatch never = new CountDownLatch(1);
        try {
            for (int i = 0; i < BoundedLogin.MAX_ABANDONED; i++) {
                assertThrows(SQLException.class, () -> bounded.open(() -> {
                    await(never);
                    return null;
                }));
            }
            AtomicBoolean started = new AtomicBoolean();
            SQLException e = assertThrows(SQLException.class, () -> bounded.open(() -> {
                started.set(true);
                return null;
            }));
            assertTrue(e.getMessage().contains("4 earlier logins got no answer"), e.getMessage());
            assertTrue(!started.get(), "no fifth login was started");
        } finally {
            never.countDown();
        }
    }

    @Test
    @DisplayName("a burst of logins against a database that never answers leaves no more threads waiting than the cap")
    void burstOfStuckLoginsIsCapped() throws Exception {
        BoundedLogin bounded = new BoundedLogin("pool", 1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        List<Thread> borrowers = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * BoundedLogin.MAX_ABANDONED; i++) {
                Thread borrower = new Thread(() -> {
                    try {
                        bounded.open(() -> {
                            started.incrementAndGet();
                            await(never);
                            return null;
                        });
                    } catch (SQLException expected) {
                        // every one of them fails: the database never answers
                    }
                });
                borrower.start();
                borrowers.add(borrower);
            }
            for (Thread borrower : borrowers) {
                borrower.join(20_000);
            }
            assertTrue(started.get() <= BoundedLogin.MAX_ABANDONED, started.get() + " logins started");
        } finally {
            never.countDown();
        }
    }

    @Test
    @DisplayName("a borrower interrupted while its login completes leaves no connection open")
    void interruptedBorrowerLeavesNothingOpen() throws Exception {
        BoundedLogin bounded = new BoundedLogin("pool", 5);
        AtomicInteger open = new AtomicInteger();
        for (int i = 0; i < 300; i++) {
            Thread.currentThread().interrupt();
            try {
                Physical physical = bounded.open(() -> {
                    open.incrementAndGet();
                    return new Physical.Local(counting(open));
                });
                physical.close();
            } catch (SQLException interrupted) {
                // given up: whatever the login opened must be closed by it
            }
            Thread.interrupted();
        }
        for (int i = 0; i < 500 && open.get() > 0; i++) {
            Thread.sleep(10);
        }
        assertEquals(0, open.get(), "connections left open");
    }

    @Test
    @DisplayName("a refusal that arrives as the login times out still reaches the caller as the driver's SQLException")
    void refusalAtTheTimeoutIsNotWrapped() throws Exception {
        BoundedLogin bounded = new BoundedLogin("pool", Duration.ofMillis(20));
        SQLException refused = new SQLException("password authentication failed", "28P01");
        for (int i = 0; i < 200; i++) {
            try {
                bounded.open(() -> {
                    LockSupport.parkNanos(20_000_000);
                    throw refused;
                });
            } catch (SQLException e) {
                assertTrue(e == refused || "08001".equals(e.getSQLState()), e.toString());
            }
        }
    }

    private static Connection counting(AtomicInteger open) {
        AtomicBoolean closed = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && closed.compareAndSet(false, true)) {
                        open.decrementAndGet();
                    }
                    return null;
                });
    }

    @Test
    @DisplayName("H2 (no login timeout of its own) is bounded by the adapter; PostgreSQL bounds itself")
    void adapterBoundsOnlyDriversWithoutOwnTimeout() {
        ConnectionSource h2 = ConnectionSource.create(org.jdbcpoolra.config.PoolConfig.from(Map.of(
                org.jdbcpoolra.config.PoolProperty.URL, "jdbc:h2:mem:bounded")), getClass().getClassLoader());
        assertTrue(!h2.boundsLogin());
    }

    /** A driver stuck in a socket read: only the database answering ends it. */
    private static void await(CountDownLatch answer) throws SQLException {
        try {
            answer.await();
        } catch (InterruptedException e) {
            throw new SQLException(e);
        }
    }

    private static Connection connection(AtomicBoolean closed) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        closed.set(true);
                    }
                    return null;
                });
    }

    @Test
    @DisplayName("after a login went unanswered for LoginTimeout, the next fail at once until the window ends or one "
            + "is answered; a quick refusal opens no window")
    void unansweredLoginFailsTheNextAtOnce() {
        UnansweredLogins logins = new UnansweredLogins(30);
        logins.failed(System.nanoTime());
        assertEquals(null, logins.refusal(), "a refusal that came at once is not a silent database");

        logins.failed(System.nanoTime() - 30_000_000_000L);
        String refusal = logins.refusal();
        assertTrue(refusal != null && refusal.startsWith("a login got no answer within LoginTimeout (30 s) "),
                String.valueOf(refusal));

        logins.answered();
        assertEquals(null, logins.refusal());
    }
}
