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
import java.sql.PreparedStatement;
import java.sql.Statement;

/** A {@link PreparedStatement} handed to the application; see {@link StatementHandle}. */
public class PreparedStatementHandle extends StatementHandle implements PreparedStatement {
    private PreparedStatement prepared;
    /** The statement cache's entry when the physical statement is kept for the next borrower, else null. */
    private final StatementCache.Entry cached;

    PreparedStatementHandle(ConnectionHandle connection, PreparedStatement physical) {
        this(connection, physical, null);
    }

    PreparedStatementHandle(ConnectionHandle connection, PreparedStatement physical, StatementCache.Entry cached) {
        super(connection, physical);
        this.prepared = physical;
        this.cached = cached;
    }

    /** A cached statement goes back to its cache clean (parameters, batch, what the borrower set), or is dropped. */
    @Override
    void release(Statement physical) throws SQLException {
        if (cached == null) {
            physical.close();
            return;
        }
        if ((changed & IRREVERSIBLE) != 0) {
            cached.discard();
            return;
        }
        try {
            PreparedStatement statement = cached.statement();
            statement.clearParameters();
            resetChanged(statement);
        } catch (SQLException e) {
            // Not kept, and not the borrower's failure: only a broken connection is worth reporting.
            cached.discard();
            fail(e);
            return;
        }
        cached.release();
    }

    @Override
    void markClosed() {
        super.markClosed();
        prepared = ClosedHandles.STATEMENT;
    }

