package org.jdbcpoolra.handle;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.SQLXML;
import java.sql.Struct;

/**
 * The delegates a handle points at once it is closed: every call fails with {@link ClosedHandleException}, except
 * {@code close()} (a no-op), {@code isClosed()} (true) and {@code Connection.isValid} (false). Swapping the delegate
 * for a sentinel means no handle method needs a null or closed check, and a stale handle can never reach a
 * physical connection that now serves another borrower. Reflection proxies are fine here: only misuse gets here.
 */
final class ClosedHandles {
    static final Connection CONNECTION = sentinel(Connection.class, "Connection handle");
    /** A handle the server closed under its borrower says so: otherwise the borrower blames its own code. */
    static final Connection TAKEN_BACK = sentinel(Connection.class, "Connection handle (taken back by the server "
            + "while still borrowed: its transaction ended or timed out, or the connection was destroyed)");
    /** Serves statements of every kind: CallableStatement extends PreparedStatement extends Statement. */
    static final CallableStatement STATEMENT = sentinel(CallableStatement.class, "Statement");
    static final ResultSet RESULT_SET = sentinel(ResultSet.class, "ResultSet");
    static final DatabaseMetaData META_DATA = sentinel(DatabaseMetaData.class,
            "DatabaseMetaData of a closed connection");
    /** What a borrower got from the driver and kept past its borrow (BorrowedObject). */
    static final Blob BLOB = sentinel(Blob.class, "Blob of an ended borrow");
    /** Serves Clob and NClob handles alike: NClob extends Clob. */
    static final NClob NCLOB = sentinel(NClob.class, "Clob of an ended borrow");
    static final SQLXML XML = sentinel(SQLXML.class, "SQLXML of an ended borrow");
    static final Array ARRAY = sentinel(Array.class, "Array of an ended borrow");
    static final Struct STRUCT = sentinel(Struct.class, "Struct of an ended borrow");
    static final Ref REF = sentinel(Ref.class, "Ref of an ended borrow");

    private ClosedHandles() {
    }

    /** A few JDBC methods (e.g. getDriverMajorVersion) cannot throw SQLException: they get an unchecked one. */
    private static Exception closed(Method method, String what) {
        ClosedHandleException closed = new ClosedHandleException(what);
        for (Class<?> declared : method.getExceptionTypes()) {
            if (declared.isAssignableFrom(ClosedHandleException.class)) {
                return closed;
            }
        }
        return new IllegalStateException(closed.getMessage(), closed);
    }

    private static <T> T sentinel(Class<T> type, String what) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "close", "free" -> null;
            case "isClosed" -> Boolean.TRUE;
            case "isValid" -> Boolean.FALSE;
            case "toString" -> "closed " + what;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> throw closed(method, what);
        };
        return type.cast(Proxy.newProxyInstance(ClosedHandles.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
