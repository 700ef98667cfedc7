package org.jdbcpoolra.outbound;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jdbcpoolra.config.PoolProperty;

/**
 * LoginTimeout for a source that has none of its own (H2 over TCP, most drivers outside the few the adapter knows):
 * the login runs on a thread of its own and the borrower waits at most LoginTimeout for it. Such a driver offers no
 * way to stop a login stuck in a socket read, so a login given up on keeps its thread until the database answers or
 * the socket dies; what it opens then is closed at once. The hazard is a database that accepts and never answers
 * turning every borrower into another stuck thread: at most {@link #MAX_ABANDONED} logins are left waiting, and
 * while that many are, the next fails at once.
 */
final class BoundedLogin {
    static final int MAX_ABANDONED = 4;

    interface Login {
        Physical open() throws SQLException;
    }

    private final String poolName;
    private final int seconds;
    private final AtomicInteger abandoned = new AtomicInteger();

    BoundedLogin(String poolName, int seconds) {
        this.poolName = poolName;
        this.seconds = seconds;
    }

    Physical open(Login login) throws SQLException {
        int waiting = abandoned.get();
        if (waiting >= MAX_ABANDONED) {
            throw new SQLException(waiting + " earlier logins got no answer within " + PoolProperty.LOGIN_TIMEOUT
                    + " (" + seconds + " s) and are still waiting: the database accepts connections but does not "
                    + "answer; no new login until one of them returns", "08001");
        }
        CompletableFuture<Physical> result = new CompletableFuture<>();
        Attempt attempt = new Attempt(login, result);
        Thread thread = new Thread(attempt, poolName + " login");
        thread.setDaemon(true);
        thread.setContextClassLoader(BoundedLogin.class.getClassLoader());
        thread.start();
        try {
            return result.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            if (attempt.abandon()) {
                throw new SQLException("no answer within " + PoolProperty.LOGIN_TIMEOUT + " (" + seconds
                        + " s): the database accepted the connection but did not complete the login", "08001");
            }
            return result.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            attempt.abandon();
            throw new SQLException("interrupted while waiting for a login", "08001", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) cause;
        }
    }

    /** Logins given up on that have not returned yet. */
    int abandoned() {
        return abandoned.get();
    }

    /** One login; whichever of finishing and being given up on comes first decides who owns the connection. */
    private final class Attempt implements Runnable {
        private final Login login;
        private final CompletableFuture<Physical> result;
        private final AtomicInteger state = new AtomicInteger(); // 0 running, 1 finished, 2 abandoned

        Attempt(Login login, CompletableFuture<Physical> result) {
            this.login = login;
            this.result = result;
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
            Physical physical = null;
            Throwable failure = null;
            try {
                physical = login.open();
            } catch (SQLException | RuntimeException | Error e) {
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
                } catch (SQLException ignored) {
                    // Nobody is waiting for it; the database ends the session when the socket closes.
                }
            }
        }
    }
}
