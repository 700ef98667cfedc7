package org.jdbcpoolra.handle;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Properties;
import java.util.concurrent.Executor;


/**
 * The {@link Connection} an application holds. It never hands out the physical connection (only {@code unwrap} to a
 * vendor interface does, on request), records what the borrower changes so the pool resets only that, and closes
 * the statements the borrower left open. Once closed, by the application or by the server's {@code cleanup()}, its
 * delegate is a sentinel: a stale handle fails cleanly and cannot touch a connection that now serves someone else.
 * Like a JDBC connection, a handle is meant for one thread at a time.
 */
public final class ConnectionHandle extends TrackedHandle implements Connection {
    private Connection delegate;
    /** Changes on {@code associateConnection}: the server may move a handle to another managed connection. */
    private ConnectionOwner mc;
    private DatabaseMetaDataHandle metaData;

    public ConnectionHandle(ConnectionOwner mc, Connection physical) {
        this.mc = mc;
        this.delegate = physical;
    }

    /**
     * Moves this handle to another managed connection (JCA {@code associateConnection}) and returns the one it left.
     * Its open statements belong to the old physical connection, so they are closed; associated again with the
     * managed connection it already has, it keeps them.
     */
    public ConnectionOwner associate(ConnectionOwner target, Connection physical) {
        if (target != mc) {
            closeChildren();
        }
        ConnectionOwner previous = mc;
        this.mc = target;
        this.delegate = physical;
        return previous;
    }

    /**
     * The server took the connection back ({@code cleanup} or {@code destroy}) while this handle was still open:
     * close what is open, no event, and say so to whoever uses it next.
     */
    public void takenBack() {
        closeChildren();
        delegate = ClosedHandles.TAKEN_BACK;
    }

    @Override
    void closeByOwner() {
        closeChildren();
        delegate = ClosedHandles.CONNECTION;
    }

    /** Classifies a failure once for every handle below this one; a fatal one reaches the server first. */
    SQLException fail(SQLException e) {
        return mc.fail(e);
    }

    /** The same for {@code setClientInfo}, which may throw nothing but SQLClientInfoException. */
    private SQLClientInfoException fail(SQLClientInfoException e) {
        mc.fail(e);
        return e;
    }

    private <T extends TrackedHandle> T tracked(T child) {
        track(child);
        return child;
    }

    /**
     * From the physical connection's statement cache when it has this SQL free; otherwise prepared, and cached if
     * the cache is on. Checks the handle first: a closed handle must not reach the cache of a connection that
     * serves someone else now.
     */
    private PreparedStatementHandle cachedOrPrepared(String sql) throws SQLException {
        ensureOpen();
        StatementCache cache = mc.statementCache();
        StatementCache.Entry entry = cache.take(sql);
        if (entry != null) {
            return new PreparedStatementHandle(this, entry.statement(), entry);
        }
        PreparedStatement physical = timed(delegate.prepareStatement(sql));
        return new PreparedStatementHandle(this, physical, cache.add(sql, physical));
    }

    int defaultQueryTimeout() {
        return mc.queryTimeoutSeconds();
    }

    // ---- what the driver hands out that could outlive the borrow (BorrowedObject) -------------------------------

