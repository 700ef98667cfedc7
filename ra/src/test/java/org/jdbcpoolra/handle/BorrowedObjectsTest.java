package org.jdbcpoolra.handle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Struct;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.resource.spi.ManagedConnection;

import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the driver hands out beyond statements and result sets (LOBs, arrays, ...) lives only as long as the borrow:
 * once the connection handle closes, or the server takes the connection back, using it fails with SQLState 08003
 * and never reaches the physical connection, which may serve another borrower by then.
 */
@DisplayName("LOBs and arrays a borrower got")
class BorrowedObjectsTest {
    private TestDatabase db;
    private ManagedConnection mc;
    private Connection connection;

    enum BorrowEnd { HANDLE_CLOSED, SERVER_CLEANUP }

    @BeforeEach
    void borrow() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE doc(id INT PRIMARY KEY, body BLOB, text CLOB, tags INT ARRAY)");
        db.execute("INSERT INTO doc VALUES (1, X'0102', 'hello', ARRAY[1, 2, 3])");
        mc = db.factory().createManagedConnection(null, null);
        connection = (Connection) mc.getConnection(null, null);
    }

    @AfterEach
    void giveBack() throws Exception {
        mc.destroy();
        db.close();
    }

    private void end(BorrowEnd how) throws Exception {
        switch (how) {
            case HANDLE_CLOSED -> connection.close();
            case SERVER_CLEANUP -> mc.cleanup();
            default -> throw new IllegalArgumentException(how.name());
        }
    }

    private ResultSet row() throws SQLException {
        ResultSet rs = connection.createStatement().executeQuery("SELECT body, text, tags FROM doc WHERE id = 1");
        assertTrue(rs.next());
        return rs;
    }

    @ParameterizedTest
    @EnumSource(BorrowEnd.class)
    @DisplayName("a Blob, a Clob and an Array serve during the borrow and fail with 08003 after it")
    void lobsAndArraysEndWithTheBorrow(BorrowEnd how) throws Exception {
        ResultSet rs = row();
        Blob blob = rs.getBlob(1);
        Clob clob = (Clob) rs.getObject(2);
        Array array = rs.getArray(3);
        assertArrayEquals(new byte[] {1, 2}, blob.getBytes(1, 2));
        assertEquals("hello", clob.getSubString(1, 5));
        assertArrayEquals(new Object[] {1, 2, 3}, (Object[]) array.getArray());

        end(how);

        for (Executable use : List.<Executable>of(() -> blob.getBytes(1, 2), clob::length, array::getArray,
                array::getResultSet)) {
            SQLException e = assertThrows(SQLException.class, use);
            assertEquals("08003", e.getSQLState(), e.getMessage());
            assertInstanceOf(ClosedHandleException.class, e);
        }
        blob.free();
    }

    /**
     * Every kind the driver can hand out, over a fake that counts what reaches it: once the borrow is over, each
     * method of each (but free, a no-op) fails with 08003 and none reaches the fake.
     */
    @ParameterizedTest
    @EnumSource(BorrowEnd.class)
    @DisplayName("every method of a Blob, Clob, NClob, SQLXML, Array, Struct and Ref fails with 08003 after the "
            + "borrow, and none reaches the driver's object")
    void everyBorrowedKindIsSealedAfterTheBorrow(BorrowEnd how) throws Exception {
        ConnectionHandle handle = (ConnectionHandle) connection;
        java.util.concurrent.atomic.AtomicInteger reached = new java.util.concurrent.atomic.AtomicInteger();
        Map<Class<?>, Object> borrowed = new LinkedHashMap<>();
        borrowed.put(Blob.class, handle.borrowed(fake(Blob.class, reached)));
        borrowed.put(Clob.class, handle.borrowed(fake(Clob.class, reached)));
        borrowed.put(NClob.class, handle.borrowed(fake(NClob.class, reached)));
        borrowed.put(SQLXML.class, handle.borrowed(fake(SQLXML.class, reached)));
        borrowed.put(Array.class, handle.borrowed(fake(Array.class, reached)));
        borrowed.put(Struct.class, handle.borrowed(fake(Struct.class, reached)));
        borrowed.put(Ref.class, handle.borrowed(fake(Ref.class, reached)));

        end(how);
        int atEnd = reached.get();

        int methods = 0;
        for (Map.Entry<Class<?>, Object> entry : borrowed.entrySet()) {
            for (Method method : entry.getKey().getMethods()) {
                if (method.getName().equals("free") || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                    continue;
                }
                methods++;
                InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                        () -> method.invoke(entry.getValue(), defaults(method)), method.toString());
                SQLException e = assertInstanceOf(SQLException.class, thrown.getCause(), method.toString());
                assertEquals("08003", e.getSQLState(), method + ": " + e.getMessage());
            }
        }
        assertEquals(atEnd, reached.get(), "calls that reached the driver's objects after the borrow");
        assertTrue(methods > 40, methods + " methods swept");
    }

    private static <T> T fake(Class<T> type, java.util.concurrent.atomic.AtomicInteger reached) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("equals") ? proxy == args[0]
                        : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : "fake";
            }
            reached.incrementAndGet();
            Class<?> returns = method.getReturnType();
            return returns == boolean.class ? false : returns == long.class ? 0L : returns == int.class ? 0 : null;
        }));
    }

    private static Object[] defaults(Method method) {
        Class<?>[] types = method.getParameterTypes();
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = types[i] == long.class ? 1L : types[i] == int.class ? 1 : types[i] == boolean.class ? false
                    : null;
        }
        return values;
    }

    @Test
    @DisplayName("an Array's result set is our handle, closed with the array")
    void arrayResultSetIsAHandle() throws Exception {
        Array array = row().getArray(3);
        ResultSet elements = array.getResultSet();
        assertInstanceOf(ResultSetHandle.class, elements);
        assertNull(elements.getStatement());
        assertTrue(elements.next());

        array.free();

        assertTrue(elements.isClosed());
        assertThrows(ClosedHandleException.class, elements::next);
    }

    @Test
    @DisplayName("a LOB the borrower created is handed to the driver as the driver's own")
    void createdLobGoesBackToTheDriverUnwrapped() throws Exception {
        Blob blob = connection.createBlob();
        assertInstanceOf(BlobHandle.class, blob);
        blob.setBytes(1, new byte[] {7, 8, 9});
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO doc(id, body) VALUES (2, ?)")) {
            insert.setBlob(1, blob);
            assertEquals(1, insert.executeUpdate());
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO doc(id, body) VALUES (3, ?)")) {
            insert.setObject(1, blob);
            assertEquals(1, insert.executeUpdate());
        }
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT body FROM doc WHERE id IN (2, 3) ORDER BY id")) {
            assertTrue(rs.next());
            assertArrayEquals(new byte[] {7, 8, 9}, rs.getBytes(1));
            assertTrue(rs.next());
            assertArrayEquals(new byte[] {7, 8, 9}, rs.getBytes(1));
        }
    }

    @Test
    @DisplayName("a LOB kept past the borrow cannot be passed into the next borrower's statement")
    void lobOfAnEndedBorrowCannotBeUsedAsAParameter() throws Exception {
        Blob kept = row().getBlob(1);
        connection.close();
        connection = (Connection) mc.getConnection(null, null);

        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO doc(id, body) VALUES (4, ?)")) {
            SQLException e = assertThrows(SQLException.class, () -> {
                insert.setBlob(1, kept);
                insert.executeUpdate();
            });
            assertTrue(e instanceof ClosedHandleException || e.getCause() instanceof ClosedHandleException,
                    e.toString());
        }
    }
}
