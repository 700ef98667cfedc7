package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import jakarta.resource.spi.IllegalStateException;
import jakarta.resource.spi.ManagedConnection;

import org.h2.jdbc.JdbcResultSet;
import org.h2.jdbc.JdbcStatement;
import org.jdbcpoolra.handle.ClosedHandleException;
import org.jdbcpoolra.support.RecordingListener;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The server takes a connection back with {@code cleanup()} whether or not the application closed its handle. A
 * handle kept past that point is stale: it must fail, and must never reach the physical connection, which by then
 * may serve another borrower.
 */
@DisplayName("Handles the server took back")
class StaleHandleTest {
    private TestDatabase db;
    private ManagedConnection mc;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE item(id INT PRIMARY KEY)");
        mc = db.factory().createManagedConnection(null, null);
        mc.addConnectionEventListener(listener);
    }

    @AfterEach
    void close() throws Exception {
        mc.destroy();
        db.close();
    }

    private Connection borrow() throws Exception {
        return (Connection) mc.getConnection(null, null);
    }

    @Test
    void cleanupInvalidatesAHandleTheBorrowerDidNotClose() throws Exception {
        Connection stale = borrow();

        mc.cleanup();

        assertTrue(stale.isClosed());
        SQLException e = assertThrows(SQLException.class, stale::createStatement);
        assertInstanceOf(ClosedHandleException.class, e);
        assertEquals("08003", e.getSQLState());
    }

    @Test
    void cleanupClosesTheStatementsAndResultSetsOfAHandleThatWasNotClosed() throws Exception {
        Connection stale = borrow();
        Statement statement = stale.createStatement();
        ResultSet rs = statement.executeQuery("SELECT 1");
        DatabaseMetaData metaData = stale.getMetaData();
        ResultSet tables = metaData.getTables(null, null, "%", null);
        JdbcStatement physicalStatement = statement.unwrap(JdbcStatement.class);
        JdbcResultSet physicalRs = rs.unwrap(JdbcResultSet.class);
        JdbcResultSet physicalTables = tables.unwrap(JdbcResultSet.class);

        mc.cleanup();

        assertTrue(physicalStatement.isClosed(), "physical statement");
        assertTrue(physicalRs.isClosed(), "physical result set");
        assertTrue(physicalTables.isClosed(), "physical metadata result set");
        assertThrows(ClosedHandleException.class, () -> statement.executeQuery("SELECT 1"));
        assertThrows(ClosedHandleException.class, rs::next);
        assertThrows(ClosedHandleException.class, () -> metaData.getTables(null, null, "%", null));
    }

    @Test
    @DisplayName("cleanup tells the server nothing: it started it")
    void cleanupFiresNoEvent() throws Exception {
        Connection stale = borrow();
        stale.createStatement();

        mc.cleanup();

        assertEquals(List.of(), listener.types());
    }

    @Test
    @DisplayName("a stale handle cannot change the connection of the next borrower")
    void staleHandleCannotChangeTheNextBorrowersConnection() throws Exception {
        Connection stale = borrow();
        mc.cleanup();
        Connection next = borrow();

        assertThrows(ClosedHandleException.class, () -> stale.setAutoCommit(false));
        assertThrows(ClosedHandleException.class, () -> stale.setTransactionIsolation(
                Connection.TRANSACTION_SERIALIZABLE));
        assertThrows(ClosedHandleException.class, () -> stale.setSchema("INFORMATION_SCHEMA"));

        assertTrue(next.getAutoCommit());
        assertEquals(Connection.TRANSACTION_READ_COMMITTED, next.getTransactionIsolation());
        assertEquals("PUBLIC", next.getSchema());
        assertEquals(List.of(), listener.types(), "no LOCAL_TRANSACTION_STARTED for the stale handle's attempt");
    }

    @Test
    @DisplayName("a statement of a stale handle cannot write through the next borrower's connection")
    void staleStatementCannotWriteThroughTheNextBorrowersConnection() throws Exception {
        Connection stale = borrow();
        Statement staleStatement = stale.createStatement();
        mc.cleanup();
        Connection next = borrow();
        next.setAutoCommit(false);

        assertThrows(ClosedHandleException.class, () -> staleStatement.executeUpdate("INSERT INTO item VALUES (1)"));
        assertThrows(ClosedHandleException.class, stale::commit);

        next.rollback();
        assertEquals(0, db.count("item"));
    }

    @Test
    @DisplayName("closing a stale handle neither reports a close nor disturbs the next borrower")
    void closingAStaleHandleFiresNothingAndLeavesTheNextBorrowerAlone() throws Exception {
        Connection stale = borrow();
        mc.cleanup();
        Connection next = borrow();

        stale.close();

        assertEquals(List.of(), listener.types());
        assertFalse(next.isClosed());
        next.createStatement().executeUpdate("INSERT INTO item VALUES (1)");
        next.close();
        assertEquals(List.of("CONNECTION_CLOSED"), listener.types());
        assertSame(next, listener.events().get(0).getConnectionHandle());
    }

    @Test
    void destroyInvalidatesHandlesAndRefusesNewOnes() throws Exception {
        Connection handle = borrow();
        Statement statement = handle.createStatement();

        mc.destroy();

        assertThrows(ClosedHandleException.class, handle::createStatement);
        assertTrue(statement.isClosed());
        assertThrows(IllegalStateException.class, () -> mc.getConnection(null, null));
        assertEquals(List.of(), listener.types());
    }
}
