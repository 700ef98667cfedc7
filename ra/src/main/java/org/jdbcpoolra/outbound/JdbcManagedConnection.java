package org.jdbcpoolra.outbound;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
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
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import jakarta.resource.spi.ResourceAllocationException;

import org.jdbcpoolra.config.PoolConfig;
import org.jdbcpoolra.config.PoolProperty;
import org.jdbcpoolra.config.Redaction;
import org.jdbcpoolra.handle.BorrowerChanges;
import org.jdbcpoolra.handle.ClosedHandleException;
import org.jdbcpoolra.handle.ConnectionHandle;
import org.jdbcpoolra.handle.ConnectionOwner;
import org.jdbcpoolra.handle.StatementCache;
import org.jdbcpoolra.spi.ConnectionValidator;
import org.jdbcpoolra.tx.ConnectionState;
import org.jdbcpoolra.tx.JdbcLocalTransaction;
import org.jdbcpoolra.tx.JdbcXAResource;
import org.jdbcpoolra.stats.PoolCounters;
import org.jdbcpoolra.tx.TransactionControl;
import org.jdbcpoolra.tx.TransactionEvents;

/**
 * One physical JDBC connection as the server's pool sees it. Hands out {@link ConnectionHandle}s, tells the server
 * about closed handles, fatal errors and application-driven transactions, and puts the connection back the way it
 * found it in {@link #cleanup()}. The hazard it guards against: a borrower's uncommitted work, changed settings or
 * open statements leaking into the next borrower, or a stale handle reaching a connection someone else now holds.
 * Its state lives in one {@link TransactionControl}, the physical connection's life (retirement, renewal, checks) in
 * one {@link PhysicalLifetime}; everything it needs from the configuration it gets when it is created, so the hot
 * path makes no call back to the factory. The server serializes its lifecycle calls on one managed connection, but
 * some come from other threads (a transaction timeout, a leak reclaim, an undeploy): handle bookkeeping is guarded,
 * and destroy closes the physical connection whatever else fails.
 */
