package org.jdbcpoolra.tx;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The XAResource the server enlists for one managed connection: the driver's own, plus what the pool needs to know.
 * While a branch is associated, handles refuse {@code commit()}, {@code rollback()} and {@code setAutoCommit(true)};
 * after the branch is committed or rolled back the connection is back in autocommit; a failure that means the
 * connection is unusable fires {@code CONNECTION_ERROR_OCCURRED}, so the server destroys it instead of pooling it.
 * The hazard it guards against: a connection whose branch could not start or prepare, or whose resource manager
 * failed, going back to the pool and failing the next borrower.
 */
public final class JdbcXAResource implements XAResource {
    private final TransactionControl control;
    private final XAResource driver;
    private final TransactionEvents events;
    /** Whether the current branch was prepared: then its rollback is the driver's, whoever asks. */
    private volatile boolean prepared;

    public JdbcXAResource(TransactionControl control, XAResource driver, TransactionEvents events) {
        this.control = control;
        this.driver = driver;
        this.events = events;
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        control.xaStarting();
        prepared = false;
        try {
            driver.start(xid, flags);
        } catch (XAException e) {
            // A branch that cannot start says nothing good about the connection; a fresh one costs little.
            throw control.xaFailed(e, true);
        } catch (RuntimeException e) {
            throw control.xaFailed(asXa(e), true);
        }
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        try {
            control.xaEnding(flags == TMFAIL);
        } catch (RuntimeException e) {
            throw stateFailure(e);
        }
        try {
            driver.end(xid, flags);
        } catch (XAException e) {
            throw control.xaFailed(e, false);
        } catch (RuntimeException e) {
            throw control.xaFailed(asXa(e), false);
        }
    }

    /** The pool's side of ending a branch failed: a transaction manager gets an XAException, never an unchecked one. */
    private static XAException stateFailure(RuntimeException e) {
        XAException failure = new XAException(XAException.XAER_RMERR);
        failure.initCause(e);
        return failure;
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        try {
            int vote = driver.prepare(xid);
            prepared = true;
            return vote;
        } catch (XAException e) {
            // The database rolled the branch back; drivers leave their XA state behind (PostgreSQL's then refuses
            // the next start), so the connection is not worth keeping.
            throw control.xaFailed(e, true);
        } catch (RuntimeException e) {
            throw control.xaFailed(asXa(e), true);
        }
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        try {
            driver.commit(xid, onePhase);
        } catch (XAException e) {
            throw control.xaFailed(e, false);
        } catch (RuntimeException e) {
            throw control.xaFailed(asXa(e), false);
        }
        control.afterXaCompletion();
    }

    /**
     * A rollback without an end first (a timeout, by some transaction managers) ends the branch here. A branch
     * rolled back from another thread under its borrower is rolled back by closing its connection (see
     * TransactionControl.xaRollingBack).
     */
    @Override
    public void rollback(Xid xid) throws XAException {
        boolean closeInstead;
        try {
            closeInstead = control.xaRollingBack(prepared);
        } catch (RuntimeException e) {
            throw stateFailure(e);
        }
        if (closeInstead) {
            events.closePhysical();
            return;
        }
        try {
            driver.rollback(xid);
        } catch (XAException e) {
            throw control.xaFailed(e, false);
        } catch (RuntimeException e) {
            throw control.xaFailed(asXa(e), false);
        }
        control.afterXaCompletion();
    }

    @Override
    public void forget(Xid xid) throws XAException {
        try {
            driver.forget(xid);
        } catch (XAException e) {
            throw control.xaFailed(e, false);
        }
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        try {
            return driver.recover(flag);
        } catch (XAException e) {
            throw control.xaFailed(e, false);
        }
    }

    /** Compares the drivers' resources: two of our wrappers are the same RM exactly when theirs are. */
    @Override
    public boolean isSameRM(XAResource other) throws XAException {
        return driver.isSameRM(other instanceof JdbcXAResource ours ? ours.driver : other);
    }

    @Override
    public int getTransactionTimeout() throws XAException {
        return driver.getTransactionTimeout();
    }

    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        return driver.setTransactionTimeout(seconds);
    }

    private static XAException asXa(RuntimeException e) {
        XAException xa = new XAException(XAException.XAER_RMFAIL);
        xa.initCause(e);
        return xa;
    }
}
