package org.jdbcpoolra.handle;

import java.sql.Ref;
import java.sql.SQLException;
import java.util.Map;

/** A {@link Ref} handed to the application, valid for its borrow (see {@link BorrowedObject}). */
final class RefHandle extends BorrowedObject<Ref> implements Ref {
    RefHandle(ConnectionHandle connection, Ref physical) {
        super(connection, physical, ClosedHandles.REF);
    }

    // ---- one-line delegates -------------------------------------------------------------------------------------
    @Override public String getBaseTypeName() throws SQLException { try { return delegate.getBaseTypeName(); } catch (SQLException e) { throw fail(e); } }
    @Override public Object getObject(Map<String, Class<?>> map) throws SQLException { try { return connection.borrowed(delegate.getObject(map), null); } catch (SQLException e) { throw fail(e); } }
    @Override public Object getObject() throws SQLException { try { return connection.borrowed(delegate.getObject(), null); } catch (SQLException e) { throw fail(e); } }
    @Override public void setObject(Object value) throws SQLException { try { delegate.setObject(unwrapped(value)); } catch (SQLException e) { throw fail(e); } }
}
