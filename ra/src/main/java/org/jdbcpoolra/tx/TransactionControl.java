package org.jdbcpoolra.tx;

import static org.jdbcpoolra.tx.ConnectionState.ABORTED;
import static org.jdbcpoolra.tx.ConnectionState.BROKEN;
import static org.jdbcpoolra.tx.ConnectionState.CONTAINER_TRANSACTION;
import static org.jdbcpoolra.tx.ConnectionState.DESTROYED;
import static org.jdbcpoolra.tx.ConnectionState.ENDING;
import static org.jdbcpoolra.tx.ConnectionState.IDLE;
import static org.jdbcpoolra.tx.ConnectionState.IN_USE;
import static org.jdbcpoolra.tx.ConnectionState.CLAIMED;
import static org.jdbcpoolra.tx.ConnectionState.LOCAL_TRANSACTION;
import static org.jdbcpoolra.tx.ConnectionState.XA_BRANCH;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import javax.transaction.xa.XAException;

import jakarta.resource.spi.LocalTransactionException;

import org.jdbcpoolra.spi.FatalErrorClassifier;

/**
 * The state of one managed connection and every move between its states: lending and returning, the application's
 * local transactions, the container's resource-local transaction, XA branches, short claims by checks, breaking and
 * destruction. The only writer of {@link ConnectionState}; a move the state does not allow is a bug and fails loudly.
 * The hazards it guards against: two parties on one physical connection at once (a check beside a borrower, a
 * renewal under a transaction), a transaction ended by the wrong party (a handle committing the container's work), a
 * returned connection left with autocommit off or a transaction open, and a broken connection committing what its
 * borrower half did.
 * <p>
 * One owner at a time: every party takes the connection by a compare-and-set of the state before it touches the
 * physical connection (a borrower IDLE to IN_USE, the container IDLE or IN_USE to a transaction, a check IDLE to
 * CLAIMED) and gives it back by another, last, after its work is done. Whoever finds it CLAIMED waits at most
 * {@code claimWait} (one validation); a claim held longer counts as a connection that hangs, and is broken.
 */
public final class TransactionControl {
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TransactionControl.class, "state", ConnectionState.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String poolName;
    /** Replaced only by the owner ({@link #renewed}); volatile because the transaction manager may end from its own. */
    private volatile Connection physical;
    private final FatalErrorClassifier fatalErrors;
    private final TransactionEvents events;
    private final long claimWaitNanos;
    private volatile ConnectionState state = IDLE;
    /**
     * The thread that began the current transaction (the borrower's): the transaction manager ending it from
     * another thread while a handle is out means a timeout under a working borrower. Cleared when the transaction
     * ends, so a pooled connection keeps no thread (and its class loader) alive.
     */
    private volatile Thread transactionThread;

    /** @param claimWait how long a party waits for a check that holds the connection before it counts as hung */
    public TransactionControl(String poolName, Connection physical, FatalErrorClassifier fatalErrors,
            TransactionEvents events, Duration claimWait) {
        this.poolName = poolName;
        this.physical = physical;
        this.fatalErrors = fatalErrors;
        this.events = events;
        this.claimWaitNanos = claimWait.toNanos();
    }

    public ConnectionState state() {
        return state;
    }

    /** Broken connections (and destroyed ones) are never valid again. */
    public boolean isBroken() {
        ConnectionState s = state;
        return s == BROKEN || s == DESTROYED;
    }

    /**
     * A broken connection stays broken until it is destroyed; any other move must be allowed by the state. Only the
     * owner moves, so the compare-and-set loses only to a party breaking or destroying the connection meanwhile.
     */
    private void moveTo(ConnectionState next) {
        while (true) {
            ConnectionState current = awaitUnclaimed();
            if (current == next || (current == BROKEN && next != DESTROYED) || current == DESTROYED) {
                return;
            }
            if (!current.canMoveTo(next)) {
                throw new IllegalStateException(poolName + ": a managed connection cannot go from " + current + " to "
                        + next);
            }
            if (STATE.compareAndSet(this, current, next)) {
                return;
            }
        }
    }

