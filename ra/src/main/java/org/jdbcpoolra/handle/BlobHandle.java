package org.jdbcpoolra.handle;

import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Blob;
import java.sql.SQLException;

/** A {@link Blob} handed to the application, valid for its borrow (see {@link BorrowedObject}). */
final class BlobHandle extends BorrowedObject<Blob> implements Blob {
    BlobHandle(ConnectionHandle connection, Blob physical) {
        super(connection, physical, ClosedHandles.BLOB);
    }

    @Override
    final void release(Blob physical) throws SQLException {
        physical.free();
    }

    @Override
    public final void free() throws SQLException {
        freeByApplication();
    }

    // ---- one-line delegates -------------------------------------------------------------------------------------
    @Override public long length() throws SQLException { try { return delegate.length(); } catch (SQLException e) { throw fail(e); } }
    @Override public byte[] getBytes(long pos, int length) throws SQLException { try { return delegate.getBytes(pos, length); } catch (SQLException e) { throw fail(e); } }
    @Override public InputStream getBinaryStream() throws SQLException { try { return delegate.getBinaryStream(); } catch (SQLException e) { throw fail(e); } }
    @Override public long position(byte[] pattern, long start) throws SQLException { try { return delegate.position(pattern, start); } catch (SQLException e) { throw fail(e); } }
    @Override public long position(Blob pattern, long start) throws SQLException { try { return delegate.position((Blob) unwrapped(pattern), start); } catch (SQLException e) { throw fail(e); } }
    @Override public int setBytes(long pos, byte[] bytes) throws SQLException { try { return delegate.setBytes(pos, bytes); } catch (SQLException e) { throw fail(e); } }
    @Override public int setBytes(long pos, byte[] bytes, int offset, int len) throws SQLException { try { return delegate.setBytes(pos, bytes, offset, len); } catch (SQLException e) { throw fail(e); } }
    @Override public OutputStream setBinaryStream(long pos) throws SQLException { try { return delegate.setBinaryStream(pos); } catch (SQLException e) { throw fail(e); } }
    @Override public void truncate(long len) throws SQLException { try { delegate.truncate(len); } catch (SQLException e) { throw fail(e); } }
    @Override public InputStream getBinaryStream(long pos, long length) throws SQLException { try { return delegate.getBinaryStream(pos, length); } catch (SQLException e) { throw fail(e); } }
}
