package org.jdbcpoolra.handle;

import java.sql.SQLException;
import java.sql.Struct;
import java.util.Map;

/** A {@link Struct} handed to the application, valid for its borrow (see {@link BorrowedObject}). */
final class StructHandle extends BorrowedObject<Struct> implements Struct {
    StructHandle(ConnectionHandle connection, Struct physical) {
        super(connection, physical, ClosedHandles.STRUCT);
    }

    // ---- one-line delegates -------------------------------------------------------------------------------------
    @Override public String getSQLTypeName() throws SQLException { try { return delegate.getSQLTypeName(); } catch (SQLException e) { throw fail(e); } }
    @Override public Object[] getAttributes() throws SQLException { try { return delegate.getAttributes(); } catch (SQLException e) { throw fail(e); } }
    @Override public Object[] getAttributes(Map<String, Class<?>> map) throws SQLException { try { return delegate.getAttributes(map); } catch (SQLException e) { throw fail(e); } }
}
