package org.jdbcpoolra.outbound;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
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
 * Its state lives in one {@link TransactionControl}; everything it needs from the configuration (classifier,
 * validator, timeouts, cache) it gets when it is created, so the hot path makes no call back to the factory.
 * The server serializes lifecycle calls on one managed connection; handles are used by one thread at a time.
 */
public final class JdbcManagedConnection implements ManagedConnection, ConnectionOwner, TransactionEvents {

    private static final Logger LOG = Logger.getLogger("org.jdbcpoolra");
    private static final ConnectionEventListener[] NO_LISTENERS = {};

    private final JdbcManagedConnectionFactory factory;
    private final String poolName;
    private final PoolConfig config;
    /**
     * The physical side. Replaced when a retired connection is renewed (MaxLifetime, MaxUses), only while the
     * connection is claimed from the pool (TransactionControl's KEEPALIVE), so a borrower sees the new one; volatile
     * for the server's validation, which reads it without a claim.
     */
    private volatile Credentials credentials;
    private volatile Physical link;
    private volatile Connection physical;
    private BorrowerChanges changes;
    private final TransactionControl control;
    private final JdbcLocalTransaction localTransaction;
    private final ArrayList<ConnectionHandle> handles = new ArrayList<>(2);
    private final ConnectionValidator validator;
    private final int validationTimeoutSeconds;
    private final int queryTimeoutSeconds;
    private final StatementCache statementCache;
    /** 0: every validation asks the database. */
    private final long validationBypassNanos;
    private final PoolCounters counters;
    /** When MaxLifetime retires the physical connection (System.nanoTime), if {@link #lifetimeLimited}. */
    private long retireAtNanos;
    private final boolean lifetimeLimited;
    private final int maxUses;
    /** Borrows of the physical connection so far; the server serializes getConnection on one managed connection. */
    private int uses;
    /**
     * When a borrower last gave the connection back without a fatal error (or it was opened, or a keepalive check
     * found it alive). Written on return, read by the server's validation and the keepalive check, perhaps on
     * another thread: a stale read only makes them ask the database, so the return path pays no barrier.
     */
    private long lastGoodNanos;
    private volatile ConnectionEventListener[] listeners = NO_LISTENERS;
    /** Created on the server's first getXAResource call, then the same one for the connection's life. */
    private JdbcXAResource xaResource;
    private PrintWriter logWriter;

    JdbcManagedConnection(JdbcManagedConnectionFactory factory, PoolRuntime runtime, Credentials credentials,
            Physical link) throws SQLException {
        PoolConfig config = runtime.config();
        this.factory = factory;
        this.poolName = config.poolName();
        this.validator = runtime.validator();
        this.validationTimeoutSeconds = config.validationTimeoutSeconds();
        this.queryTimeoutSeconds = config.queryTimeoutSeconds();
        this.counters = runtime.counters();
        this.statementCache = config.preparedStatementCacheSize() == 0 ? StatementCache.OFF
                : new StatementCache(config.preparedStatementCacheSize(), counters);
        this.validationBypassNanos = config.validationBypassMillis() * 1_000_000L;
        this.maxUses = config.maxUses();
        this.lifetimeLimited = config.maxLifetimeSeconds() > 0;
        this.config = config;
        this.credentials = credentials;
        this.link = link;
        this.physical = link.connection();
        prepare(physical, config);
        this.retireAtNanos = retireAt(config);
        this.lastGoodNanos = System.nanoTime();
        this.changes = new BorrowerChanges(physical, config.transactionIsolation());
        this.control = new TransactionControl(poolName, physical, runtime.fatalErrors(), this);
        this.localTransaction = new JdbcLocalTransaction(control);
    }

    /** Up to a tenth sooner, at random: connections opened together (prefill, a burst) do not retire together. */
    private static long retireAt(PoolConfig config) {
        long lifetimeNanos = config.maxLifetimeSeconds() * 1_000_000_000L;
        return System.nanoTime() + lifetimeNanos
                - (long) (ThreadLocalRandom.current().nextDouble() * lifetimeNanos / 10);
    }

    /** A new physical connection as every borrower expects it: autocommit on, the configured isolation, InitSql. */
    static void prepare(Connection physical, PoolConfig config) throws SQLException {
        if (!physical.getAutoCommit()) {
            physical.setAutoCommit(true);
        }
        if (config.transactionIsolation() >= 0) {
            physical.setTransactionIsolation(config.transactionIsolation());
        }
        if (config.networkTimeoutSeconds() > 0) {
            setNetworkTimeout(physical, config.networkTimeoutSeconds() * 1000);
        }
        runInitSql(physical, config);
    }

    /**
     * Without it a borrower waiting for a reply from a database that went silent (a dropped route, a hung host)
     * waits until the operating system gives the socket up, which for a read is never. The driver then fails the
     * call with a connection error, which is fatal, so the server destroys the connection.
     */
    private static void setNetworkTimeout(Connection physical, int millis) throws SQLException {
        try {
            physical.setNetworkTimeout(Runnable::run, millis);
        } catch (SQLFeatureNotSupportedException | AbstractMethodError | UnsupportedOperationException e) {
            // JDBC 4.1 optional: such a driver is bounded only by its own socket timeout property.
        }
    }

