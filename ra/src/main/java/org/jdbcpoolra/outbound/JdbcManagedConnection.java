package org.jdbcpoolra.outbound;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.security.auth.Subject;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.IllegalStateException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.LocalTransactionException;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;

import org.jdbcpoolra.config.PoolConfig;
import org.jdbcpoolra.handle.ClosedHandleException;
import org.jdbcpoolra.handle.ConnectionHandle;
import org.jdbcpoolra.tx.JdbcLocalTransaction;
import org.jdbcpoolra.tx.JdbcXAResource;

/**
 * One physical JDBC connection as the server's pool sees it. Hands out {@link ConnectionHandle}s, tells the server
 * about closed handles, fatal errors and application-driven transactions, and puts the connection back the way it
 * found it in {@link #cleanup()}. The hazard it guards against: a borrower's uncommitted work, changed settings or
 * open statements leaking into the next borrower, or a stale handle reaching a connection someone else now holds.
 * The server serializes lifecycle calls on one managed connection; handles are used by one thread at a time.
 */
public final class JdbcManagedConnection implements ManagedConnection {

    /** {@code IDLE}: clean, in the pool. {@code IN_USE}: handed out since the last cleanup. Changed only in moveTo. */
    enum State { IDLE, IN_USE, DESTROYED }

    private static final Logger LOG = Logger.getLogger("org.jdbcpoolra");
    private static final ConnectionEventListener[] NO_LISTENERS = {};
    /** Statements prepared under another catalog or schema may name other tables: they are not reused across it. */
    private static final int NAME_RESOLUTION = BorrowerChanges.CATALOG | BorrowerChanges.SCHEMA;

    private final JdbcManagedConnectionFactory factory;
    private final String poolName;
    private final Credentials credentials;
    private final Physical link;
    private final Connection physical;
    private final BorrowerChanges changes;
    private final JdbcLocalTransaction localTransaction = new JdbcLocalTransaction(this);
    private final ArrayList<ConnectionHandle> handles = new ArrayList<>(2);
    private volatile ConnectionEventListener[] listeners = NO_LISTENERS;
    private volatile State state = State.IDLE;

    /** Mirrors the physical autocommit so that the common no-op calls need no driver round trip. */
    private boolean autoCommit = true;
    /** A container-managed local transaction or an XA branch is active: the handles may not end it. */
    private boolean inContainerTransaction;
    /** Created on the server's first getXAResource call, then the same one for the connection's life. */
    private JdbcXAResource xaResource;
    /** A fatal error was reported once; the server will destroy this connection. */
    private volatile boolean broken;
    private PrintWriter logWriter;
    private final int queryTimeoutSeconds;
    private final StatementCache statementCache;

    JdbcManagedConnection(JdbcManagedConnectionFactory factory, PoolConfig config, Credentials credentials,
            Physical link) throws SQLException {
        this.factory = factory;
        this.poolName = config.poolName();
        this.queryTimeoutSeconds = config.queryTimeoutSeconds();
        this.statementCache = config.preparedStatementCacheSize() == 0 ? StatementCache.OFF
                : new StatementCache(config.preparedStatementCacheSize());
        this.credentials = credentials;
        this.link = link;
        this.physical = link.connection();
        if (!physical.getAutoCommit()) {
            physical.setAutoCommit(true);
        }
        if (config.transactionIsolation() >= 0) {
            physical.setTransactionIsolation(config.transactionIsolation());
        }
        this.changes = new BorrowerChanges(physical, config.transactionIsolation());
    }

    JdbcManagedConnectionFactory factory() {
        return factory;
    }

    Credentials credentials() {
        return credentials;
    }

    Connection physical() {
        return physical;
    }

    /** The default every new statement gets (PoolConfig.queryTimeoutSeconds); 0 means none. */
    public int queryTimeoutSeconds() {
        return queryTimeoutSeconds;
    }

    /** Prepared statements kept open on this physical connection between borrowers (OFF when size is 0). */
    public StatementCache statementCache() {
        return statementCache;
    }

    boolean isBroken() {
        return broken;
    }

    private void moveTo(State next) {
        state = next;
    }