    /**
     * Wraps a value the driver returned when it could reach the physical connection or outlive the borrow (a
     * result set such as a PostgreSQL refcursor, a LOB, an array, ...): it then closes with this handle. Plain
     * values pass as they are; the common ones are checked first, so getObject on them costs one type check.
     */
    Object borrowed(Object value, StatementHandle statement) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof java.util.Date || value instanceof java.time.temporal.Temporal
                || value instanceof byte[]) {
            return value;
        }
        if (value instanceof java.sql.ResultSet results) {
            return tracked(new ResultSetHandle(this, statement, this, results));
        }
        if (value instanceof NClob nclob) {
            return borrowed(nclob);
        }
        if (value instanceof Clob clob) {
            return borrowed(clob);
        }
        if (value instanceof Blob blob) {
            return borrowed(blob);
        }
        if (value instanceof Array array) {
            return borrowed(array);
        }
        if (value instanceof SQLXML xml) {
            return borrowed(xml);
        }
        if (value instanceof Struct struct) {
            return borrowed(struct);
        }
        if (value instanceof java.sql.Ref ref) {
            return borrowed(ref);
        }
        return value;
    }

    /** {@link #borrowed(Object, StatementHandle)} for getObject(..., Class): the driver's value if ours is no T. */
    <T> T borrowed(T value, Class<T> type, StatementHandle statement) {
        Object wrapped = borrowed(value, statement);
        return type.isInstance(wrapped) ? type.cast(wrapped) : value;
    }

    Blob borrowed(Blob value) {
        return value == null ? null : tracked(new BlobHandle(this, value));
    }

    Clob borrowed(Clob value) {
        return value == null ? null : value instanceof NClob nclob ? borrowed(nclob)
                : tracked(new ClobHandle(this, value));
    }

    NClob borrowed(NClob value) {
        return value == null ? null : tracked(new NClobHandle(this, value));
    }

    SQLXML borrowed(SQLXML value) {
        return value == null ? null : tracked(new SQLXMLHandle(this, value));
    }

    Array borrowed(Array value) {
        return value == null ? null : tracked(new ArrayHandle(this, value));
    }

    Struct borrowed(Struct value) {
        return value == null ? null : tracked(new StructHandle(this, value));
    }

    java.sql.Ref borrowed(java.sql.Ref value) {
        return value == null ? null : tracked(new RefHandle(this, value));
    }

    /** Gives a new statement the pool's default query timeout; the application may still change it. */
    private <S extends Statement> S timed(S statement) throws SQLException {
        int seconds = mc.queryTimeoutSeconds();
        if (seconds != 0) {
            try {
                statement.setQueryTimeout(seconds);
            } catch (SQLException e) {
                statement.close();
                throw e;
            }
        }
        return statement;
    }

    /** Needed only where the managed connection's state is read or written before the delegate is called. */
    private void ensureOpen() throws SQLException {
        if (closed()) {
            delegate.isReadOnly(); // the sentinel's own exception, which says why it is closed
        }
    }

    private boolean closed() {
        return delegate == ClosedHandles.CONNECTION || delegate == ClosedHandles.TAKEN_BACK;
    }

    private void changing(int attribute) throws SQLException {
        ensureOpen();
        mc.changing(attribute);
    }

    private void changingClientInfo() throws SQLClientInfoException {
        try {
            changing(BorrowerChanges.CLIENT_INFO);
        } catch (SQLClientInfoException e) {
            throw e;
        } catch (SQLException e) {
            throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), e.getErrorCode(), null, e);
        }
    }

    @Override
    public void close() throws SQLException {
        if (closed()) {
            return;
        }
        int leftOpen = closeChildren();
        delegate = ClosedHandles.CONNECTION;
        mc.handleClosed(this, leftOpen);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        ensureOpen();
        try { mc.setAutoCommit(autoCommit); } catch (SQLException e) { throw fail(e); }
    }

    @Override
    public void commit() throws SQLException {
        ensureOpen();
        try { mc.commit(); } catch (SQLException e) { throw fail(e); }
    }

    @Override
    public void rollback() throws SQLException {
        ensureOpen();
        try { mc.rollback(); } catch (SQLException e) { throw fail(e); }
    }

    /** Aborting kills the physical connection, so the server is told it is broken and will not pool it again. */
    @Override
    public void abort(Executor executor) throws SQLException {
        if (closed()) {
            return;
        }
        closeChildren();
        delegate = ClosedHandles.CONNECTION;
        mc.handleAborted(this, executor);
    }

    /** One metadata handle per connection handle, so repeated calls do not pile up tracked handles. */
    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        DatabaseMetaDataHandle current = metaData;
        if (current != null && current.isOpen()) {
            return current;
        }
        try { return metaData = tracked(new DatabaseMetaDataHandle(this, delegate.getMetaData())); } catch (SQLException e) { throw fail(e); }
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        try { return delegate.unwrap(iface); } catch (SQLException e) { throw fail(e); }
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return true;
        }
        try { return delegate.isWrapperFor(iface); } catch (SQLException e) { throw fail(e); }
    }

    @Override
    public String toString() {
        return "ConnectionHandle@" + Integer.toHexString(System.identityHashCode(this))
                + (closed() ? "[closed]" : "");
    }

    // One-line delegates. Methods above this line do more than delegate.
    @Override public Statement createStatement() throws SQLException { try { return tracked(new StatementHandle(this, timed(delegate.createStatement()))); } catch (SQLException e) { throw fail(e); } }
    @Override public PreparedStatement prepareStatement(String sql) throws SQLException { try { return tracked(cachedOrPrepared(sql)); } catch (SQLException e) { throw fail(e); } }
    @Override public CallableStatement prepareCall(String sql) throws SQLException { try { return tracked(new CallableStatementHandle(this, timed(delegate.prepareCall(sql)))); } catch (SQLException e) { throw fail(e); } }
    @Override public String nativeSQL(String sql) throws SQLException { try { return delegate.nativeSQL(sql); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean getAutoCommit() throws SQLException { try { return delegate.getAutoCommit(); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean isClosed() throws SQLException { try { return delegate.isClosed(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setReadOnly(boolean readOnly) throws SQLException { try { changing(BorrowerChanges.READ_ONLY); delegate.setReadOnly(readOnly); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean isReadOnly() throws SQLException { try { return delegate.isReadOnly(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setCatalog(String catalog) throws SQLException { try { changing(BorrowerChanges.CATALOG); delegate.setCatalog(catalog); } catch (SQLException e) { throw fail(e); } }
    @Override public String getCatalog() throws SQLException { try { return delegate.getCatalog(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setTransactionIsolation(int level) throws SQLException { try { changing(BorrowerChanges.ISOLATION); delegate.setTransactionIsolation(level); } catch (SQLException e) { throw fail(e); } }
    @Override public int getTransactionIsolation() throws SQLException { try { return delegate.getTransactionIsolation(); } catch (SQLException e) { throw fail(e); } }
    @Override public SQLWarning getWarnings() throws SQLException { try { return delegate.getWarnings(); } catch (SQLException e) { throw fail(e); } }
    @Override public void clearWarnings() throws SQLException { try { delegate.clearWarnings(); } catch (SQLException e) { throw fail(e); } }
    @Override public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException { try { return tracked(new StatementHandle(this, timed(delegate.createStatement(resultSetType, resultSetConcurrency)))); } catch (SQLException e) { throw fail(e); } }
    @Override public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency) throws SQLException { try { return tracked(new PreparedStatementHandle(this, timed(delegate.prepareStatement(sql, resultSetType, resultSetConcurrency)))); } catch (SQLException e) { throw fail(e); } }
    @Override public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException { try { return tracked(new CallableStatementHandle(this, timed(delegate.prepareCall(sql, resultSetType, resultSetConcurrency)))); } catch (SQLException e) { throw fail(e); } }
    @Override public java.util.Map<String,Class<?>> getTypeMap() throws SQLException { try { return delegate.getTypeMap(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setTypeMap(java.util.Map<String,Class<?>> map) throws SQLException { try { changing(BorrowerChanges.TYPE_MAP); delegate.setTypeMap(map); } catch (SQLException e) { throw fail(e); } }
    @Override public void setHoldability(int holdability) throws SQLException { try { changing(BorrowerChanges.HOLDABILITY); delegate.setHoldability(holdability); } catch (SQLException e) { throw fail(e); } }
    @Override public int getHoldability() throws SQLException { try { return delegate.getHoldability(); } catch (SQLException e) { throw fail(e); } }
    @Override public Savepoint setSavepoint() throws SQLException { try { return delegate.setSavepoint(); } catch (SQLException e) { throw fail(e); } }
    @Override public Savepoint setSavepoint(String name) throws SQLException { try { return delegate.setSavepoint(name); } catch (SQLException e) { throw fail(e); } }
    @Override public void rollback(Savepoint savepoint) throws SQLException { try { delegate.rollback(savepoint); } catch (SQLException e) { throw fail(e); } }
    @Override public void releaseSavepoint(Savepoint savepoint) throws SQLException { try { delegate.releaseSavepoint(savepoint); } catch (SQLException e) { throw fail(e); } }
    @Override public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException { try { return tracked(new StatementHandle(this, timed(delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability)))); } catch (SQLException e) { throw fail(e); } }
    @Override public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException { try { return tracked(new PreparedStatementHandle(this, timed(delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability)))); } catch (SQLException e) { throw fail(e); } }
    @Override public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException { try { return tracked(new CallableStatementHandle(this, timed(delegate.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability)))); } catch (SQLException e) { throw fail(e); } }
    @Override public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException { try { return tracked(new PreparedStatementHandle(this, timed(delegate.prepareStatement(sql, autoGeneratedKeys)))); } catch (SQLException e) { throw fail(e); } }
    @Override public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException { try { return tracked(new PreparedStatementHandle(this, timed(delegate.prepareStatement(sql, columnIndexes)))); } catch (SQLException e) { throw fail(e); } }
    @Override public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException { try { return tracked(new PreparedStatementHandle(this, timed(delegate.prepareStatement(sql, columnNames)))); } catch (SQLException e) { throw fail(e); } }
    @Override public Clob createClob() throws SQLException { try { return borrowed(delegate.createClob()); } catch (SQLException e) { throw fail(e); } }
    @Override public Blob createBlob() throws SQLException { try { return borrowed(delegate.createBlob()); } catch (SQLException e) { throw fail(e); } }
    @Override public NClob createNClob() throws SQLException { try { return borrowed(delegate.createNClob()); } catch (SQLException e) { throw fail(e); } }
    @Override public SQLXML createSQLXML() throws SQLException { try { return borrowed(delegate.createSQLXML()); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean isValid(int timeout) throws SQLException { try { return delegate.isValid(timeout); } catch (SQLException e) { throw fail(e); } }
    @Override public void setClientInfo(String name, String value) throws SQLClientInfoException { changingClientInfo(); try { delegate.setClientInfo(name, value); } catch (SQLClientInfoException e) { throw fail(e); } }
    @Override public void setClientInfo(Properties properties) throws SQLClientInfoException { changingClientInfo(); try { delegate.setClientInfo(properties); } catch (SQLClientInfoException e) { throw fail(e); } }
    @Override public String getClientInfo(String name) throws SQLException { try { return delegate.getClientInfo(name); } catch (SQLException e) { throw fail(e); } }
    @Override public Properties getClientInfo() throws SQLException { try { return delegate.getClientInfo(); } catch (SQLException e) { throw fail(e); } }
    @Override public Array createArrayOf(String typeName, Object[] elements) throws SQLException { try { return borrowed(delegate.createArrayOf(typeName, BorrowedObject.unwrappedAll(elements))); } catch (SQLException e) { throw fail(e); } }
    @Override public Struct createStruct(String typeName, Object[] attributes) throws SQLException { try { return borrowed(delegate.createStruct(typeName, BorrowedObject.unwrappedAll(attributes))); } catch (SQLException e) { throw fail(e); } }
    @Override public void setSchema(String schema) throws SQLException { try { changing(BorrowerChanges.SCHEMA); delegate.setSchema(schema); } catch (SQLException e) { throw fail(e); } }
    @Override public String getSchema() throws SQLException { try { return delegate.getSchema(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException { try { changing(BorrowerChanges.NETWORK_TIMEOUT); delegate.setNetworkTimeout(executor, milliseconds); } catch (SQLException e) { throw fail(e); } }
    @Override public int getNetworkTimeout() throws SQLException { try { return delegate.getNetworkTimeout(); } catch (SQLException e) { throw fail(e); } }
    @Override public void beginRequest() throws SQLException { try { delegate.beginRequest(); } catch (SQLException e) { throw fail(e); } }
    @Override public void endRequest() throws SQLException { try { delegate.endRequest(); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean setShardingKeyIfValid(ShardingKey shardingKey, ShardingKey superShardingKey, int timeout) throws SQLException { try { return delegate.setShardingKeyIfValid(shardingKey, superShardingKey, timeout); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean setShardingKeyIfValid(ShardingKey shardingKey, int timeout) throws SQLException { try { return delegate.setShardingKeyIfValid(shardingKey, timeout); } catch (SQLException e) { throw fail(e); } }
    @Override public void setShardingKey(ShardingKey shardingKey, ShardingKey superShardingKey) throws SQLException { try { delegate.setShardingKey(shardingKey, superShardingKey); } catch (SQLException e) { throw fail(e); } }
    @Override public void setShardingKey(ShardingKey shardingKey) throws SQLException { try { delegate.setShardingKey(shardingKey); } catch (SQLException e) { throw fail(e); } }
}
