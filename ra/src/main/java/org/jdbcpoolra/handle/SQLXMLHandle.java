package org.jdbcpoolra.handle;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.sql.SQLException;
import java.sql.SQLXML;

import javax.xml.transform.Result;
import javax.xml.transform.Source;

/** An {@link SQLXML} value handed to the application, valid for its borrow (see {@link BorrowedObject}). */
final class SQLXMLHandle extends BorrowedObject<SQLXML> implements SQLXML {
    SQLXMLHandle(ConnectionHandle connection, SQLXML physical) {
        super(connection, physical, ClosedHandles.XML);
    }

    @Override
    final void release(SQLXML physical) throws SQLException {
        physical.free();
    }

    @Override
    public final void free() throws SQLException {
        freeByApplication();
    }

    // ---- one-line delegates -------------------------------------------------------------------------------------
    @Override public InputStream getBinaryStream() throws SQLException { try { return delegate.getBinaryStream(); } catch (SQLException e) { throw fail(e); } }
    @Override public OutputStream setBinaryStream() throws SQLException { try { return delegate.setBinaryStream(); } catch (SQLException e) { throw fail(e); } }
    @Override public Reader getCharacterStream() throws SQLException { try { return delegate.getCharacterStream(); } catch (SQLException e) { throw fail(e); } }
    @Override public Writer setCharacterStream() throws SQLException { try { return delegate.setCharacterStream(); } catch (SQLException e) { throw fail(e); } }
    @Override public String getString() throws SQLException { try { return delegate.getString(); } catch (SQLException e) { throw fail(e); } }
    @Override public void setString(String value) throws SQLException { try { delegate.setString(value); } catch (SQLException e) { throw fail(e); } }
    @Override public <T extends Source> T getSource(Class<T> sourceClass) throws SQLException { try { return delegate.getSource(sourceClass); } catch (SQLException e) { throw fail(e); } }
    @Override public <T extends Result> T setResult(Class<T> resultClass) throws SQLException { try { return delegate.setResult(resultClass); } catch (SQLException e) { throw fail(e); } }
}
