package org.jdbcpoolra.outbound;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jdbcpoolra.config.PoolProperty;

/**
 * LoginTimeout for a source that has none of its own (H2 over TCP, most drivers outside the few the adapter knows):
 * the login runs on a thread of its own and the borrower waits at most LoginTimeout for it. Such a driver offers no
 * way to stop a login stuck in a socket read, so a login given up on keeps its thread until the database answers or
 * the socket dies; what it opens then is closed at once. The hazard is a database that accepts and never answers
 * turning every borrower into another stuck thread: at most {@link #MAX_ABANDONED} logins run at once, stuck or
 * not (a slot is taken before a thread starts and given back when it ends), so a burst of borrowers cannot start
 * more; while every slot is held by a login given up on, the next fails at once.
 */
final class BoundedLogin {
    static final int MAX_ABANDONED = 4;

    interface Login {
        Physical open() throws SQLException;
    }

    private final String poolName;
    private final long timeoutNanos;
    private final String timeout;
    private final Semaphore slots = new Semaphore(MAX_ABANDONED);
    private final AtomicInteger abandoned = new AtomicInteger();

    BoundedLogin(String poolName, int seconds) {
        this(poolName, Duration.ofSeconds(seconds));
    }

    BoundedLogin(String poolName, Duration timeout) {
        this.poolName = poolName;
        this.timeoutNanos = timeout.toNanos();
        this.timeout = timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    Physical open(Login login) throws SQLException {
        long deadline = System.nanoTime() + timeoutNanos;
        if (!slots.tryAcquire()) {
            int waiting = abandoned.get();
            if (waiting >= MAX_ABANDONED) {
                throw new SQLException(waiting + " earlier logins got no answer within " + PoolProperty.LOGIN_TIMEOUT
                        + " (" + timeout + ") and are still waiting: the database accepts connections but does "
                        + "not answer; no new login until one of them returns", "08001");
            }
            try {
                if (!slots.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    throw new SQLException("no answer within " + PoolProperty.LOGIN_TIMEOUT + " (" + timeout + "): "
                            + MAX_ABANDONED + " logins were already waiting for the database", "08001");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for a login", "08001", e);
            }
        }
        Attempt attempt = new Attempt(login);
        try {
            // No inherited thread-locals: the server's (and the application's) would live as long as a stuck login.
            Thread thread = new Thread(null, attempt, poolName + " login", 0, false);
            thread.setDaemon(true);
            thread.setContextClassLoader(BoundedLogin.class.getClassLoader());
            thread.start();
        } catch (RuntimeException | Error e) {
            slots.release();
            throw e;
        }
        try {
            return attempt.result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (attempt.abandon()) {
                throw new SQLException("no answer within " + PoolProperty.LOGIN_TIMEOUT + " (" + timeout
                        + "): the database accepted the connection but did not complete the login", "08001");
            }
            return outcome(attempt.result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!attempt.abandon()) {
                closeQuietly(attempt.result);
            }
            throw new SQLException("interrupted while waiting for a login", "08001", e);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    /** The login finished between the timeout and its abandonment: its own result, as the driver gave it. */
    private static Physical outcome(CompletableFuture<Physical> result) throws SQLException {
        try {
            return result.join();
        } catch (CompletionException e) {
            throw rethrown(e.getCause());
        }
    }

    private static SQLException rethrown(Throwable cause) {
        if (cause instanceof SQLException sql) {
            return sql;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw (RuntimeException) cause;
    }

    private static void closeQuietly(CompletableFuture<Physical> result) {
        Physical physical;
        try {
            physical = result.getNow(null);
        } catch (CompletionException | java.util.concurrent.CancellationException failed) {
            return;
        }
        if (physical != null) {
            try {
                physical.close();
            } catch (SQLException | RuntimeException ignored) {
                // Nobody will use it; the database ends the session when the socket closes.
            }
        }
    }

    /** Logins given up on that have not returned yet. */
    int abandoned() {
        return abandoned.get();
    }

    /**
     * One login; whichever of finishing and being given up on comes first decides who owns the connection. Its slot
     * is given back when its thread ends, whatever happened.
     */
    private final class Attempt implements Runnable {
        private final Login login;
        private final CompletableFuture<Physical> result = new CompletableFuture<>();
        private final AtomicInteger state = new AtomicInteger(); // 0 running, 1 finished, 2 abandoned

        Attempt(Login login) {
            this.login = login;
        }

        boolean abandon() {
            if (state.compareAndSet(0, 2)) {
                abandoned.incrementAndGet();
                return true;
            }
            return false;
        }

        @Override
        public void run() {
            try {
                Physical physical = null;
                Throwable failure = null;
                try {
                    physical = login.open();
                } catch (Throwable e) {
                    failure = e;
                }
                if (state.compareAndSet(0, 1)) {
                    if (failure == null) {
                        result.complete(physical);
                    } else {
                        result.completeExceptionally(failure);
                    }
                    return;
                }
                abandoned.decrementAndGet();
                if (physical != null) {
                    try {
                        physical.close();
                    } catch (SQLException | RuntimeException ignored) {
                        // Nobody is waiting for it; the database ends the session when the socket closes.
                    }
                }
            } finally {
                slots.release();
            }
        }
    }
}
