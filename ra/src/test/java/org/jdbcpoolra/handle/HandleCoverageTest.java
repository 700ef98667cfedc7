package org.jdbcpoolra.handle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.resource.spi.ManagedConnection;

import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The handles are hand-written delegates, so nothing but this test notices when a JDBC version adds a method (a
 * missing one would fall through to an interface default that bypasses the handle) or when someone swaps a handle
 * for a reflection proxy.
 */
@DisplayName("Handle coverage")
class HandleCoverageTest {

    private static final Map<Class<?>, Class<?>> HANDLES = new LinkedHashMap<>();
    static {
        HANDLES.put(Connection.class, ConnectionHandle.class);
        HANDLES.put(Statement.class, StatementHandle.class);
        HANDLES.put(PreparedStatement.class, PreparedStatementHandle.class);
        HANDLES.put(CallableStatement.class, CallableStatementHandle.class);
        HANDLES.put(ResultSet.class, ResultSetHandle.class);
        HANDLES.put(DatabaseMetaData.class, DatabaseMetaDataHandle.class);
        HANDLES.put(java.sql.Blob.class, BlobHandle.class);
        HANDLES.put(java.sql.Clob.class, ClobHandle.class);
        HANDLES.put(java.sql.NClob.class, NClobHandle.class);
        HANDLES.put(java.sql.SQLXML.class, SQLXMLHandle.class);
        HANDLES.put(java.sql.Array.class, ArrayHandle.class);
        HANDLES.put(java.sql.Struct.class, StructHandle.class);
        HANDLES.put(java.sql.Ref.class, RefHandle.class);
    }

    private TestDatabase db;
    private ManagedConnection mc;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
        mc = db.factory().createManagedConnection(null, null);
    }

    @AfterEach
    void close() throws Exception {
        mc.destroy();
        db.close();
    }

    @Test
    @DisplayName("every method of every wrapped JDBC interface, inherited and default ones included, is implemented "
            + "by its handle")
    void everyInterfaceMethodIsImplementedByItsHandle() throws NoSuchMethodException {
        List<String> missing = new ArrayList<>();
        Set<String> checked = new HashSet<>();
        for (Map.Entry<Class<?>, Class<?>> pair : HANDLES.entrySet()) {
            Class<?> jdbcInterface = pair.getKey();
            Class<?> handle = pair.getValue();
            assertTrue(jdbcInterface.isAssignableFrom(handle), handle.getSimpleName() + " must implement "
                    + jdbcInterface.getSimpleName());
            for (Method method : jdbcInterface.getMethods()) {
                if (Modifier.isStatic(method.getModifiers())) {
                    continue;
                }
                checked.add(method.getDeclaringClass().getSimpleName() + "." + method.getName());
                Method implementation = handle.getMethod(method.getName(), method.getParameterTypes());
                if (implementation.getDeclaringClass().isInterface()) {
                    missing.add(handle.getSimpleName() + " does not implement " + signature(method) + " (falls to "
                            + implementation.getDeclaringClass().getSimpleName() + ")");
                }
            }
        }
        // Guards the check itself: inherited (Wrapper, AutoCloseable, Statement) and default methods are included.
        assertTrue(checked.containsAll(Set.of("Wrapper.unwrap", "Wrapper.isWrapperFor", "Connection.beginRequest",
                "Statement.executeQuery", "Statement.enquoteLiteral", "ResultSet.updateObject")), checked::toString);
        assertEquals(List.of(), missing, () -> missing.size() + " method(s) not implemented:\n"
                + String.join("\n", missing));
    }

    @Test
    @DisplayName("no handle class is a reflection proxy")
    void handleClassesAreNotProxies() {
        for (Class<?> handle : HANDLES.values()) {
            assertFalse(Proxy.isProxyClass(handle), handle.getName());
        }
    }

    @Test
    @DisplayName("the objects an application gets are exactly the hand-written handle classes, never proxies")
    void applicationGetsHandleInstancesNotProxies() throws Exception {
        Connection connection = (Connection) mc.getConnection(null, null);
        Statement statement = connection.createStatement();
        PreparedStatement prepared = connection.prepareStatement("SELECT 1");
        CallableStatement callable = connection.prepareCall("SELECT 1");
        ResultSet rs = statement.executeQuery("SELECT 1");
        DatabaseMetaData metaData = connection.getMetaData();
        ResultSet tables = metaData.getTables(null, null, "%", null);

        Map<Object, Class<?>> expected = new LinkedHashMap<>();
        expected.put(connection, ConnectionHandle.class);
        expected.put(statement, StatementHandle.class);
        expected.put(prepared, PreparedStatementHandle.class);
        expected.put(callable, CallableStatementHandle.class);
        expected.put(rs, ResultSetHandle.class);
        expected.put(prepared.executeQuery(), ResultSetHandle.class);
        expected.put(callable.executeQuery(), ResultSetHandle.class);
        expected.put(metaData, DatabaseMetaDataHandle.class);
        expected.put(tables, ResultSetHandle.class);
        expected.forEach((object, type) -> {
            assertEquals(type, object.getClass());
            assertFalse(Proxy.isProxyClass(object.getClass()));
        });
        connection.close();
    }

    private static String signature(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "("
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
                + ")";
    }
}
