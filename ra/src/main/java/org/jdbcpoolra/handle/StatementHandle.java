package org.jdbcpoolra.handle;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;
import java.sql.Statement;

/**
 * A {@link Statement} handed to the application. {@code getConnection()} returns the connection handle, result sets
 * come wrapped, and the statement closes with its connection handle even if the borrower forgot it. Every
 * {@code execute*} closes the statement's open result sets first, as JDBC prescribes, which also keeps a statement
 * that is executed many times from accumulating result set handles.
 */
public class StatementHandle extends TrackedHandle implements Statement {
    // Settings a borrower changed, so that a statement kept for the next borrower resets only those.
    static final int MAX_ROWS = 1;
    static final int FETCH_SIZE = 1 << 1;
    static final int QUERY_TIMEOUT = 1 << 2;
    static final int MAX_FIELD_SIZE = 1 << 3;
    static final int FETCH_DIRECTION = 1 << 4;
    static final int ESCAPE_PROCESSING = 1 << 5;
    static final int POOLABLE = 1 << 6;
    static final int BATCH = 1 << 7;
    /** Changes JDBC offers no way back from: such a statement is closed, never kept. */
    static final int IRREVERSIBLE = 1 << 8;

    final ConnectionHandle connection;
    private Statement delegate;
    int changed;

    StatementHandle(ConnectionHandle connection, Statement physical) {
        this.connection = connection;
        this.delegate = physical;
    }

    final SQLException fail(SQLException e) {
        return connection.fail(e);
    }

    /** Subclasses swap their typed delegates for the sentinel too. */
    void markClosed() {
        delegate = ClosedHandles.STATEMENT;
    }

    final ResultSet results(ResultSet physical) {
        return handOut(physical, this, connection);
    }

    @Override
    final void closeByOwner() {
        closeChildren();
        Statement physical = delegate;
        markClosed();
        try {
            release(physical);
        } catch (SQLException | RuntimeException ignored) {
            // The owner is closing: the physical connection close or reset that follows reports real trouble.
        }
    }

    @Override
    public final void close() throws SQLException {
        Statement physical = delegate;
        if (physical == ClosedHandles.STATEMENT) {
            return;
        }
        connection.untrack(this);
        closeChildren();
        markClosed();
        try { release(physical); } catch (SQLException e) { throw fail(e); }
    }

    /** What becomes of the physical statement when its handle closes: closed, unless a subclass keeps it. */
    void release(Statement physical) throws SQLException {
        physical.close();
    }

    /** Puts back what the borrower changed (and clears warnings) on a statement that will serve again. */
    final void resetChanged(Statement physical) throws SQLException {
        int c = changed;
        if (c != 0) {
            if ((c & MAX_ROWS) != 0) { physical.setMaxRows(0); }
            if ((c & FETCH_SIZE) != 0) { physical.setFetchSize(0); }
            if ((c & QUERY_TIMEOUT) != 0) { physical.setQueryTimeout(connection.defaultQueryTimeout()); }
            if ((c & MAX_FIELD_SIZE) != 0) { physical.setMaxFieldSize(0); }
            if ((c & FETCH_DIRECTION) != 0) { physical.setFetchDirection(ResultSet.FETCH_FORWARD); }
            if ((c & ESCAPE_PROCESSING) != 0) { physical.setEscapeProcessing(true); }
            if ((c & POOLABLE) != 0) { physical.setPoolable(true); }
            if ((c & BATCH) != 0) { physical.clearBatch(); }
        }
        physical.clearWarnings();
    }

    @Override
    public final Connection getConnection() throws SQLException {
        if (delegate == ClosedHandles.STATEMENT) {
            throw new ClosedHandleException("Statement");
        }
        return connection;
    }

