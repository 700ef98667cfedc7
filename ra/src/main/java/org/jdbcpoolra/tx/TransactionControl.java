package org.jdbcpoolra.tx;

import static org.jdbcpoolra.tx.ConnectionState.ABORTED;
import static org.jdbcpoolra.tx.ConnectionState.BROKEN;
import static org.jdbcpoolra.tx.ConnectionState.CONTAINER_TRANSACTION;
import static org.jdbcpoolra.tx.ConnectionState.DESTROYED;
import static org.jdbcpoolra.tx.ConnectionState.IDLE;
import static org.jdbcpoolra.tx.ConnectionState.IN_USE;
import static org.jdbcpoolra.tx.ConnectionState.KEEPALIVE;
import static org.jdbcpoolra.tx.ConnectionState.LOCAL_TRANSACTION;
import static org.jdbcpoolra.tx.ConnectionState.XA_BRANCH;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;

import javax.transaction.xa.XAException;

import jakarta.resource.spi.LocalTransactionException;

import org.jdbcpoolra.spi.FatalErrorClassifier;

/**
 * The state of one managed connection and every move between its states: lending and returning, the application's
 * local transactions, the container's resource-local transaction, XA branches, breaking and destruction. The only
 * writer of {@link ConnectionState}; a move the state does not allow is a bug and fails loudly. The hazard it guards
 * against: a transaction ended by the wrong party (a handle committing the container's work), a returned connection
 * left with autocommit off or a transaction open, and a broken connection committing what its borrower half did.
 * Lifecycle calls come from the server one at a time, handle calls from the one borrower; the state is volatile
 * because validation may read it from another thread, and every move is a compare-and-set because the adapter's
 * keepalive check claims idle connections from a thread of its own.
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
    /** Replaced only under a keepalive claim ({@link #renewed}); the claim's release publishes it. */
    private Connection physical;
    private final FatalErrorClassifier fatalErrors;
    private final TransactionEvents events;
    private volatile ConnectionState state = IDLE;
    /**
     * The thread that began the current transaction (the borrower's): the transaction manager ending it from
     * another thread while a handle is out means a timeout under a working borrower.
     */
    private volatile Thread transactionThread;

    public TransactionControl(String poolName, Connection physical, FatalErrorClassifier fatalErrors,
            TransactionEvents events) {
        this.poolName = poolName;
        this.physical = physical;
        this.fatalErrors = fatalErrors;
        this.events = events;
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
     * A broken connection stays broken until it is destroyed; any other move must be allowed by the state, and waits
     * for a keepalive check that holds the connection.
     */
    private void moveTo(ConnectionState next) {
        while (true) {
            ConnectionState current = afterKeepalive();
            if (current == next || (current == BROKEN && next != DESTROYED)) {
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

    /** A check takes one validation at most (ValidationTimeout, with the network timeout behind it). */
    ConnectionState afterKeepalive() {
        ConnectionState s = state;
        while (s == KEEPALIVE) {
            LockSupport.parkNanos(100_000);
            s = state;
        }
        return s;
    }

    // ---- the adapter's keepalive check of an idle connection ---------------------------------------------------

    /** Takes an idle connection for a keepalive check; false when it is not idle (lent, enlisted, broken, gone). */
    public boolean claimForKeepalive() {
        return STATE.compareAndSet(this, IDLE, KEEPALIVE);
    }

    /** The check found the connection alive: it is idle again, and whoever waited for it goes on. */
    public void keptAlive() {
        STATE.compareAndSet(this, KEEPALIVE, IDLE);
    }

    /** A retired connection's physical connection was replaced while claimed: the moves go on with the new one. */
    public void renewed(Connection fresh) {
        if (state != KEEPALIVE) {
            throw new IllegalStateException(poolName + ": a physical connection is replaced only under a claim");
        }
        physical = fresh;
    }

    /** The check found the connection dead; true if it was still the check's to break (it always is). */
    public boolean keepaliveFailed() {
        return STATE.compareAndSet(this, KEEPALIVE, BROKEN);
    }

    // ---- lifecycle ---------------------------------------------------------------------------------------------

    /**
     * A handle is being handed out; inside a transaction the connection stays in it. False when the connection is
     * broken (a keepalive check that held it may just have found it dead): it must not be handed out.
     */
    public boolean lent() {
        ConnectionState before = state;
        if (before == IDLE || before == KEEPALIVE) {
            moveTo(IN_USE);
        }
        return state != BROKEN;
    }

    /**
     * The server takes the connection back: ends whatever transaction the borrower left open. Returns whether the
     * borrower's other changes must be reset too (false when there was no borrower, or the connection is broken
     * and will be destroyed).
     */
    public boolean returned() throws SQLException {
        ConnectionState s = state;
        if (s == IDLE || s == KEEPALIVE || s == BROKEN || s == DESTROYED) {
            return false;
        }
        if (s.inLocalOrContainerTransaction()) {
            physical.rollback();
            physical.setAutoCommit(true);
        }
        moveTo(IDLE);
        return true;
    }

    /**
     * The connection is being destroyed: uncommitted work is rolled back first, because some drivers commit on close.
     * Returns false when it was destroyed already.
     */
    public boolean destroying() {
        ConnectionState s = state;
        if (s == DESTROYED) {
            return false;
        }
        moveTo(DESTROYED);
        if (s.inLocalOrContainerTransaction()) {
            try {
                physical.rollback();
            } catch (SQLException ignored) {
                // The connection is going away; closing it discards the work anyway.
            }
        }
        return true;
    }

    /** Marks the connection broken; true only the first time, so the server hears of it once. */
    public boolean breaks() {
        ConnectionState s = state;
        if (s == BROKEN || s == DESTROYED) {
            return false;
        }
        moveTo(BROKEN);
        return true;
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
            case CONTAINER_TRANSACTION, XA_BRANCH -> {
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
            case IDLE, KEEPALIVE, IN_USE -> {
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
            case CONTAINER_TRANSACTION, XA_BRANCH -> throw new SQLException(poolName + ": commit() is not allowed "
                    + "inside a container-managed transaction; the transaction manager commits", "25000");
            case BROKEN, DESTROYED -> throw refused("commit()");
            case ABORTED -> throw aborted("commit()");
            case LOCAL_TRANSACTION -> {
                physical.commit();
                events.localTransactionCommitted();
            }
            // With autocommit on there is nothing to commit; the driver decides whether that is an error.
            case IDLE, KEEPALIVE, IN_USE -> physical.commit();
        }
    }

    public void rollback() throws SQLException {
        switch (state) {
            case CONTAINER_TRANSACTION, XA_BRANCH -> throw new SQLException(poolName + ": rollback() is not "
                    + "allowed inside a container-managed transaction; use setRollbackOnly", "25000");
            case LOCAL_TRANSACTION -> {
                physical.rollback();
                events.localTransactionRolledBack();
            }
            // Rolling back is always safe, a broken connection's included.
            case IDLE, KEEPALIVE, IN_USE, BROKEN, DESTROYED, ABORTED -> physical.rollback();
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

    void begin() throws LocalTransactionException {
        ConnectionState s = afterKeepalive();
        if (s == CONTAINER_TRANSACTION || s == XA_BRANCH) {
            throw new LocalTransactionException(poolName + ": a transaction is already active");
        }
        if (s == BROKEN || s == DESTROYED) {
            throw new LocalTransactionException(poolName + ": cannot begin a transaction on a connection that failed; "
                    + "the server will replace it", "08003");
        }
        try {
            if (s == ABORTED) {
                physical.rollback();
            } else if (s != LOCAL_TRANSACTION) {
                physical.setAutoCommit(false);
            }
        } catch (SQLException e) {
            throw localFailure("begin", e);
        }
        transactionThread = Thread.currentThread();
        moveTo(CONTAINER_TRANSACTION);
    }

    /** Ends the container's transaction; with none active, rolls back an application's unfinished local one. */
    void end(boolean commit) throws LocalTransactionException {
        ConnectionState s = state;
        if (s == BROKEN) {
            rollbackQuietly();
            if (commit) {
                throw new LocalTransactionException(poolName + ": the connection failed during the transaction, so "
                        + "nothing was committed", "08003");
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
        try {
            if (commit) {
                physical.commit();
            } else {
                physical.rollback();
            }
        } catch (SQLException e) {
            // Autocommit is still off: the next cleanup rolls back what is left.
            moveTo(LOCAL_TRANSACTION);
            throw localFailure(commit ? "commit" : "rollback", e);
        }
        if (!commit && abortedUnderBorrower()) {
            // Autocommit stays off: what the borrower does next must not commit on its own.
            moveTo(ABORTED);
            events.abortedUnderBorrower();
            return;
        }
        try {
            physical.setAutoCommit(true);
        } catch (SQLException e) {
            moveTo(LOCAL_TRANSACTION);
            throw localFailure("restore autocommit after", e);
        }
        moveTo(IN_USE);
    }

    /** Ended by another thread than the one that began it, while a handle is out: a timeout under a borrower. */
    private boolean abortedUnderBorrower() {
        return Thread.currentThread() != transactionThread && events.borrowed();
    }

    private void rollbackQuietly() {
        try {
            physical.rollback();
        } catch (SQLException ignored) {
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

    /** The driver's XA start put the connection into a branch; the transaction manager ends it, not the handles. */
    void xaStarted() {
        transactionThread = Thread.currentThread();
        moveTo(XA_BRANCH);
    }

    void xaEnded() {
        if (state == XA_BRANCH) {
            moveTo(IN_USE);
        }
    }

    /**
     * A branch was committed or rolled back through this connection: outside a transaction of its own the
     * connection must be in autocommit again. Drivers restore it themselves; this is for those that do not.
     */
    void afterXaCompletion(boolean committed) throws XAException {
        ConnectionState s = state;
        if (s != IDLE && s != IN_USE) {
            return;
        }
        try {
            if (!committed && s == IN_USE && abortedUnderBorrower()) {
                // The driver put the connection back in autocommit; what the borrower does next must not commit.
                physical.setAutoCommit(false);
                moveTo(ABORTED);
                events.abortedUnderBorrower();
            } else if (!physical.getAutoCommit()) {
                physical.setAutoCommit(true);
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
