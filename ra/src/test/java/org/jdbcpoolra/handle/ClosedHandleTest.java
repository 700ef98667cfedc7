package org.jdbcpoolra.handle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.resource.spi.ManagedConnection;

import org.h2.jdbc.JdbcConnection;
import org.h2.jdbc.JdbcStatement;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A handle used after it was closed, by the application or by the server taking the connection back, must fail with
 * a clear {@link ClosedHandleException} (SQLState 08003). Every interface method is called by reflection: besides
 * proving the sentinel answers everything, this shows that each one-line delegate really goes through its delegate.
 */
@DisplayName("Closed handles")
class ClosedHandleTest {
    /**
     * Methods that legitimately work on a closed handle: closing again, asking whether closed, unwrapping to itself.
     */
    private static final Set<String> ALLOWED_AFTER_CLOSE = Set.of("close", "isClosed", "isValid", "abort", "unwrap",
            "isWrapperFor");

    private TestDatabase db;
    private ManagedConnection mc;
    private Connection connection;

    @BeforeEach
    void borrow() throws Exception {
        db = TestDatabase.create();
        mc = db.factory().createManagedConnection(null, null);
        connection = (Connection) mc.getConnection(null, null);
    }

    @AfterEach
    void giveBack() throws Exception {
        mc.destroy();
        db.close();
    }

    enum ConnectionClosing { BY_APPLICATION, BY_SERVER_CLEANUP, BY_SERVER_DESTROY }

    enum StatementClosing { BY_APPLICATION, WITH_ITS_CONNECTION, BY_SERVER_CLEANUP }

    enum ResultSetClosing {
        BY_APPLICATION, WITH_ITS_STATEMENT, BY_NEXT_EXECUTE, WITH_ITS_CONNECTION, BY_SERVER_CLEANUP
    }

    @ParameterizedTest
    @EnumSource(ConnectionClosing.class)
    void closedConnectionHandleRefusesEveryMethod(ConnectionClosing how) throws Exception {
        switch (how) {
            case BY_APPLICATION -> connection.close();
            case BY_SERVER_CLEANUP -> mc.cleanup();
            case BY_SERVER_DESTROY -> mc.destroy();
        }

        assertEquals(List.of(), misbehaviours(connection, Connection.class));
        assertTrue(connection.isClosed());
        assertFalse(connection.isValid(1));
        assertClosedHandleException(assertThrows(SQLException.class, () -> connection.unwrap(JdbcConnection.class)));
        assertSame(connection, connection.unwrap(Connection.class), "unwrapping to itself needs no connection");
    }

    @ParameterizedTest
    @EnumSource(StatementClosing.class)
    void closedStatementHandlesRefuseEveryMethod(StatementClosing how) throws Exception {
        Statement statement = connection.createStatement();
        PreparedStatement prepared = connection.prepareStatement("SELECT ?");
        CallableStatement callable = connection.prepareCall("SELECT ?");
        switch (how) {
            case BY_APPLICATION -> {
                statement.close();
                prepared.close();
                callable.close();
            }
            case WITH_ITS_CONNECTION -> connection.close();
            case BY_SERVER_CLEANUP -> mc.cleanup();
        }

        List<String> misbehaviours = new ArrayList<>();
        misbehaviours.addAll(misbehaviours(statement, Statement.class));
        misbehaviours.addAll(misbehaviours(prepared, PreparedStatement.class));
        misbehaviours.addAll(misbehaviours(callable, CallableStatement.class));
        assertEquals(List.of(), misbehaviours);
        for (Statement s : List.of(statement, prepared, callable)) {
            assertTrue(s.isClosed());
            assertClosedHandleException(assertThrows(SQLException.class, s::getConnection));
            assertClosedHandleException(assertThrows(SQLException.class, () -> s.unwrap(JdbcStatement.class)));
        }
    }

    @ParameterizedTest
    @EnumSource(ResultSetClosing.class)
    void closedResultSetHandleRefusesEveryMethod(ResultSetClosing how) throws Exception {
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT 1");
        switch (how) {
            case BY_APPLICATION -> rs.close();
            case WITH_ITS_STATEMENT -> statement.close();
            case BY_NEXT_EXECUTE -> statement.executeQuery("SELECT 2");
            case WITH_ITS_CONNECTION -> connection.close();
            case BY_SERVER_CLEANUP -> mc.cleanup();
        }

        assertEquals(List.of(), misbehaviours(rs, ResultSet.class));
        assertTrue(rs.isClosed());
        assertClosedHandleException(assertThrows(SQLException.class, rs::getStatement));
    }