    @Override
    public final <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        try { return delegate.unwrap(iface); } catch (SQLException e) { throw fail(e); }
    }

    @Override
    public final boolean isWrapperFor(Class<?> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return true;
        }
        try { return delegate.isWrapperFor(iface); } catch (SQLException e) { throw fail(e); }
    }

    // One-line delegates.
    @Override public ResultSet executeQuery(String sql) throws SQLException { try { closeChildren(); return results(delegate.executeQuery(sql)); } catch (SQLException e) { throw fail(e); } }
    @Override public int executeUpdate(String sql) throws SQLException { try { closeChildren(); return delegate.executeUpdate(sql); } catch (SQLException e) { throw fail(e); } }
    @Override public int getMaxFieldSize() throws SQLException { try { return delegate.getMaxFieldSize(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setMaxFieldSize(int max) throws SQLException { try { changed |= MAX_FIELD_SIZE; delegate.setMaxFieldSize(max); } catch (SQLException e) { throw fail(e); } }
    @Override public int getMaxRows() throws SQLException { try { return delegate.getMaxRows(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setMaxRows(int max) throws SQLException { try { changed |= MAX_ROWS; delegate.setMaxRows(max); } catch (SQLException e) { throw fail(e); } }
    @Override public void setEscapeProcessing(boolean enable) throws SQLException { try { changed |= ESCAPE_PROCESSING; delegate.setEscapeProcessing(enable); } catch (SQLException e) { throw fail(e); } }
    @Override public int getQueryTimeout() throws SQLException { try { return delegate.getQueryTimeout(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setQueryTimeout(int seconds) throws SQLException { try { changed |= QUERY_TIMEOUT; delegate.setQueryTimeout(seconds); } catch (SQLException e) { throw fail(e); } }
    @Override public void cancel() throws SQLException { try { delegate.cancel(); } catch (SQLException e) { throw fail(e); } }
    @Override public SQLWarning getWarnings() throws SQLException { try { return delegate.getWarnings(); } catch (SQLException e) { throw fail(e); } }
    @Override public void clearWarnings() throws SQLException { try { delegate.clearWarnings(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setCursorName(String name) throws SQLException { try { changed |= IRREVERSIBLE; delegate.setCursorName(name); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean execute(String sql) throws SQLException { try { closeChildren(); return delegate.execute(sql); } catch (SQLException e) { throw fail(e); } }
    @Override public ResultSet getResultSet() throws SQLException { try { return results(delegate.getResultSet()); } catch (SQLException e) { throw fail(e); } }
    @Override public int getUpdateCount() throws SQLException { try { return delegate.getUpdateCount(); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean getMoreResults() throws SQLException { try { return delegate.getMoreResults(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setFetchDirection(int direction) throws SQLException { try { changed |= FETCH_DIRECTION; delegate.setFetchDirection(direction); } catch (SQLException e) { throw fail(e); } }
    @Override public int getFetchDirection() throws SQLException { try { return delegate.getFetchDirection(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setFetchSize(int rows) throws SQLException { try { changed |= FETCH_SIZE; delegate.setFetchSize(rows); } catch (SQLException e) { throw fail(e); } }
    @Override public int getFetchSize() throws SQLException { try { return delegate.getFetchSize(); } catch (SQLException e) { throw fail(e); } }
    @Override public int getResultSetConcurrency() throws SQLException { try { return delegate.getResultSetConcurrency(); } catch (SQLException e) { throw fail(e); } }
    @Override public int getResultSetType() throws SQLException { try { return delegate.getResultSetType(); } catch (SQLException e) { throw fail(e); } }
    @Override public void addBatch(String sql) throws SQLException { try { changed |= BATCH; delegate.addBatch(sql); } catch (SQLException e) { throw fail(e); } }
    @Override public void clearBatch() throws SQLException { try { delegate.clearBatch(); } catch (SQLException e) { throw fail(e); } }
    @Override public int[] executeBatch() throws SQLException { try { closeChildren(); return delegate.executeBatch(); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean getMoreResults(int current) throws SQLException { try { return delegate.getMoreResults(current); } catch (SQLException e) { throw fail(e); } }
    @Override public ResultSet getGeneratedKeys() throws SQLException { try { return results(delegate.getGeneratedKeys()); } catch (SQLException e) { throw fail(e); } }
    @Override public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException { try { closeChildren(); return delegate.executeUpdate(sql, autoGeneratedKeys); } catch (SQLException e) { throw fail(e); } }
    @Override public int executeUpdate(String sql, int[] columnIndexes) throws SQLException { try { closeChildren(); return delegate.executeUpdate(sql, columnIndexes); } catch (SQLException e) { throw fail(e); } }
    @Override public int executeUpdate(String sql, String[] columnNames) throws SQLException { try { closeChildren(); return delegate.executeUpdate(sql, columnNames); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean execute(String sql, int autoGeneratedKeys) throws SQLException { try { closeChildren(); return delegate.execute(sql, autoGeneratedKeys); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean execute(String sql, int[] columnIndexes) throws SQLException { try { closeChildren(); return delegate.execute(sql, columnIndexes); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean execute(String sql, String[] columnNames) throws SQLException { try { closeChildren(); return delegate.execute(sql, columnNames); } catch (SQLException e) { throw fail(e); } }
    @Override public int getResultSetHoldability() throws SQLException { try { return delegate.getResultSetHoldability(); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean isClosed() throws SQLException { try { return delegate.isClosed(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setPoolable(boolean poolable) throws SQLException { try { changed |= POOLABLE; delegate.setPoolable(poolable); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean isPoolable() throws SQLException { try { return delegate.isPoolable(); } catch (SQLException e) { throw fail(e); } }
    @Override public void closeOnCompletion() throws SQLException { try { changed |= IRREVERSIBLE; delegate.closeOnCompletion(); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean isCloseOnCompletion() throws SQLException { try { return delegate.isCloseOnCompletion(); } catch (SQLException e) { throw fail(e); } }
    @Override public long getLargeUpdateCount() throws SQLException { try { return delegate.getLargeUpdateCount(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setLargeMaxRows(long max) throws SQLException { try { changed |= MAX_ROWS; delegate.setLargeMaxRows(max); } catch (SQLException e) { throw fail(e); } }
    @Override public long getLargeMaxRows() throws SQLException { try { return delegate.getLargeMaxRows(); } catch (SQLException e) { throw fail(e); } }
    @Override public long[] executeLargeBatch() throws SQLException { try { closeChildren(); return delegate.executeLargeBatch(); } catch (SQLException e) { throw fail(e); } }
    @Override public long executeLargeUpdate(String sql) throws SQLException { try { closeChildren(); return delegate.executeLargeUpdate(sql); } catch (SQLException e) { throw fail(e); } }
    @Override public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException { try { closeChildren(); return delegate.executeLargeUpdate(sql, autoGeneratedKeys); } catch (SQLException e) { throw fail(e); } }
    @Override public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException { try { closeChildren(); return delegate.executeLargeUpdate(sql, columnIndexes); } catch (SQLException e) { throw fail(e); } }
    @Override public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException { try { closeChildren(); return delegate.executeLargeUpdate(sql, columnNames); } catch (SQLException e) { throw fail(e); } }
    @Override public String enquoteLiteral(String val) throws SQLException { try { return delegate.enquoteLiteral(val); } catch (SQLException e) { throw fail(e); } }
    @Override public String enquoteIdentifier(String identifier, boolean alwaysQuote) throws SQLException { try { return delegate.enquoteIdentifier(identifier, alwaysQuote); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean isSimpleIdentifier(String identifier) throws SQLException { try { return delegate.isSimpleIdentifier(identifier); } catch (SQLException e) { throw fail(e); } }
    @Override public String enquoteNCharLiteral(String val) throws SQLException { try { return delegate.enquoteNCharLiteral(val); } catch (SQLException e) { throw fail(e); } }
}