    /** Before any borrower: what InitSql sets is then the connection's own state, which cleanup never touches. */
    private static void runInitSql(Connection physical, PoolConfig config) throws SQLException {
        if (config.initSql().isEmpty()) {
            return;
        }
        try (var statement = physical.createStatement()) {
            for (String sql : config.initSql()) {
                try {
                    statement.execute(sql);
                } catch (SQLException e) {
                    SQLException failed = new SQLException(PoolProperty.INIT_SQL + " failed at '" + sql + "': "
                            + e.getMessage(), e.getSQLState(), e.getErrorCode());
                    failed.initCause(e);
                    throw failed;
                }
            }
        }
    }

    JdbcManagedConnectionFactory factory() {
        return factory;
    }

    /**
     * Past MaxLifetime or MaxUses: its physical connection serves no new borrower. It is renewed (a new physical
     * connection under this managed connection) when it comes back, at the keepalive sweep, or when the server
     * validates or matches it; a borrower holding it keeps it until then.
     */
    boolean retired() {
        return retired(System.nanoTime());
    }

    private boolean retired(long now) {
        return maxUses > 0 && uses >= maxUses || lifetimeLimited && now - retireAtNanos >= 0;
    }

    /** Not retired, or renewed just now. */
    boolean fresh() {
        return !retired() || renewIdle();
    }

    /** Claims an idle retired connection from the pool and renews it; false when it is not idle or cannot be. */
    private boolean renewIdle() {
        if (!control.claimForKeepalive()) {
            return false;
        }
        try {
            return renewClaimed();
        } finally {
            control.keptAlive();
        }
    }

    /**
     * Replaces the retired physical connection by a new one while the connection is claimed, so the server never
     * sees the retirement: it logs nothing (WildFly warns about every connection it finds invalid) and its pool keeps
     * its size. Local connections only: an XA connection's XAResource belongs to the transaction manager. False when
     * no new connection could be opened: the retired one stays, and the server's next validation replaces it.
     */
    private boolean renewClaimed() {
        if (link instanceof Physical.Xa) {
            return false;
        }
        JdbcManagedConnectionFactory.Renewal renewal;
        try {
            renewal = factory.renew(credentials);
        } catch (ResourceException e) {
            LOG.fine(() -> poolName + ": could not renew a retired connection: " + e.getMessage());
            return false;
        }
        counters.retired(maxUses > 0 && uses >= maxUses);
        Physical old = link;
        statementCache.closeAll();
        credentials = renewal.credentials();
        link = renewal.physical();
        physical = link.connection();
        changes = new BorrowerChanges(physical, config.transactionIsolation());
        control.renewed(physical);
        uses = 0;
        retireAtNanos = retireAt(config);
        lastGoodNanos = System.nanoTime();
        try {
            old.close();
        } catch (SQLException e) {
            LOG.log(Level.FINE, e, () -> poolName + ": closing a retired connection failed");
        }
        LOG.fine(() -> poolName + ": renewed a retired connection");
        return true;
    }

