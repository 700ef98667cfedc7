package org.jdbcpoolra.handle;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.sql.Clob;
import java.sql.SQLException;

/**
 * A {@link Clob} handed to the application, valid for its borrow (see {@link BorrowedObject}); {@link NClobHandle}
 * is the same for an NClob, which adds no methods.
 */
class ClobHandle extends BorrowedObject<Clob> implements Clob {
    ClobHandle(ConnectionHandle connection, Clob physical) {
        super(connection, physical, ClosedHandles.NCLOB);
    }

    @Override
    final void release(Clob physical) throws SQLException {
        physical.free();
    }

    @Override
    public final void free() throws SQLException {
        freeByApplication();
    }

    // ---- one-line delegates -------------------------------------------------------------------------------------
    @Override public final long length() throws SQLException { try { return delegate.length(); } catch (SQLException e) { throw fail(e); } }
    @Override public final String getSubString(long pos, int length) throws SQLException { try { return delegate.getSubString(pos, length); } catch (SQLException e) { throw fail(e); } }
    @Override public final Reader getCharacterStream() throws SQLException { try { return delegate.getCharacterStream(); } catch (SQLException e) { throw fail(e); } }
    @Override public final InputStream getAsciiStream() throws SQLException { try { return delegate.getAsciiStream(); } catch (SQLException e) { throw fail(e); } }
    @Override public final long position(String searchstr, long start) throws SQLException { try { return delegate.position(searchstr, start); } catch (SQLException e) { throw fail(e); } }
    @Override public final long position(Clob searchstr, long start) throws SQLException { try { return delegate.position((Clob) unwrapped(searchstr), start); } catch (SQLException e) { throw fail(e); } }
    @Override public final int setString(long pos, String str) throws SQLException { try { return delegate.setString(pos, str); } catch (SQLException e) { throw fail(e); } }
    @Override public final int setString(long pos, String str, int offset, int len) throws SQLException { try { return delegate.setString(pos, str, offset, len); } catch (SQLException e) { throw fail(e); } }
    @Override public final OutputStream setAsciiStream(long pos) throws SQLException { try { return delegate.setAsciiStream(pos); } catch (SQLException e) { throw fail(e); } }
    @Override public final Writer setCharacterStream(long pos) throws SQLException { try { return delegate.setCharacterStream(pos); } catch (SQLException e) { throw fail(e); } }
    @Override public final void truncate(long len) throws SQLException { try { delegate.truncate(len); } catch (SQLException e) { throw fail(e); } }
    @Override public final Reader getCharacterStream(long pos, long length) throws SQLException { try { return delegate.getCharacterStream(pos, length); } catch (SQLException e) { throw fail(e); } }
}