    /**
     * The state once no check holds the connection. A check that holds it longer than one validation may take
     * counts as hung on a dead socket: the connection is broken and the server told, and the waiter goes on.
     */
    ConnectionState awaitUnclaimed() {
        ConnectionState s = state;
        if (s != CLAIMED) {
            return s;
        }
        long deadline = System.nanoTime() + claimWaitNanos;
        long pause = 10_000;
        while ((s = state) == CLAIMED) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                if (STATE.compareAndSet(this, CLAIMED, BROKEN)) {
                    events.broken(new SQLException(poolName + ": a check held the connection for more than "
                            + claimWaitNanos / 1_000_000 + " ms, so it counts as hung and is replaced", "08000"));
                }
                return state;
            }
            LockSupport.parkNanos(Math.min(pause, left));
            pause = Math.min(pause * 2, 1_000_000);
        }
        return s;
    }

    // ---- short claims: a check, the server's validation, the swap of a renewed physical connection -------------

    /** Takes an idle connection for one check or swap; false when it is not idle (lent, enlisted, broken, gone). */
    public boolean tryClaim() {
        return STATE.compareAndSet(this, IDLE, CLAIMED);
    }

    /**
     * Waits out another party's claim, then takes the connection if it is idle. False when it is not idle (lent,
     * enlisted) or is broken: {@link #isBroken()} tells which.
     */
    public boolean claim() {
        while (true) {
            if (awaitUnclaimed() != IDLE) {
                return false;
            }
            if (tryClaim()) {
                return true;
            }
        }
    }

    /**
     * Gives a claimed connection back: idle when the check found it alive, broken when not. Returns false when it
     * was no longer the claimant's (a waiter broke it after the deadline, or destroy took it).
     */
    public boolean release(boolean alive) {
        return STATE.compareAndSet(this, CLAIMED, alive ? IDLE : BROKEN);
    }

    /** A retired physical connection was replaced by its owner (a claimant, or the server in cleanup). */
    public void renewed(Connection fresh) {
        ConnectionState s = state;
        if (s == IDLE || s == BROKEN || s == DESTROYED) {
            throw new IllegalStateException(poolName + ": a physical connection is replaced only by its owner, not in "
                    + s);
        }
        physical = fresh;
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /**
     * A handle is being handed out; inside a transaction the connection stays in it. Waits out a check that holds
     * the connection. False when the connection is broken or destroyed (a check that held it may just have found it
     * dead): it must not be handed out.
     */
    public boolean lent() {
        while (true) {
            ConnectionState s = awaitUnclaimed();
            switch (s) {
                case IDLE -> {
                    if (STATE.compareAndSet(this, IDLE, IN_USE)) {
                        return true;
                    }
                }
                case BROKEN, DESTROYED, CLAIMED -> {
                    return false;
                }
                default -> {
                    return true;
                }
            }
        }
    }

    /**
     * The server takes the connection back: ends whatever transaction the borrower left open, and keeps the
     * connection its owner's until {@link #idle()}, so no check claims it while it is being reset. Returns whether
     * the borrower's other changes must be reset too (false when there was no borrower, or the connection is broken
     * and will be destroyed).
     */
    public boolean returning() throws SQLException {
        ConnectionState s = state;
        if (s == IDLE || s == CLAIMED || s == BROKEN || s == DESTROYED) {
            return false;
        }
        transactionThread = null;
        if (s.inLocalOrContainerTransaction()) {
            physical.rollback();
            physical.setAutoCommit(true);
        }
        return true;
    }

    /** The reset is done: the connection is the pool's again. Published last, after the work it announces. */
    public void idle() {
        moveTo(IDLE);
    }

    /**
     * The connection is being destroyed: only the first caller goes on (true), and uncommitted work is rolled back
     * first, because some drivers commit on close. A check that holds the connection is waited out for one
     * validation, then overruled.
     */
    public boolean destroying() {
        while (true) {
            ConnectionState s = state;
            if (s == DESTROYED) {
                return false;
            }
            if (s == CLAIMED && awaitUnclaimed() != CLAIMED) {
                continue;
            }
            if (STATE.compareAndSet(this, s, DESTROYED)) {
                transactionThread = null;
                if (s.inLocalOrContainerTransaction()) {
                    rollbackQuietly();
                }
                return true;
            }
        }
    }

    /** Marks the connection broken; true only the first time, so the server hears of it once. */
    public boolean breaks() {
        while (true) {
            ConnectionState s = state;
            if (s == BROKEN || s == DESTROYED) {
                return false;
            }
            if (STATE.compareAndSet(this, s, BROKEN)) {
                return true;
            }
        }
    }

    /** The one check behind every failing JDBC call: a fatal error breaks the connection and tells the server. */
    public void failed(SQLException e) {
        if (!isBroken() && fatalErrors.isFatal(e) && breaks()) {
            events.broken(e);
        }
    }

    // ---- the application's own transactions, through its handles ---------------------------------------------

    public void setAutoCommit(boolean enable) throws SQLException {
        switch (state) {
            case CONTAINER_TRANSACTION, ENDING, XA_BRANCH -> {
                if (enable) {
                    throw new SQLException(poolName + ": setAutoCommit(true) is not allowed inside a "
                            + "container-managed transaction", "25000");
                }
            }
            case BROKEN, DESTROYED -> throw refused(enable ? "setAutoCommit(true)" : "setAutoCommit(false)");
            case ABORTED -> {
                if (enable) {
                    throw aborted("setAutoCommit(true)");
                }
            }
            case LOCAL_TRANSACTION -> {
                if (enable) {
                    physical.setAutoCommit(true);
                    moveTo(IN_USE);
                    // Enabling autocommit commits the open transaction (JDBC).
                    events.localTransactionCommitted();
                }
            }
            case IDLE, CLAIMED, IN_USE -> {
                if (!enable) {
                    physical.setAutoCommit(false);
                    moveTo(LOCAL_TRANSACTION);
                    events.localTransactionStarted();
                }
            }
        }
    }

    public void commit() throws SQLException {
        switch (state) {
            case CONTAINER_TRANSACTION, ENDING, XA_BRANCH -> throw new SQLException(poolName + ": commit() is not "
                    + "allowed inside a container-managed transaction; the transaction manager commits", "25000");
            case BROKEN, DESTROYED -> throw refused("commit()");
            case ABORTED -> throw aborted("commit()");
            case LOCAL_TRANSACTION -> {
                physical.commit();
                events.localTransactionCommitted();
            }
            // With autocommit on there is nothing to commit; the driver decides whether that is an error.
            case IDLE, CLAIMED, IN_USE -> physical.commit();
        }
    }

    public void rollback() throws SQLException {
        switch (state) {
            case CONTAINER_TRANSACTION, ENDING, XA_BRANCH -> throw new SQLException(poolName + ": rollback() is not "
                    + "allowed inside a container-managed transaction; use setRollbackOnly", "25000");
            case LOCAL_TRANSACTION -> {
                physical.rollback();
                events.localTransactionRolledBack();
            }
            // Rolling back is always safe, a broken connection's included.
            case IDLE, CLAIMED, IN_USE, BROKEN, DESTROYED, ABORTED -> physical.rollback();
        }
    }

    private SQLException aborted(String call) {
        return new SQLException(poolName + ": " + call + " refused: the transaction manager rolled this "
                + "transaction back (it timed out) while the connection was in use; nothing done since commits, and "
                + "giving the connection back rolls it back", "25000");
    }

    /**
     * After a fatal error nothing the borrower did since may be committed: part of it may not have reached the
     * database. The server destroys the connection; until then it refuses work.
     */
    private SQLException refused(String call) {
        return new SQLException(poolName + ": " + call + " refused: the connection failed earlier in this borrow "
                + "and will be replaced; its uncommitted work is lost", "08003");
    }

    // ---- the container's resource-local transaction (JdbcLocalTransaction) ------------------------------------

    /**
     * Takes the connection for the container's transaction first, then turns autocommit off: nothing (a renewal, a
     * check) can change the physical connection between the two.
     */
    void begin() throws LocalTransactionException {
        ConnectionState before;
        while (true) {
            before = awaitUnclaimed();
            if (before == CONTAINER_TRANSACTION || before == ENDING || before == XA_BRANCH) {
                throw new LocalTransactionException(poolName + ": a transaction is already active");
            }
            if (before == BROKEN || before == DESTROYED || before == CLAIMED) {
                throw new LocalTransactionException(poolName + ": cannot begin a transaction on a connection that "
                        + "failed; the server will replace it", "08003");
            }
            if (STATE.compareAndSet(this, before, CONTAINER_TRANSACTION)) {
                break;
            }
        }
        try {
            if (before == ABORTED) {
                physical.rollback();
            } else if (before != LOCAL_TRANSACTION) {
                physical.setAutoCommit(false);
            }
        } catch (SQLException e) {
            STATE.compareAndSet(this, CONTAINER_TRANSACTION, before);
            throw localFailure("begin", e);
        } catch (RuntimeException | Error e) {
            STATE.compareAndSet(this, CONTAINER_TRANSACTION, before);
            throw e;
        }
        transactionThread = Thread.currentThread();
    }

    /** Ends the container's transaction; with none active, rolls back an application's unfinished local one. */
    void end(boolean commit) throws LocalTransactionException {
        try {
            endContainerTransaction(commit);
        } finally {
            transactionThread = null;
        }
    }

    private void endContainerTransaction(boolean commit) throws LocalTransactionException {
        ConnectionState s;
        while (true) {
            s = state;
            if (s == ENDING) {
                // The other party (the borrower's commit, or the reaper's rollback) is ending it right now.
                if (commit) {
                    throw new LocalTransactionException(poolName + ": the transaction is being ended by the "
                            + "transaction manager (a timeout), so nothing more is committed");
                }
                return;
            }
            if (s == BROKEN) {
                rollbackQuietly();
                if (commit) {
                    throw new LocalTransactionException(poolName + ": the connection failed during the transaction, "
                            + "so nothing was committed", "08003");
                }
                return;
            }
            if (s == DESTROYED) {
                // The server destroyed the connection on its error event before it asked for the outcome (Payara
                // does): the session is closed, its uncommitted work gone with it.
                if (commit) {
                    throw new LocalTransactionException(poolName + ": the connection failed during the transaction "
                            + "and was closed, so nothing was committed", "08003");
                }
                return;
            }
            if (s != CONTAINER_TRANSACTION) {
                if (commit) {
                    throw new LocalTransactionException(poolName + ": no transaction to commit");
                }
                try {
                    if (s == LOCAL_TRANSACTION || s == ABORTED) {
                        physical.rollback();
                    }
                } catch (SQLException e) {
                    throw localFailure("rollback", e);
                }
                return;
            }
            if (STATE.compareAndSet(this, CONTAINER_TRANSACTION, ENDING)) {
                break;
            }
        }
        // Until the outcome is known autocommit may be off: the next cleanup rolls back what is left.
        ConnectionState after = LOCAL_TRANSACTION;
        try {
            boolean aborted = !commit && abortedUnderBorrower();
            try {
                if (commit) {
                    physical.commit();
                } else {
                    physical.rollback();
                }
            } catch (SQLException e) {
                throw localFailure(commit ? "commit" : "rollback", e);
            }
            if (aborted) {
                // Autocommit stays off: what the borrower does next must not commit on its own.
                after = ABORTED;
                events.abortedUnderBorrower();
                return;
            }
            try {
                physical.setAutoCommit(true);
            } catch (SQLException e) {
                throw localFailure("restore autocommit after", e);
            }
            after = IN_USE;
        } finally {
            // Published last; a party that broke or destroyed the connection meanwhile keeps its state.
            STATE.compareAndSet(this, ENDING, after);
        }
    }

    /**
     * Rolled back by another thread than the one that began it: a timeout, under a borrower who holds a handle or
     * may get one before its transaction notices (a server enlists before it hands the handle out).
     */
    private boolean abortedUnderBorrower() {
        Thread began = transactionThread;
        return began != null && Thread.currentThread() != began;
    }

    private void rollbackQuietly() {
        try {
            physical.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // The session is gone or going; the database discards uncommitted work with it.
        }
    }

    private LocalTransactionException localFailure(String what, SQLException e) {
        failed(e);
        LocalTransactionException failure = new LocalTransactionException(poolName + ": " + what
                + " failed: " + e.getMessage(), e.getSQLState());
        failure.initCause(e);
        return failure;
    }

    // ---- XA branches (JdbcXAResource) ---------------------------------------------------------------------------

    /**
     * Takes the connection for a branch before the driver's XA start touches it. Joining or resuming a branch the
     * connection is in already keeps it there.
     */
    void xaStarting() throws XAException {
        while (true) {
            ConnectionState s = awaitUnclaimed();
            if (s == XA_BRANCH) {
                return;
            }
            if (s == BROKEN || s == DESTROYED || s == CLAIMED || !s.canMoveTo(XA_BRANCH)) {
                XAException refused = new XAException(XAException.XAER_RMFAIL);
                refused.initCause(new IllegalStateException(poolName + ": no XA branch can start on a connection in "
                        + s));
                throw refused;
            }
            if (STATE.compareAndSet(this, s, XA_BRANCH)) {
                transactionThread = Thread.currentThread();
                return;
            }
        }
    }

    /**
     * The transaction manager ends the branch. A branch failed or rolled back from another thread than the one that
     * began it is a timeout: the connection is aborted before the driver rolls back.
     */
    void xaEnding(boolean failed) {
        if (state != XA_BRANCH) {
            return;
        }
        if (failed && abortedUnderBorrower()) {
            abortXa();
        } else {
            moveTo(IN_USE);
        }
    }

    /**
     * Before a branch is rolled back. From another thread than the one that began it, and not prepared, it is a
     * timeout under a borrower who may still be sending statements: the driver's own rollback would turn autocommit
     * on (pgjdbc's and H2's do) and a statement the borrower had already dispatched would then commit by itself. Such
     * a branch is rolled back by closing its physical connection instead (the database discards the work with the
     * session): returns true, with the connection aborted, its handles taken back and the server told that it is
     * broken. Otherwise false: the driver rolls back.
     */
    boolean xaRollingBack(boolean prepared) {
        if (state == XA_BRANCH) {
            xaEnding(true);
        }
        if (prepared || !abortedUnderBorrower()) {
            return false;
        }
        if (state == IN_USE) {
            abortXa();
        }
        transactionThread = null;
        if (breaks()) {
            events.broken(new SQLException(poolName + ": an XA branch was rolled back from another thread than the "
                    + "one that began it (a timeout) by closing its connection, so that nothing its borrower still "
                    + "sends can commit", "08003"));
        }
        return true;
    }

    private void abortXa() {
        moveTo(ABORTED);
        events.takeHandlesBack();
        events.abortedUnderBorrower();
    }

    /**
     * A branch was committed or rolled back through this connection: outside a transaction of its own the
     * connection must be in autocommit again. Drivers restore it themselves; this is for those that do not. An
     * aborted one is kept out of autocommit (what its borrower still does must not commit) until the server takes
     * it back.
     */
    void afterXaCompletion() throws XAException {
        transactionThread = null;
        ConnectionState s = state;
        if (s != IDLE && s != IN_USE && s != ABORTED) {
            return;
        }
        try {
            boolean wanted = s != ABORTED;
            if (physical.getAutoCommit() != wanted) {
                physical.setAutoCommit(wanted);
            }
        } catch (SQLException e) {
            failed(e);
            XAException failure = new XAException(XAException.XAER_RMFAIL);
            failure.initCause(e);
            throw failure;
        }
    }

    /**
     * The one check behind every XA failure: the connection is unusable when the caller says so (a branch that
     * cannot start or prepare), when the resource manager failed, or when the driver's cause is fatal. Returns the
     * exception to throw.
     */
    XAException xaFailed(XAException e, boolean fatal) {
        boolean unusable = fatal || e.errorCode == XAException.XAER_RMFAIL
                || (e.getCause() instanceof SQLException sql && fatalErrors.isFatal(sql));
        if (unusable && breaks()) {
            events.broken(e);
        }
        return e;
    }
}
