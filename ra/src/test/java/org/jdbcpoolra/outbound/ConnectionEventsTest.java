package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ResourceAllocationException;

import org.jdbcpoolra.handle.ClosedHandleException;
import org.jdbcpoolra.support.PhysicalFakes;
import org.jdbcpoolra.support.RecordingListener;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JCA event protocol, as the server's listener sees it: {@code CONNECTION_CLOSED} with the handle,
 * {@code CONNECTION_ERROR_OCCURRED} once, before the application sees the fatal exception, and
 * {@code LOCAL_TRANSACTION_*} when the application drives a transaction itself.
 */
@DisplayName("Connection events")
class ConnectionEventsTest {
    private static final String ERROR = "CONNECTION_ERROR_OCCURRED";

    private TestDatabase db;
    private JdbcManagedConnectionFactory factory;
    private JdbcManagedConnection mc;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE item(id INT PRIMARY KEY)");
        factory = db.factory();
    }

    @AfterEach
    void close() throws Exception {
        if (mc != null) {
            mc.destroy();
        }
        db.close();
    }

    /** A managed connection over the real H2 connection. */
    private Connection borrow() throws Exception {
        if (mc == null) {
            mc = (JdbcManagedConnection) factory.createManagedConnection(null, null);
            mc.addConnectionEventListener(listener);
        }
        return (Connection) mc.getConnection(null, null);
    }

    /** A managed connection whose physical connection fails every call of {@code method}. */
    private Connection borrowFailingOn(String method, SQLException failure) throws Exception {
        Connection real = DriverManager.getConnection(db.url());
        mc = ManagedConnections.over(factory, PhysicalFakes.failingOn(real, method, failure));
        mc.addConnectionEventListener(listener);
        return (Connection) mc.getConnection(null, null);
    }

    // ---- CONNECTION_CLOSED ------------------------------------------------------------------------------------

    @Test
    @DisplayName("CONNECTION_CLOSED carries the very handle that was closed, from the managed connection")
    void closedEventCarriesTheHandleAndTheManagedConnection() throws Exception {
        Connection handle = borrow();

        handle.close();

        assertEquals(List.of("CONNECTION_CLOSED"), listener.types());
        ConnectionEvent event = listener.events().get(0);
        assertSame(handle, event.getConnectionHandle());
        assertSame(mc, event.getSource());
    }

    @Test
    void eachHandleOfOneManagedConnectionReportsItsOwnClose() throws Exception {
        Connection first = borrow();
        Connection second = borrow();

        second.close();
        first.close();

        assertEquals(List.of("CONNECTION_CLOSED", "CONNECTION_CLOSED"), listener.types());
        assertSame(second, listener.events().get(0).getConnectionHandle());
        assertSame(first, listener.events().get(1).getConnectionHandle());
    }

    @Test
    void closingAHandleTwiceReportsItOnce() throws Exception {
        Connection handle = borrow();

        handle.close();
        handle.close();

        assertEquals(List.of("CONNECTION_CLOSED"), listener.types());
    }

    @Test
    void closingStatementsAndResultSetsReportsNothing() throws Exception {
        Connection handle = borrow();
        Statement statement = handle.createStatement();

        statement.executeQuery("SELECT 1").close();
        statement.close();

        assertEquals(List.of(), listener.types());
    }

    @Test
    void aRemovedListenerHearsNothing() throws Exception {
        Connection handle = borrow();
        mc.removeConnectionEventListener(listener);

        handle.setAutoCommit(false);
        handle.close();

        assertEquals(List.of(), listener.types());
    }

    @Test
    @DisplayName("every registered listener hears every event")
    void everyListenerHearsEveryEvent() throws Exception {
        Connection handle = borrow();
        RecordingListener second = new RecordingListener();
        mc.addConnectionEventListener(second);

        handle.close();

        assertEquals(List.of("CONNECTION_CLOSED"), listener.types());
        assertEquals(List.of("CONNECTION_CLOSED"), second.types());
    }

    // ---- CONNECTION_ERROR_OCCURRED ----------------------------------------------------------------------------

    /** A call at each level of handles, each failing on the physical object behind it. */
    enum FailingCall {
        CONNECTION("prepareStatement", c -> c.prepareStatement("SELECT 1")),
        CONNECTION_AUTOCOMMIT("setAutoCommit", c -> c.setAutoCommit(false)),
        CONNECTION_COMMIT("commit", Connection::commit),
        STATEMENT("executeQuery", c -> c.createStatement().executeQuery("SELECT 1")),
        PREPARED_STATEMENT("executeUpdate", c -> c.prepareStatement("SELECT 1").executeUpdate()),
        CALLABLE_STATEMENT("execute", c -> c.prepareCall("CALL 1").execute()),
        RESULT_SET("next", c -> c.createStatement().executeQuery("SELECT 1").next()),
        META_DATA("getTables", c -> c.getMetaData().getTables(null, null, "%", null)),
        META_DATA_RESULT_SET("getString", c -> {
            ResultSet schemas = c.getMetaData().getSchemas();
            schemas.next();
            schemas.getString(1);
        });

        final String physicalMethod;
        final JdbcCall call;

        FailingCall(String physicalMethod, JdbcCall call) {
            this.physicalMethod = physicalMethod;
            this.call = call;
        }
    }

    @FunctionalInterface
    interface JdbcCall {
        void run(Connection connection) throws SQLException;
    }

    @ParameterizedTest
    @EnumSource(FailingCall.class)
    @DisplayName("a fatal error at any level reaches the server before the application, with the exception")
    void fatalErrorIsReportedBeforeTheApplicationSeesIt(FailingCall failing) throws Exception {
        SQLException failure = new SQLException("Connection reset by peer", "08S01");
        Connection handle = borrowFailingOn(failing.physicalMethod, failure);

        SQLException thrown = null;
        List<String> heardWhenCaught = null;
        try {
            failing.call.run(handle);
        } catch (SQLException e) {
            thrown = e;
            heardWhenCaught = listener.types();
        }

        assertSame(failure, thrown, "the application gets the driver's exception");
        assertEquals(List.of(ERROR), heardWhenCaught, "the server had heard of it by the time the application did");
        ConnectionEvent event = listener.events().get(0);
        assertSame(failure, event.getException());
        assertSame(mc, event.getSource());
    }

    @ParameterizedTest
    @EnumSource(FailingCall.class)
    void fatalErrorIsReportedOnlyOnce(FailingCall failing) throws Exception {
        Connection handle = borrowFailingOn(failing.physicalMethod, new SQLException("gone", "08006"));

        assertThrows(SQLException.class, () -> failing.call.run(handle));
        assertThrows(SQLException.class, () -> failing.call.run(handle));
        assertThrows(ResourceAllocationException.class, () -> mc.getConnection(null, null),
                "a broken connection is never handed out again");

        assertEquals(1, listener.ofType(ConnectionEvent.CONNECTION_ERROR_OCCURRED).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"08S01", "08001", "08003", "08006", "57P01", "90067"})
    @DisplayName("connection-loss SQLStates count as fatal, a driver's 08003 included")
    void connectionLossStatesAreFatal(String sqlState) throws Exception {
        Connection handle = borrowFailingOn("executeQuery", new SQLException("lost", sqlState));

        assertThrows(SQLException.class, () -> handle.createStatement().executeQuery("SELECT 1"));

        assertEquals(List.of(ERROR), listener.types());
    }

    @Test
    @DisplayName("a fatal SQLClientInfoException from setClientInfo is reported too")
    void fatalErrorFromSetClientInfoIsReported() throws Exception {
        SQLClientInfoException failure = new SQLClientInfoException("I/O error", "08006", 0, Map.of());
        Connection handle = borrowFailingOn("setClientInfo", failure);

        SQLClientInfoException thrown = assertThrows(SQLClientInfoException.class,
                () -> handle.setClientInfo("ApplicationName", "x"));

        assertSame(failure, thrown);
        assertEquals(List.of(ERROR), listener.types());
    }

    @Test
    @DisplayName("a non-fatal error from the driver reports nothing, and a later fatal one still does")
    void nonFatalErrorReportsNothing() throws Exception {
        Connection handle = borrowFailingOn("executeQuery", new SQLException("syntax error", "42000"));

        assertThrows(SQLException.class, () -> handle.createStatement().executeQuery("SELECT 1"));
        assertEquals(List.of(), listener.types());

        mc.fail(new SQLException("gone", "08006"));
        assertEquals(List.of(ERROR), listener.types());
    }

    @Test
    @DisplayName("real H2 errors that are the application's fault report nothing")
    void applicationErrorsFromH2ReportNothing() throws Exception {
        Connection handle = borrow();
        Statement statement = handle.createStatement();

        SQLException syntax = assertThrows(SQLException.class, () -> statement.executeQuery("SELEC 1"));
        assertThrows(SQLException.class, () -> handle.prepareStatement("SELECT * FROM no_such_table"));
        statement.executeUpdate("INSERT INTO item VALUES (1)");
        SQLException duplicate = assertThrows(SQLException.class,
                () -> statement.executeUpdate("INSERT INTO item VALUES (1)"));

        assertEquals("42", syntax.getSQLState().substring(0, 2));
        assertEquals("23505", duplicate.getSQLState());
        assertEquals(List.of(), listener.types());
        assertEquals(Set.of(), factory.getInvalidConnections(Set.of(mc)), "not marked broken");
    }

    @Test
    @DisplayName("using a closed handle never reports a connection error, although its SQLState is 08003")
    void closedHandleExceptionIsNeverReported() throws Exception {
        Connection handle = borrow();
        Statement statement = handle.createStatement();
        ResultSet rs = statement.executeQuery("SELECT 1");
        DatabaseMetaData metaData = handle.getMetaData();
        handle.close();
        listener.clear();

        assertThrows(ClosedHandleException.class, handle::createStatement);
        assertThrows(ClosedHandleException.class, () -> handle.setAutoCommit(false));
        assertThrows(ClosedHandleException.class, () -> statement.executeQuery("SELECT 1"));
        assertThrows(ClosedHandleException.class, rs::next);
        assertThrows(ClosedHandleException.class, metaData::getSchemas);

        assertEquals(List.of(), listener.types());
        Connection next = borrow();
        assertNotNull(next.createStatement(), "the managed connection is not marked broken");
    }

    @Test
    @DisplayName("abort reports the connection as unusable (H2 itself ignores abort, so the server must discard it)")
    void abortReportsAConnectionError() throws Exception {
        Connection handle = borrow();

        handle.abort(Runnable::run);

        assertEquals(List.of(ERROR), listener.types());
        assertSame(mc, listener.events().get(0).getSource());
        assertThrows(ClosedHandleException.class, handle::createStatement);
        assertEquals(Set.of(mc), factory.getInvalidConnections(Set.of(mc)));
    }

    @Test
    @DisplayName("abort reaches the physical connection, and a second handle's abort does not tell the server again")
    void abortReachesThePhysicalConnection() throws Exception {
        List<String> calls = new java.util.ArrayList<>();
        mc = ManagedConnections.over(factory, PhysicalFakes.recording(DriverManager.getConnection(db.url()), calls));
        mc.addConnectionEventListener(listener);
        Connection handle = (Connection) mc.getConnection(null, null);
        Connection second = (Connection) mc.getConnection(null, null);
        calls.clear();

        handle.abort(Runnable::run);
        assertEquals(List.of("abort"), calls.stream().filter("abort"::equals).toList(), "the driver's calls: " + calls);
        second.abort(Runnable::run);

        assertEquals(List.of(ERROR), listener.types(), "the server hears of the first abort only");
    }

    // ---- LOCAL_TRANSACTION_* ----------------------------------------------------------------------------------

    @Test
    void disablingAutoCommitReportsATransactionStart() throws Exception {
        Connection handle = borrow();

        handle.setAutoCommit(false);

        assertEquals(List.of("LOCAL_TRANSACTION_STARTED"), listener.types());
        assertSame(mc, listener.events().get(0).getSource());
    }

    @Test
    void disablingAutoCommitTwiceReportsOneStart() throws Exception {
        Connection handle = borrow();

        handle.setAutoCommit(false);
        handle.setAutoCommit(false);

        assertEquals(List.of("LOCAL_TRANSACTION_STARTED"), listener.types());
    }

    @Test
    void commitReportsCommitted() throws Exception {
        Connection handle = borrow();
        handle.setAutoCommit(false);
        handle.createStatement().executeUpdate("INSERT INTO item VALUES (1)");

        handle.commit();

        assertEquals(List.of("LOCAL_TRANSACTION_STARTED", "LOCAL_TRANSACTION_COMMITTED"), listener.types());
        assertEquals(1, db.count("item"));
    }

    @Test
    void rollbackReportsRolledBack() throws Exception {
        Connection handle = borrow();
        handle.setAutoCommit(false);
        handle.createStatement().executeUpdate("INSERT INTO item VALUES (1)");

        handle.rollback();

        assertEquals(List.of("LOCAL_TRANSACTION_STARTED", "LOCAL_TRANSACTION_ROLLEDBACK"), listener.types());
        assertEquals(0, db.count("item"));
    }

    @Test
    @DisplayName("enabling autocommit inside a transaction commits it and reports so")
    void enablingAutoCommitReportsCommitted() throws Exception {
        Connection handle = borrow();
        handle.setAutoCommit(false);
        handle.createStatement().executeUpdate("INSERT INTO item VALUES (1)");

        handle.setAutoCommit(true);

        assertEquals(List.of("LOCAL_TRANSACTION_STARTED", "LOCAL_TRANSACTION_COMMITTED"), listener.types());
        assertEquals(1, db.count("item"));
    }

    @Test
    @DisplayName("commit, rollback or enabling autocommit outside a transaction report nothing")
    void transactionCallsInAutoCommitModeReportNothing() throws Exception {
        Connection handle = borrow();

        handle.commit();
        handle.rollback();
        handle.setAutoCommit(true);

        assertEquals(List.of(), listener.types());
    }
}