    // One-line delegates.
    @Override public ResultSet executeQuery() throws SQLException { try { closeChildren(); return results(prepared.executeQuery()); } catch (SQLException e) { throw fail(e); } }
    @Override public int executeUpdate() throws SQLException { try { closeChildren(); return prepared.executeUpdate(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setNull(int parameterIndex, int sqlType) throws SQLException { try { prepared.setNull(parameterIndex, sqlType); } catch (SQLException e) { throw fail(e); } }
    @Override public void setBoolean(int parameterIndex, boolean x) throws SQLException { try { prepared.setBoolean(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setByte(int parameterIndex, byte x) throws SQLException { try { prepared.setByte(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setShort(int parameterIndex, short x) throws SQLException { try { prepared.setShort(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setInt(int parameterIndex, int x) throws SQLException { try { prepared.setInt(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setLong(int parameterIndex, long x) throws SQLException { try { prepared.setLong(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setFloat(int parameterIndex, float x) throws SQLException { try { prepared.setFloat(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setDouble(int parameterIndex, double x) throws SQLException { try { prepared.setDouble(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException { try { prepared.setBigDecimal(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setString(int parameterIndex, String x) throws SQLException { try { prepared.setString(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setBytes(int parameterIndex, byte[] x) throws SQLException { try { prepared.setBytes(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setDate(int parameterIndex, java.sql.Date x) throws SQLException { try { prepared.setDate(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setTime(int parameterIndex, java.sql.Time x) throws SQLException { try { prepared.setTime(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setTimestamp(int parameterIndex, java.sql.Timestamp x) throws SQLException { try { prepared.setTimestamp(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setAsciiStream(int parameterIndex, java.io.InputStream x, int length) throws SQLException { try { prepared.setAsciiStream(parameterIndex, x, length); } catch (SQLException e) { throw fail(e); } }
    @Override public void setUnicodeStream(int parameterIndex, java.io.InputStream x, int length) throws SQLException { try { prepared.setUnicodeStream(parameterIndex, x, length); } catch (SQLException e) { throw fail(e); } }
    @Override public void setBinaryStream(int parameterIndex, java.io.InputStream x, int length) throws SQLException { try { prepared.setBinaryStream(parameterIndex, x, length); } catch (SQLException e) { throw fail(e); } }
    @Override public void clearParameters() throws SQLException { try { prepared.clearParameters(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException { try { prepared.setObject(parameterIndex, BorrowedObject.unwrapped(x), targetSqlType); } catch (SQLException e) { throw fail(e); } }
    @Override public void setObject(int parameterIndex, Object x) throws SQLException { try { prepared.setObject(parameterIndex, BorrowedObject.unwrapped(x)); } catch (SQLException e) { throw fail(e); } }
    @Override public boolean execute() throws SQLException { try { closeChildren(); return prepared.execute(); } catch (SQLException e) { throw fail(e); } }
    @Override public void addBatch() throws SQLException { try { changed |= BATCH; prepared.addBatch(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setCharacterStream(int parameterIndex, java.io.Reader reader, int length) throws SQLException { try { prepared.setCharacterStream(parameterIndex, reader, length); } catch (SQLException e) { throw fail(e); } }
    @Override public void setRef(int parameterIndex, Ref x) throws SQLException { try { prepared.setRef(parameterIndex, (Ref) BorrowedObject.unwrapped(x)); } catch (SQLException e) { throw fail(e); } }
    @Override public void setBlob(int parameterIndex, Blob x) throws SQLException { try { prepared.setBlob(parameterIndex, (Blob) BorrowedObject.unwrapped(x)); } catch (SQLException e) { throw fail(e); } }
    @Override public void setClob(int parameterIndex, Clob x) throws SQLException { try { prepared.setClob(parameterIndex, (Clob) BorrowedObject.unwrapped(x)); } catch (SQLException e) { throw fail(e); } }
    @Override public void setArray(int parameterIndex, Array x) throws SQLException { try { prepared.setArray(parameterIndex, (Array) BorrowedObject.unwrapped(x)); } catch (SQLException e) { throw fail(e); } }
    @Override public ResultSetMetaData getMetaData() throws SQLException { try { return prepared.getMetaData(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setDate(int parameterIndex, java.sql.Date x, Calendar cal) throws SQLException { try { prepared.setDate(parameterIndex, x, cal); } catch (SQLException e) { throw fail(e); } }
    @Override public void setTime(int parameterIndex, java.sql.Time x, Calendar cal) throws SQLException { try { prepared.setTime(parameterIndex, x, cal); } catch (SQLException e) { throw fail(e); } }
    @Override public void setTimestamp(int parameterIndex, java.sql.Timestamp x, Calendar cal) throws SQLException { try { prepared.setTimestamp(parameterIndex, x, cal); } catch (SQLException e) { throw fail(e); } }
    @Override public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException { try { prepared.setNull(parameterIndex, sqlType, typeName); } catch (SQLException e) { throw fail(e); } }
    @Override public void setURL(int parameterIndex, java.net.URL x) throws SQLException { try { prepared.setURL(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public ParameterMetaData getParameterMetaData() throws SQLException { try { return prepared.getParameterMetaData(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setRowId(int parameterIndex, RowId x) throws SQLException { try { prepared.setRowId(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setNString(int parameterIndex, String value) throws SQLException { try { prepared.setNString(parameterIndex, value); } catch (SQLException e) { throw fail(e); } }
    @Override public void setNCharacterStream(int parameterIndex, Reader value, long length) throws SQLException { try { prepared.setNCharacterStream(parameterIndex, value, length); } catch (SQLException e) { throw fail(e); } }
    @Override public void setNClob(int parameterIndex, NClob value) throws SQLException { try { prepared.setNClob(parameterIndex, (NClob) BorrowedObject.unwrapped(value)); } catch (SQLException e) { throw fail(e); } }
    @Override public void setClob(int parameterIndex, Reader reader, long length) throws SQLException { try { prepared.setClob(parameterIndex, reader, length); } catch (SQLException e) { throw fail(e); } }
    @Override public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException { try { prepared.setBlob(parameterIndex, inputStream, length); } catch (SQLException e) { throw fail(e); } }
    @Override public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException { try { prepared.setNClob(parameterIndex, reader, length); } catch (SQLException e) { throw fail(e); } }
    @Override public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException { try { prepared.setSQLXML(parameterIndex, (SQLXML) BorrowedObject.unwrapped(xmlObject)); } catch (SQLException e) { throw fail(e); } }
    @Override public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException { try { prepared.setObject(parameterIndex, BorrowedObject.unwrapped(x), targetSqlType, scaleOrLength); } catch (SQLException e) { throw fail(e); } }
    @Override public void setAsciiStream(int parameterIndex, java.io.InputStream x, long length) throws SQLException { try { prepared.setAsciiStream(parameterIndex, x, length); } catch (SQLException e) { throw fail(e); } }
    @Override public void setBinaryStream(int parameterIndex, java.io.InputStream x, long length) throws SQLException { try { prepared.setBinaryStream(parameterIndex, x, length); } catch (SQLException e) { throw fail(e); } }
    @Override public void setCharacterStream(int parameterIndex, java.io.Reader reader, long length) throws SQLException { try { prepared.setCharacterStream(parameterIndex, reader, length); } catch (SQLException e) { throw fail(e); } }
    @Override public void setAsciiStream(int parameterIndex, java.io.InputStream x) throws SQLException { try { prepared.setAsciiStream(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setBinaryStream(int parameterIndex, java.io.InputStream x) throws SQLException { try { prepared.setBinaryStream(parameterIndex, x); } catch (SQLException e) { throw fail(e); } }
    @Override public void setCharacterStream(int parameterIndex, java.io.Reader reader) throws SQLException { try { prepared.setCharacterStream(parameterIndex, reader); } catch (SQLException e) { throw fail(e); } }
    @Override public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException { try { prepared.setNCharacterStream(parameterIndex, value); } catch (SQLException e) { throw fail(e); } }
    @Override public void setClob(int parameterIndex, Reader reader) throws SQLException { try { prepared.setClob(parameterIndex, reader); } catch (SQLException e) { throw fail(e); } }
    @Override public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException { try { prepared.setBlob(parameterIndex, inputStream); } catch (SQLException e) { throw fail(e); } }
    @Override public void setNClob(int parameterIndex, Reader reader) throws SQLException { try { prepared.setNClob(parameterIndex, reader); } catch (SQLException e) { throw fail(e); } }
    @Override public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException { try { prepared.setObject(parameterIndex, BorrowedObject.unwrapped(x), targetSqlType, scaleOrLength); } catch (SQLException e) { throw fail(e); } }
    @Override public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException { try { prepared.setObject(parameterIndex, BorrowedObject.unwrapped(x), targetSqlType); } catch (SQLException e) { throw fail(e); } }
    @Override public long executeLargeUpdate() throws SQLException { try { closeChildren(); return prepared.executeLargeUpdate(); } catch (SQLException e) { throw fail(e); } }
}