    Credentials credentials() {
        return credentials;
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

    /**
     * For the server's validation of idle connections: a broken one is invalid without asking the database, one
     * given back fine within ValidationBypassMillis is valid without asking it (a busy pool makes no round trips),
     * any other is asked within the validation timeout.
     */
    boolean isValid() {
        if (control.isBroken()) {
            return false;
        }
        if (!fresh()) {
            LOG.fine(() -> poolName + ": a retired connection could not be renewed; the server will replace it");
            return false;
        }
        if (validationBypassNanos > 0 && System.nanoTime() - lastGoodNanos < validationBypassNanos) {
            counters.validated(false);
            return true;
        }
        counters.validated(true);
        try {
            if (validator.isValid(physical, validationTimeoutSeconds)) {
                return true;
            }
            LOG.info(() -> poolName + ": validation found a dead connection; the server will replace it");
        } catch (SQLException e) {
            LOG.info(() -> poolName + ": validation failed (" + e.getSQLState() + "): " + e.getMessage()
                    + "; the server will replace the connection");
        }
        return false;
    }

    /**
     * The adapter's own check of an idle connection (KeepaliveSeconds), for servers that validate none in the
     * background: one unused for {@code idleNanos} is taken from the pool for one validation, and a dead one is
     * reported to the server, which removes it before a borrower meets it. A borrower who wants the connection
     * meanwhile waits for the check (TransactionControl); the server's own calls are not otherwise disturbed.
     */
    void keepAlive(long idleNanos) {
        long now = System.nanoTime();
        boolean retired = retired(now);
        if (!retired && now - lastGoodNanos < idleNanos || !control.claimForKeepalive()) {
            return;
        }
        if (retired && renewClaimed()) {
            control.keptAlive();
            return;
        }
        boolean alive = false;
        boolean dead = false;
        String failure = "the driver reports it invalid";
        counters.validated(true);
        try {
            alive = validator.isValid(physical, validationTimeoutSeconds);
        } catch (SQLException e) {
            failure = "SQLState " + e.getSQLState() + ": " + e.getMessage();
        } catch (RuntimeException e) {
            failure = e.toString();
        } finally {
            if (alive) {
                lastGoodNanos = System.nanoTime();
                control.keptAlive();
            } else {
                dead = control.keepaliveFailed();
            }
        }
        if (dead) {
            counters.evicted(PoolCounters.KEEPALIVE);
            String reason = Redaction.message(failure, credentials.password());
            LOG.info(() -> poolName + ": keepalive found an idle connection dead (" + reason
                    + "); the server will replace it");
            fire(ConnectionEvent.CONNECTION_ERROR_OCCURRED, new SQLException(poolName
                    + ": keepalive found the idle connection dead: " + reason, "08003"), null);
        }
    }

    // ---- JCA ManagedConnection -------------------------------------------------------------------------------

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        if (control.state() == ConnectionState.DESTROYED) {
            throw new IllegalStateException(poolName + ": this managed connection is destroyed");
        }
        if (!control.lent()) {
            throw new ResourceAllocationException(poolName + ": this connection was found dead (by a keepalive "
                    + "check or an earlier error) and is being replaced; try again");
        }
        ConnectionHandle handle = new ConnectionHandle(this, physical);
        handles.add(handle);
        uses++;
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof ConnectionHandle handle)) {
            throw new IllegalStateException(poolName + ": cannot associate " + connection);
        }
        if (control.state() == ConnectionState.DESTROYED) {
            throw new IllegalStateException(poolName + ": this managed connection is destroyed");
        }
        ConnectionOwner previous = handle.associate(this, physical);
        // Also when previous == this: cleanup may have dropped the handle, which must be tracked again.
        if (previous instanceof JdbcManagedConnection mc) {
            mc.handles.remove(handle);
        }
        handles.add(handle);
        control.lent();
    }

    /**
     * Makes the connection fit for the next borrower: invalidates every handle (closing what they left open), rolls
     * back uncommitted work and resets only what the borrower changed. Harmless when called again.
     */
    @Override
    public void cleanup() throws ResourceException {
        if (control.state() == ConnectionState.DESTROYED) {
            return;
        }
        if (!handles.isEmpty()) {
            counters.handlesClosedForApplication(handles.size());
        }
        invalidateHandles();
        try {
            if (control.returned()) {
                if ((changes.reset() & BorrowerChanges.NAME_RESOLUTION) != 0) {
                    statementCache.clear();
                }
                if (!control.isBroken()) {
                    long now = System.nanoTime();
                    lastGoodNanos = now;
                    if (retired(now)) {
                        renewIdle();
                    }
                }
            }
        } catch (SQLException e) {
            throw new ResourceException(poolName + ": could not reset a returned connection, so it will be "
                    + "destroyed: " + e.getMessage(), e);
        }
    }

    /** Closes the physical connection; uncommitted work is rolled back first (TransactionControl.destroying). */
    @Override
    public void destroy() throws ResourceException {
        if (!control.destroying()) {
            return;
        }
        invalidateHandles();
        statementCache.closeAll();
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
            handles.get(i).takenBack();
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
            xaResource = new JdbcXAResource(control, link.xaResource(poolName));
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
        handles.remove(handle);
        if (statementsLeftOpen > 0) {
            LOG.log(Level.FINE, () -> poolName + ": closed " + statementsLeftOpen
                    + " statement(s) the borrower left open");
        }
        fire(ConnectionEvent.CONNECTION_CLOSED, null, handle);
    }

    @Override
    public void handleAborted(ConnectionHandle handle, Executor executor) throws SQLException {
        handles.remove(handle);
        control.breaks();
        counters.evicted("08006");
        try {
            physical.abort(executor);
        } finally {
            fire(ConnectionEvent.CONNECTION_ERROR_OCCURRED,
                    new SQLException(poolName + ": connection aborted by the application", "08006"), null);
        }
    }

    @Override
    public void changing(int attribute) throws SQLException {
        if ((attribute & BorrowerChanges.SESSION_LEVEL) != 0 && config.transactionPooler()) {
            throw sessionLevelRefused(attribute);
        }
        changes.changing(attribute);
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
        return !handles.isEmpty();
    }

    @Override
    public void abortedUnderBorrower() {
        LOG.warning(() -> poolName + ": the transaction manager rolled back a transaction while its borrower still "
                + "held the connection (a transaction timeout); the borrower cannot commit anything more in it, and "
                + "its further work is rolled back when it gives the connection back");
    }

    @Override
    public void broken(Exception cause) {
        LOG.log(Level.WARNING, () -> poolName + ": connection broken (" + describe(cause) + "): "
                + (cause.getMessage() != null ? cause.getMessage() : String.valueOf(cause.getCause()))
                + "; the server will discard it");
        counters.evicted(cause instanceof SQLException sql ? sql.getSQLState() : null);
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