    @ParameterizedTest
    @EnumSource(value = ConnectionClosing.class, names = {"BY_APPLICATION", "BY_SERVER_CLEANUP"})
    @DisplayName("metadata of a closed connection refuses every method, its result sets too")
    void metaDataOfAClosedConnectionRefusesEveryMethod(ConnectionClosing how) throws Exception {
        DatabaseMetaData metaData = connection.getMetaData();
        ResultSet tables = metaData.getTables(null, null, "%", null);
        switch (how) {
            case BY_APPLICATION -> connection.close();
            case BY_SERVER_CLEANUP -> mc.cleanup();
            default -> throw new AssertionError(how);
        }

        assertEquals(List.of(), misbehaviours(metaData, DatabaseMetaData.class));
        assertClosedHandleException(assertThrows(SQLException.class, metaData::getConnection));
        assertTrue(tables.isClosed());
        assertClosedHandleException(assertThrows(SQLException.class, tables::next));
    }

    @Test
    @DisplayName("closing twice is harmless at every level")
    void closingTwiceIsHarmless() throws SQLException {
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT 1");

        rs.close();
        rs.close();
        statement.close();
        statement.close();
        connection.close();
        connection.close();

        assertTrue(rs.isClosed());
        assertTrue(statement.isClosed());
        assertTrue(connection.isClosed());
    }

    @Test
    void aHandleThatIsNotClosedSaysSo() throws SQLException {
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT 1");

        assertFalse(connection.isClosed());
        assertTrue(connection.isValid(1));
        assertFalse(statement.isClosed());
        assertFalse(rs.isClosed());
    }

    @Test
    @DisplayName("a closed handle names what is closed")
    void closedHandleExceptionNamesWhatIsClosed() throws SQLException {
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT 1");
        connection.close();

        assertTrue(assertThrows(SQLException.class, connection::createStatement).getMessage()
                .contains("Connection"));
        assertTrue(assertThrows(SQLException.class, () -> statement.execute("SELECT 1")).getMessage()
                .contains("Statement"));
        assertTrue(assertThrows(SQLException.class, rs::next).getMessage().contains("ResultSet"));
    }

    /**
     * Calls every method of {@code type} except {@link #ALLOWED_AFTER_CLOSE} with default arguments and describes each
     * one that does not fail with a closed-handle error. Methods that cannot declare SQLException (only
     * {@code DatabaseMetaData.getDriverMajorVersion/MinorVersion}) must fail with a runtime exception caused by one.
     */
    private static List<String> misbehaviours(Object handle, Class<?> type) throws IllegalAccessException {
        List<String> problems = new ArrayList<>();
        for (Method method : type.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || ALLOWED_AFTER_CLOSE.contains(method.getName())) {
                continue;
            }
            try {
                method.invoke(handle, defaultArguments(method));
                problems.add(signature(method) + " did not fail");
            } catch (InvocationTargetException e) {
                Throwable thrown = e.getCause();
                boolean expected = declaresSqlException(method)
                        ? thrown instanceof SQLException sql && "08003".equals(sql.getSQLState())
                                && causedByClosedHandle(thrown)
                        : thrown instanceof RuntimeException && causedByClosedHandle(thrown);
                if (!expected) {
                    problems.add(signature(method) + " threw " + thrown);
                }
            }
        }
        return problems;
    }

    /** SQLException itself, a supertype, or a subtype such as {@code setClientInfo}'s SQLClientInfoException. */
    private static boolean declaresSqlException(Method method) {
        return Arrays.stream(method.getExceptionTypes())
                .anyMatch(t -> t.isAssignableFrom(SQLException.class) || SQLException.class.isAssignableFrom(t));
    }

    private static boolean causedByClosedHandle(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof ClosedHandleException) {
                return true;
            }
        }
        return false;
    }

    private static void assertClosedHandleException(SQLException e) {
        assertInstanceOf(ClosedHandleException.class, e);
        assertEquals("08003", e.getSQLState());
    }

    private static Object[] defaultArguments(Method method) {
        return Arrays.stream(method.getParameterTypes()).map(ClosedHandleTest::defaultValue).toArray();
    }

    private static Object defaultValue(Class<?> type) {
        if (!type.isPrimitive()) {
            return null;
        } else if (type == boolean.class) {
            return false;
        } else if (type == long.class) {
            return 0L;
        } else if (type == double.class) {
            return 0d;
        } else if (type == float.class) {
            return 0f;
        } else if (type == short.class) {
            return (short) 0;
        } else if (type == byte.class) {
            return (byte) 0;
        } else if (type == char.class) {
            return (char) 0;
        }
        return 0;
    }

    private static String signature(Method method) {
        return method.getDeclaringClass().getSimpleName() + "." + method.getName() + "("
                + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
                + ")";
    }
}