public final class JdbcManagedConnection implements ManagedConnection, ConnectionOwner, TransactionEvents,
        PhysicalLifetime.Owner {

    private static final Logger LOG = Logger.getLogger("org.jdbcpoolra");
    private static final ConnectionEventListener[] NO_LISTENERS = {};

    private final JdbcManagedConnectionFactory factory;
    private final String poolName;
    private final PoolConfig config;
    private final TransactionControl control;
    private final PhysicalLifetime lifetime;
    private final JdbcLocalTransaction localTransaction;
    /** Guarded by itself: the borrower adds and removes, the transaction manager or an undeploy may take all back. */
    private final ArrayList<ConnectionHandle> handles = new ArrayList<>(2);
    private final int queryTimeoutSeconds;
    private final StatementCache statementCache;
    private final PoolCounters counters;
    private final Suspicion suspicion;
    private volatile ConnectionEventListener[] listeners = NO_LISTENERS;
    /** Created on the server's first getXAResource call, then the same one for the connection's life. */
    private JdbcXAResource xaResource;
    private PrintWriter logWriter;

    JdbcManagedConnection(JdbcManagedConnectionFactory factory, PoolRuntime runtime, ConnectionOpener.Opened opened,
            long renewalLeadNanos) {
        PoolConfig config = runtime.config();
        this.factory = factory;
        this.config = config;
        this.poolName = config.poolName();
        this.queryTimeoutSeconds = config.queryTimeoutSeconds();
        this.counters = runtime.counters();
        this.suspicion = runtime.suspicion();
        this.statementCache = config.preparedStatementCacheSize() == 0 ? StatementCache.OFF
                : new StatementCache(config.preparedStatementCacheSize(), counters);
        // A claim lasts one validation at most; the network timeout behind its query timeout adds a second.
        this.control = new TransactionControl(poolName, opened.connection(), runtime.fatalErrors(), this,
                Duration.ofSeconds(config.validationTimeoutSeconds() + 2L));
        this.lifetime = new PhysicalLifetime(runtime, opened, control, statementCache, this, renewalLeadNanos);
        this.localTransaction = new JdbcLocalTransaction(control);
    }

    JdbcManagedConnectionFactory factory() {
        return factory;
    }

    /** Past MaxLifetime or MaxUses: renewed in place when idle; see {@link PhysicalLifetime}. */
    boolean retired() {
        return lifetime.retired();
    }

    /** For the server's matching: see {@link PhysicalLifetime#matchable()}. */
    boolean matchable() {
        return lifetime.matchable();
    }

    Credentials credentials() {
        return lifetime.credentials();
    }

    ConnectionState state() {
        return control.state();
    }

    @Override
    public int queryTimeoutSeconds() {
        return queryTimeoutSeconds;
    }

    @Override
    public StatementCache statementCache() {
        return statementCache;
    }

    /** For the server's validation of idle connections: see {@link PhysicalLifetime#validForServer()}. */
    boolean isValid() {
        return lifetime.validForServer();
    }

    /**
     * The adapter's background work on this connection (its renewal, and a keepalive check once it has been idle
     * for {@code idleNanos}), on the adapter's timer; see {@link PhysicalLifetime#housekeep}.
     */
    void keepAlive(long idleNanos) {
        lifetime.housekeep(idleNanos);
    }

    @Override
    public void foundDead(String reason) {
        LOG.info(() -> poolName + ": keepalive found an idle connection dead (" + reason
                + "); the server will replace it");
        fire(ConnectionEvent.CONNECTION_ERROR_OCCURRED, new SQLException(poolName
                + ": keepalive found the idle connection dead: " + reason, "08003"), null);
    }

    @Override
    public boolean renewsInBackground() {
        return factory.renewsInBackground();
    }

    // ---- JCA ManagedConnection -------------------------------------------------------------------------------

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        lend();
        lifetime.lent();
        ConnectionHandle handle = new ConnectionHandle(this, lifetime.connection());
        synchronized (handles) {
            handles.add(handle);
        }
        return handle;
    }

    /** Owns the connection for a borrower (waiting out a check), or fails saying why it cannot. */
    private void lend() throws ResourceException {
        if (!control.lent()) {
            if (control.state() == ConnectionState.DESTROYED) {
                throw new IllegalStateException(poolName + ": this managed connection is destroyed");
            }
            throw new ResourceAllocationException(poolName + ": this connection was found dead (by a keepalive "
                    + "check or an earlier error) and is being replaced; try again");
        }
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof ConnectionHandle handle)) {
            throw new IllegalStateException(poolName + ": cannot associate " + connection);
        }
        lend();
        ConnectionOwner previous = handle.associate(this, lifetime.connection());
        // Also when previous == this: cleanup may have dropped the handle, which must be tracked again.
        if (previous instanceof JdbcManagedConnection mc) {
            synchronized (mc.handles) {
                mc.handles.remove(handle);
            }
        }
        synchronized (handles) {
            handles.remove(handle);
            handles.add(handle);
        }
    }

    /**
     * Makes the connection fit for the next borrower: invalidates every handle (closing what they left open), rolls
     * back uncommitted work, resets only what the borrower changed, swaps in a renewal that is ready, and only then
     * gives the connection back to the pool. Harmless when called again. A connection that cannot be reset is
     * broken and the failure reaches the server, which destroys it.
     */
    @Override
    public void cleanup() throws ResourceException {
        if (control.state() == ConnectionState.DESTROYED) {
            return;
        }
        int open = invalidateHandles();
        if (open > 0) {
            counters.handlesClosedForApplication(open);
        }
        boolean reset = false;
        try {
            if (control.returning()) {
                if ((lifetime.changes().reset() & BorrowerChanges.NAME_RESOLUTION) != 0) {
                    statementCache.clear();
                }
                if (!control.isBroken()) {
                    lifetime.returnedFine();
                    lifetime.swapIfRenewed();
                }
            }
            reset = true;
        } catch (SQLException e) {
            control.failed(e);
            throw new ResourceException(poolName + ": could not reset a returned connection, so it will be "
                    + "destroyed: " + Redaction.message(e.getMessage(), lifetime.credentials().password()), e);
        } finally {
            if (reset) {
                control.idle();
            } else {
                control.breaks();
            }
        }
    }

    /**
     * Closes the physical connection; uncommitted work is rolled back first (TransactionControl.destroying). Every
     * step runs whatever the one before threw, and the physical connection is closed last; an Error still reaches
     * the caller afterwards.
     */
    @Override
    public void destroy() throws ResourceException {
        Throwable failure = null;
        try {
            if (!control.destroying()) {
                return;
            }
        } catch (Error e) {
            failure = e; // thrown by the rollback, after the destroy was ours
        }
        try {
            invalidateHandles();
        } catch (RuntimeException | Error e) {
            failure = failure == null ? e : failure;
        }
        try {
            statementCache.closeAll();
        } catch (RuntimeException | Error e) {
            failure = failure == null ? e : failure;
        }
        try {
            lifetime.end();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, () -> poolName + ": closing a destroyed connection failed: " + e);
        } catch (Error e) {
            failure = failure == null ? e : failure;
        } finally {
            factory.destroyed(this);
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            Throwable logged = failure;
            LOG.log(Level.FINE, () -> poolName + ": destroying a connection: " + logged);
        }
    }

    /** Takes every handle back (closing what each left open); returns how many there were. */
    private int invalidateHandles() {
        ConnectionHandle[] taken;
        synchronized (handles) {
            if (handles.isEmpty()) {
                return 0;
            }
            taken = handles.toArray(new ConnectionHandle[0]);
            handles.clear();
        }
        RuntimeException failure = null;
        for (int i = taken.length - 1; i >= 0; i--) {
            try {
                taken[i].takenBack();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return taken.length;
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
            xaResource = new JdbcXAResource(control, lifetime.link().xaResource(poolName), this);
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
            return new JdbcManagedConnectionMetaData(lifetime.connection().getMetaData(), credentials().user());
        } catch (SQLException e) {
            throw new ResourceException(poolName + ": cannot read database metadata: "
                    + Redaction.message(e.getMessage(), credentials().password()), e);
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

    // ---- ConnectionOwner: what the handles ask -----------------------------------------------------------------

    @Override
    public SQLException fail(SQLException e) {
        if (!(e instanceof ClosedHandleException)) {
            control.failed(e);
        }
        return e;
    }

    @Override
    public void handleClosed(ConnectionHandle handle, int statementsLeftOpen) {
        synchronized (handles) {
            handles.remove(handle);
        }
        if (statementsLeftOpen > 0) {
            LOG.log(Level.FINE, () -> poolName + ": closed " + statementsLeftOpen
                    + " statement(s) the borrower left open");
        }
        fire(ConnectionEvent.CONNECTION_CLOSED, null, handle);
    }

    /** The server hears of it once: an earlier fatal error may have broken the connection already. */
    @Override
    public void handleAborted(ConnectionHandle handle, Executor executor) throws SQLException {
        synchronized (handles) {
            handles.remove(handle);
        }
        boolean first = control.breaks();
        if (first) {
            counters.evicted("08006");
            suspicion.fatalSeen();
        }
        try {
            lifetime.connection().abort(executor);
        } finally {
            if (first) {
                fire(ConnectionEvent.CONNECTION_ERROR_OCCURRED,
                        new SQLException(poolName + ": connection aborted by the application", "08006"), null);
            }
        }
    }

    @Override
    public void changing(int attribute) throws SQLException {
        if ((attribute & BorrowerChanges.SESSION_LEVEL) != 0 && config.transactionPooler()) {
            throw sessionLevelRefused(attribute);
        }
        lifetime.changes().changing(attribute);
        if ((attribute & BorrowerChanges.NAME_RESOLUTION) != 0) {
            statementCache.clear();
        }
    }

    private SQLException sessionLevelRefused(int attribute) {
        boolean isolation = (attribute & BorrowerChanges.ISOLATION) != 0;
        return new SQLFeatureNotSupportedException(poolName + ": " + (isolation ? "setTransactionIsolation"
                : "setSchema") + " is refused with " + PoolProperty.TRANSACTION_POOLER + "=true: the driver changes "
                + "the server session, which behind a transaction pooler serves other clients after this transaction; "
                + (isolation ? "start the transaction with SET TRANSACTION ISOLATION LEVEL, or set the default in the "
                        + "database (ALTER ROLE ... SET default_transaction_isolation)"
                        : "qualify names with their schema, or set search_path in the database (ALTER ROLE ... SET "
                                + "search_path)"), "0A000");
    }

    @Override
    public void setAutoCommit(boolean enable) throws SQLException {
        control.setAutoCommit(enable);
    }

    @Override
    public void commit() throws SQLException {
        control.commit();
    }

    @Override
    public void rollback() throws SQLException {
        control.rollback();
    }

    // ---- TransactionEvents: what the transaction logic reports -------------------------------------------------

    @Override
    public void localTransactionStarted() {
        fire(ConnectionEvent.LOCAL_TRANSACTION_STARTED, null, null);
    }

    @Override
    public void localTransactionCommitted() {
        fire(ConnectionEvent.LOCAL_TRANSACTION_COMMITTED, null, null);
    }

    @Override
    public void localTransactionRolledBack() {
        fire(ConnectionEvent.LOCAL_TRANSACTION_ROLLEDBACK, null, null);
    }

    @Override
    public boolean borrowed() {
        synchronized (handles) {
            return !handles.isEmpty();
        }
    }

    @Override
    public void abortedUnderBorrower() {
        LOG.warning(() -> poolName + ": the transaction manager rolled back a transaction while its borrower still "
                + "held the connection (a transaction timeout); the borrower cannot commit anything more in it, and "
                + "its further work is rolled back when it gives the connection back");
    }

    @Override
    public void takeHandlesBack() {
        try {
            invalidateHandles();
        } catch (RuntimeException e) {
            // The borrower's thread may be inside a handle; its next call fails on the taken-back handle anyway.
            LOG.log(Level.FINE, () -> poolName + ": taking handles back from a borrower: " + e);
        }
    }

    @Override
    public void closePhysical() {
        lifetime.closeNow();
    }

    @Override
    public void broken(Exception cause) {
        String message = cause.getMessage() != null ? cause.getMessage() : String.valueOf(cause.getCause());
        String reason = Redaction.message(message, lifetime.credentials().password());
        LOG.warning(() -> poolName + ": connection broken (" + describe(cause) + "): " + reason
                + "; the server will discard it");
        counters.evicted(cause instanceof SQLException sql ? sql.getSQLState() : null);
        suspicion.fatalSeen();
        fire(ConnectionEvent.CONNECTION_ERROR_OCCURRED, cause, null);
    }

    private static String describe(Exception cause) {
        if (cause instanceof SQLException sql) {
            return "SQLState " + sql.getSQLState() + ", error " + sql.getErrorCode();
        }
        return cause instanceof XAException xa ? "XA error code " + xa.errorCode : cause.getClass().getName();
    }

    private void fire(int type, Exception error, ConnectionHandle handle) {
        ConnectionEventListener[] current = listeners;
        if (current.length == 0) {
            return;
        }
        ConnectionEvent event = error == null ? new ConnectionEvent(this, type)
                : new ConnectionEvent(this, type, error);
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
        return "JdbcManagedConnection[" + poolName + ", " + control.state() + "]";
    }
}
