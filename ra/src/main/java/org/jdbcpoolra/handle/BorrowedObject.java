package org.jdbcpoolra.handle;

import java.sql.SQLException;

/**
 * An object the driver handed out that can reach the physical connection or outlive the borrow: a LOB, an XML
 * value, an array, a struct, a ref. It is tracked by the connection handle that gave it out, so when the borrower's
 * connection closes (or the server takes it back) it is closed too and fails with {@link ClosedHandleException}
 * instead of reaching a physical connection that serves someone else now. Handed back to the driver (setBlob,
 * updateObject, ...) it is unwrapped first: drivers expect their own objects.
 *
 * @param <T> the JDBC interface; {@link #delegate} is the driver's object, then the closed sentinel
 */
abstract class BorrowedObject<T> extends TrackedHandle {
    final ConnectionHandle connection;
    private final T closed;
    T delegate;

    BorrowedObject(ConnectionHandle connection, T physical, T closed) {
        this.connection = connection;
        this.delegate = physical;
        this.closed = closed;
    }

    final SQLException fail(SQLException e) {
        return connection.fail(e);
    }

    /** Releases the driver's resources of the object (free()); nothing for types that have none. */
    void release(T physical) throws SQLException {
    }

    @Override
    final void closeByOwner() {
        closeChildren();
        T physical = delegate;
        delegate = closed;
        try {
            release(physical);
        } catch (SQLException | RuntimeException ignored) {
            // The borrow is over: the connection close or reset that follows reports real trouble.
        }
    }

    /** The application's free(): the object ends before the borrow does. */
    final void freeByApplication() throws SQLException {
        T physical = delegate;
        if (physical == closed) {
            return;
        }
        connection.untrack(this);
        closeChildren();
        delegate = closed;
        try { release(physical); } catch (SQLException e) { throw fail(e); }
    }

    /** What the driver gets for a value the application passes in: its own object, never our handle. */
    static Object unwrapped(Object value) {
        return value instanceof BorrowedObject<?> borrowed ? borrowed.delegate : value;
    }

    /** The same for every element of an array of values (createArrayOf, createStruct). */
    static Object[] unwrappedAll(Object[] values) {
        if (values == null) {
            return null;
        }
        Object[] copy = null;
        for (int i = 0; i < values.length; i++) {
            if (values[i] instanceof BorrowedObject<?> borrowed) {
                if (copy == null) {
                    copy = values.clone();
                }
                copy[i] = borrowed.delegate;
            }
        }
        return copy != null ? copy : values;
    }
}
