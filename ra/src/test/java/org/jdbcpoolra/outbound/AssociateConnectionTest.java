package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.IllegalStateException;
import jakarta.resource.spi.ManagedConnection;

import org.h2.jdbc.JdbcStatement;
import org.jdbcpoolra.handle.ClosedHandleException;
import org.jdbcpoolra.support.RecordingListener;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * JCA {@code associateConnection}: the server moves an application's handle to another managed connection. The
 * handle must then work on the new physical connection only, and belong to the new managed connection for events
 * and cleanup. Which physical connection a handle uses is told by H2's {@code SESSION_ID()}.
 */
@DisplayName("Associating a handle with another managed connection")
class AssociateConnectionTest {
    private TestDatabase db;
    private ManagedConnection first;
    private ManagedConnection second;
    private final RecordingListener firstListener = new RecordingListener();
    private final RecordingListener secondListener = new RecordingListener();

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
        JdbcManagedConnectionFactory factory = db.factory();
        first = factory.createManagedConnection(null, null);
        second = factory.createManagedConnection(null, null);
        first.addConnectionEventListener(firstListener);
        second.addConnectionEventListener(secondListener);
    }

    @AfterEach
    void close() throws Exception {
        first.destroy();
        second.destroy();
        db.close();
    }

    @Test
    void theHandleWorksOnTheNewPhysicalConnection() throws Exception {
        Connection handle = (Connection) first.getConnection(null, null);
        int firstSession = sessionId(handle);
        int secondSession = sessionId((Connection) second.getConnection(null, null));
        assertNotEquals(firstSession, secondSession);

        second.associateConnection(handle);

        assertEquals(secondSession, sessionId(handle));
    }

    @Test
    @DisplayName("statements opened on the old physical connection are closed")
    void statementsOfTheOldConnectionAreClosed() throws Exception {
        Connection handle = (Connection) first.getConnection(null, null);
        Statement statement = handle.createStatement();
        ResultSet rs = statement.executeQuery("SELECT 1");
        JdbcStatement physical = statement.unwrap(JdbcStatement.class);

        second.associateConnection(handle);

        assertTrue(physical.isClosed());
        assertTrue(statement.isClosed());
        assertTrue(rs.isClosed());
        assertThrows(ClosedHandleException.class, () -> statement.executeQuery("SELECT 1"));
    }

    @Test
    @DisplayName("closing the moved handle reports to the new managed connection, not the old one")
    void closingTheMovedHandleFiresOnTheNewManagedConnection() throws Exception {
        Connection handle = (Connection) first.getConnection(null, null);
        second.associateConnection(handle);

        handle.close();

        assertEquals(List.of(), firstListener.types());
        assertEquals(List.of("CONNECTION_CLOSED"), secondListener.types());
        assertSame(handle, secondListener.events().get(0).getConnectionHandle());
        assertSame(second, secondListener.events().get(0).getSource());
    }

    @Test
    @DisplayName("cleanup of the old managed connection leaves the moved handle alone; cleanup of the new one does not")
    void theMovedHandleBelongsToTheNewManagedConnection() throws Exception {
        Connection handle = (Connection) first.getConnection(null, null);
        second.associateConnection(handle);

        first.cleanup();
        assertFalse(handle.isClosed());
        handle.createStatement().executeQuery("SELECT 1").close();

        second.cleanup();
        assertThrows(ClosedHandleException.class, handle::createStatement);
    }

    @Test
    @DisplayName("the moved handle's transaction events come from the new managed connection")
    void transactionEventsComeFromTheNewManagedConnection() throws Exception {
        Connection handle = (Connection) first.getConnection(null, null);
        second.associateConnection(handle);

        handle.setAutoCommit(false);

        assertEquals(List.of(), firstListener.types());
        assertEquals(List.of("LOCAL_TRANSACTION_STARTED"), secondListener.types());
        assertSame(second, secondListener.events().get(0).getSource());
    }

    @Test
    @DisplayName("re-associating a handle with its own managed connection keeps its statements open")
    void reassociatingWithTheSameManagedConnectionKeepsStatementsOpen() throws Exception {
        Connection handle = (Connection) first.getConnection(null, null);
        Statement statement = handle.createStatement();

        first.associateConnection(handle);

        assertFalse(statement.isClosed());
        statement.executeQuery("SELECT 1").close();
    }

    @Test
    @DisplayName("a handle re-associated with its managed connection after cleanup is invalidated by the next cleanup")
    void handleReassociatedAfterCleanupIsInvalidatedByTheNextCleanup() throws Exception {
        Connection handle = (Connection) first.getConnection(null, null);
        first.cleanup();
        first.associateConnection(handle);
        assertFalse(handle.isClosed());

        first.cleanup();

        assertThrows(ClosedHandleException.class, handle::createStatement);
    }

    @Test
    void onlyConnectionHandlesCanBeAssociated() {
        assertThrows(ResourceException.class, () -> second.associateConnection("not a handle"));
    }

    @Test
    void aDestroyedManagedConnectionTakesNoHandle() throws Exception {
        Connection handle = (Connection) first.getConnection(null, null);
        second.destroy();

        assertThrows(IllegalStateException.class, () -> second.associateConnection(handle));
        assertFalse(handle.isClosed(), "the handle stays with the first managed connection");
        assertEquals(sessionId((Connection) first.getConnection(null, null)), sessionId(handle));
    }

    private static int sessionId(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT SESSION_ID()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