    // ---- JCA ManagedConnection -------------------------------------------------------------------------------

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        if (state == State.DESTROYED) {
            throw new IllegalStateException(poolName + ": this managed connection is destroyed");
        }
        ConnectionHandle handle = new ConnectionHandle(this, physical);
        handles.add(handle);
        moveTo(State.IN_USE);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof ConnectionHandle handle)) {
            throw new IllegalStateException(poolName + ": cannot associate " + connection);
        }
        if (state == State.DESTROYED) {
            throw new IllegalStateException(poolName + ": this managed connection is destroyed");
        }
        JdbcManagedConnection previous = handle.associate(this, physical);
        // Also when previous == this: cleanup may have dropped the handle, which must be tracked again.
        previous.handles.remove(handle);
        handles.add(handle);
        moveTo(State.IN_USE);
    }

    /**
     * Makes the connection fit for the next borrower: invalidates every handle (closing what they left open), rolls
     * back uncommitted work and resets only what the borrower changed. Harmless when called again.
     */
    @Override
    public void cleanup() throws ResourceException {
        if (state == State.DESTROYED) {
            return;
        }
        invalidateHandles();
        if (state == State.IDLE) {
            return;
        }
        try {
            if (!autoCommit) {
                physical.rollback();
                physical.setAutoCommit(true);
                autoCommit = true;
            }
            inContainerTransaction = false;
            if ((changes.reset() & NAME_RESOLUTION) != 0) {
                statementCache.clear();
            }
        } catch (SQLException e) {
            throw new ResourceException(poolName + ": could not reset a returned connection, so it will be "
                    + "destroyed: " + e.getMessage(), e);
        }
        moveTo(State.IDLE);
    }

    /** Closes the physical connection. Work still uncommitted is rolled back first: some drivers commit on close. */
    @Override
    public void destroy() throws ResourceException {
        if (state == State.DESTROYED) {
            return;
        }
        moveTo(State.DESTROYED);
        invalidateHandles();
        statementCache.closeAll();
        try {
            if (!autoCommit && !broken) {
                physical.rollback();
            }
        } catch (SQLException ignored) {
            // The connection is going away; closing it below discards the work anyway.
        }
        try {
            link.close();
        } catch (SQLException e) {
            LOG.log(Level.FINE, e, () -> poolName + ": closing a destroyed connection failed");
        } finally {
            factory.destroyed(this);
        }
    }

    private void invalidateHandles() {
        for (int i = handles.size() - 1; i >= 0; i--) {
            handles.get(i).invalidate();
        }
        handles.clear();
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        synchronized (this) {
            ConnectionEventListener[] current = listeners;
            ConnectionEventListener[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = listener;
            listeners = next;
        }
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        synchronized (this) {
            listeners = Arrays.stream(listeners).filter(l -> l != listener).toArray(ConnectionEventListener[]::new);
        }
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        if (xaResource == null) {
            xaResource = new JdbcXAResource(this, link.xaResource(poolName));
        }
        return xaResource;
    }

    @Override
    public LocalTransaction getLocalTransaction() {
        return localTransaction;
    }

    @Override
    public ManagedConnectionMetaData getMetaData() throws ResourceException {
        try {
            return new JdbcManagedConnectionMetaData(physical.getMetaData(), credentials.user());
        } catch (SQLException e) {
            throw new ResourceException(poolName + ": cannot read database metadata: " + e.getMessage(), e);
        }
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    // ---- called by handles -----------------------------------------------------------------------------------

    /**
     * The one exception check behind every handle method: a fatal error is reported to the server before the
     * application sees the exception, so the connection is never handed out again.
     */
    public SQLException fail(SQLException e) {
        if (!broken && !(e instanceof ClosedHandleException) && factory.fatalErrors().isFatal(e)) {
            broken = true;
            LOG.log(Level.WARNING, () -> poolName + ": connection broken (SQLState " + e.getSQLState() + ", error "
                    + e.getErrorCode() + "): " + e.getMessage() + "; the server will discard it");
            fire(ConnectionEvent.CONNECTION_ERROR_OCCURRED, e, null);
        }
        return e;
    }

    public void handleClosed(ConnectionHandle handle, int statementsLeftOpen) {
        handles.remove(handle);
        if (statementsLeftOpen > 0) {
            LOG.log(Level.FINE, () -> poolName + ": closed " + statementsLeftOpen
                    + " statement(s) the borrower left open");
        }
        fire(ConnectionEvent.CONNECTION_CLOSED, null, handle);
    }

    public void changing(int attribute) throws SQLException {
        changes.changing(attribute);
        if ((attribute & NAME_RESOLUTION) != 0) {
            statementCache.clear();
        }
    }

    public void setAutoCommit(boolean enable) throws SQLException {
        if (inContainerTransaction) {
            if (enable) {
                throw new SQLException(poolName + ": setAutoCommit(true) is not allowed inside a "
                        + "container-managed transaction", "25000");
            }
            return;
        }
        if (enable == autoCommit) {
            return;
        }
        physical.setAutoCommit(enable);
        autoCommit = enable;
        // Enabling autocommit commits the open transaction (JDBC).
        fire(enable ? ConnectionEvent.LOCAL_TRANSACTION_COMMITTED : ConnectionEvent.LOCAL_TRANSACTION_STARTED,
                null, null);
    }

    public void commit() throws SQLException {
        if (inContainerTransaction) {
            throw new SQLException(poolName + ": commit() is not allowed inside a container-managed transaction; "
                    + "the transaction manager commits", "25000");
        }
        physical.commit();
        if (!autoCommit) {
            fire(ConnectionEvent.LOCAL_TRANSACTION_COMMITTED, null, null);
        }
    }

    public void rollback() throws SQLException {
        if (inContainerTransaction) {
            throw new SQLException(poolName + ": rollback() is not allowed inside a container-managed transaction; "
                    + "use setRollbackOnly", "25000");
        }
        physical.rollback();
        if (!autoCommit) {
            fire(ConnectionEvent.LOCAL_TRANSACTION_ROLLEDBACK, null, null);
        }
    }

    public void abort(ConnectionHandle handle, Executor executor) throws SQLException {
        handles.remove(handle);
        broken = true;
        try {
            physical.abort(executor);
        } finally {
            fire(ConnectionEvent.CONNECTION_ERROR_OCCURRED,
                    new SQLException(poolName + ": connection aborted by the application", "08006"), null);
        }
    }

    // ---- called by the container-managed local transaction ---------------------------------------------------

    public void beginContainerTransaction() throws ResourceException {
        if (inContainerTransaction) {
            throw new LocalTransactionException(poolName + ": a transaction is already active");
        }
        try {
            if (autoCommit) {
                physical.setAutoCommit(false);
                autoCommit = false;
            }
        } catch (SQLException e) {
            throw localFailure("begin", e);
        }
        inContainerTransaction = true;
    }

    /** Ends the container's transaction; with none active, rolls back an application's unfinished local one. */
    public void endContainerTransaction(boolean commit) throws ResourceException {
        if (!inContainerTransaction) {
            if (commit) {
                throw new LocalTransactionException(poolName + ": no transaction to commit");
            }
            try {
                if (!autoCommit) {
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
            throw localFailure(commit ? "commit" : "rollback", e);
        } finally {
            inContainerTransaction = false;
        }
        try {
            physical.setAutoCommit(true);
            autoCommit = true;
        } catch (SQLException e) {
            throw localFailure("restore autocommit after", e);
        }
    }

    // ---- called by the XA resource ------------------------------------------------------------------------------

    /** The driver's XA start put the connection into a branch; the transaction manager ends it, not the handles. */
    public void beginGlobalTransaction() {
        inContainerTransaction = true;
    }

    public void endGlobalTransaction() {
        inContainerTransaction = false;
    }

    /**
     * The branch is committed or rolled back: the connection must be in autocommit again for the next borrower and
     * for work outside a transaction. Drivers restore it themselves; this is for those that do not.
     */
    public void afterGlobalCompletion() throws XAException {
        try {
            if (!inContainerTransaction && !physical.getAutoCommit()) {
                physical.setAutoCommit(true);
            }
        } catch (SQLException e) {
            fail(e);
            XAException failure = new XAException(XAException.XAER_RMFAIL);
            failure.initCause(e);
            throw failure;
        }
    }

    /**
     * The one check behind every XA failure: fatal when the caller says so (a branch that cannot start), when the
     * resource manager failed, or when the driver's cause is a fatal SQLException. Returns the exception to throw.
     */
    public XAException xaFailed(XAException e, boolean fatal) {
        boolean broken = fatal || e.errorCode == XAException.XAER_RMFAIL
                || (e.getCause() instanceof SQLException sql && factory.fatalErrors().isFatal(sql));
        if (broken && !this.broken) {
            this.broken = true;
            LOG.log(Level.WARNING, () -> poolName + ": XA failure (XA error code " + e.errorCode + "): "
                    + (e.getMessage() != null ? e.getMessage() : String.valueOf(e.getCause()))
                    + "; the server will discard the connection");
            fire(ConnectionEvent.CONNECTION_ERROR_OCCURRED, e, null);
        }
        return e;
    }

    private LocalTransactionException localFailure(String what, SQLException e) {
        fail(e);
        LocalTransactionException failure = new LocalTransactionException(poolName + ": " + what
                + " failed: " + e.getMessage(), e.getSQLState());
        failure.initCause(e);
        return failure;
    }

    private void fire(int type, Exception error, ConnectionHandle handle) {
        ConnectionEventListener[] current = listeners;
        if (current.length == 0) {
            return;
        }
        ConnectionEvent event = error == null ? new ConnectionEvent(this, type) : new ConnectionEvent(this, type, error);
        if (handle != null) {
            event.setConnectionHandle(handle);
        }
        for (ConnectionEventListener listener : current) {
            switch (type) {
                case ConnectionEvent.CONNECTION_CLOSED -> listener.connectionClosed(event);
                case ConnectionEvent.CONNECTION_ERROR_OCCURRED -> listener.connectionErrorOccurred(event);
                case ConnectionEvent.LOCAL_TRANSACTION_STARTED -> listener.localTransactionStarted(event);
                case ConnectionEvent.LOCAL_TRANSACTION_COMMITTED -> listener.localTransactionCommitted(event);
                case ConnectionEvent.LOCAL_TRANSACTION_ROLLEDBACK -> listener.localTransactionRolledback(event);
                default -> throw new java.lang.IllegalStateException("unknown event " + type);
            }
        }
    }

    @Override
    public String toString() {
        return "JdbcManagedConnection[" + poolName + ", " + state + "]";
    }
}
