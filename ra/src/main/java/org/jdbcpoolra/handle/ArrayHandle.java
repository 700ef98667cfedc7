package org.jdbcpoolra.handle;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

/**
 * An {@link Array} handed to the application, valid for its borrow (see {@link BorrowedObject}). Its result sets
 * are our handles too, closed with it; their {@code getStatement()} is null, as for metadata result sets.
 */
final class ArrayHandle extends BorrowedObject<Array> implements Array {
    ArrayHandle(ConnectionHandle connection, Array physical) {
        super(connection, physical, ClosedHandles.ARRAY);
    }

    @Override
    final void release(Array physical) throws SQLException {
        physical.free();
    }

    @Override
    public final void free() throws SQLException {
        freeByApplication();
    }

    private ResultSet results(ResultSet physical) {
        return handOut(physical, null, connection);
    }

    // ---- one-line delegates -------------------------------------------------------------------------------------
    @Override public String getBaseTypeName() throws SQLException { try { return delegate.getBaseTypeName(); } catch (SQLException e) { throw fail(e); } }
    @Override public int getBaseType() throws SQLException { try { return delegate.getBaseType(); } catch (SQLException e) { throw fail(e); } }
    @Override public Object getArray() throws SQLException { try { return delegate.getArray(); } catch (SQLException e) { throw fail(e); } }
    @Override public Object getArray(Map<String, Class<?>> map) throws SQLException { try { return delegate.getArray(map); } catch (SQLException e) { throw fail(e); } }
    @Override public Object getArray(long index, int count) throws SQLException { try { return delegate.getArray(index, count); } catch (SQLException e) { throw fail(e); } }
    @Override public Object getArray(long index, int count, Map<String, Class<?>> map) throws SQLException { try { return delegate.getArray(index, count, map); } catch (SQLException e) { throw fail(e); } }
    @Override public ResultSet getResultSet() throws SQLException { try { return results(delegate.getResultSet()); } catch (SQLException e) { throw fail(e); } }
    @Override public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException { try { return results(delegate.getResultSet(map)); } catch (SQLException e) { throw fail(e); } }
    @Override public ResultSet getResultSet(long index, int count) throws SQLException { try { return results(delegate.getResultSet(index, count)); } catch (SQLException e) { throw fail(e); } }
    @Override public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) throws SQLException { try { return results(delegate.getResultSet(index, count, map)); } catch (SQLException e) { throw fail(e); } }
}
