package org.jdbcpoolra.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.LocalTransactionException;
import jakarta.resource.spi.ManagedConnection;

import org.jdbcpoolra.handle.ClosedHandleException;
import org.jdbcpoolra.outbound.JdbcManagedConnectionFactory;
import org.jdbcpoolra.support.RecordingListener;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The container drives the transaction through {@link LocalTransaction}; while it runs, the application must not end
 * it from its handle, and the server hears no {@code LOCAL_TRANSACTION_*} events for what it did itself.
 */
@DisplayName("Container-managed local transactions")
class ContainerTransactionTest {
    private TestDatabase db;
    private JdbcManagedConnectionFactory factory;
    private ManagedConnection mc;
    private LocalTransaction tx;
    private Connection handle;
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void begin() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE item(id INT PRIMARY KEY)");
        factory = db.factory();
        mc = factory.createManagedConnection(null, null);
        mc.addConnectionEventListener(listener);
        handle = (Connection) mc.getConnection(null, null);
        tx = mc.getLocalTransaction();
        tx.begin();
    }

    @AfterEach
    void close() throws Exception {
        mc.destroy();
        db.close();
    }

    @Test
    void applicationCannotCommitTheContainersTransaction() throws Exception {
        handle.createStatement().executeUpdate("INSERT INTO item VALUES (1)");

        SQLException e = assertThrows(SQLException.class, handle::commit);

        assertFalse(e instanceof ClosedHandleException);
        assertEquals(0, db.count("item"), "nothing was committed");
        assertEquals(List.of(), listener.types());
    }

    @Test
    void applicationCannotRollBackTheContainersTransaction() throws Exception {
        handle.createStatement().executeUpdate("INSERT INTO item VALUES (1)");

        assertThrows(SQLException.class, handle::rollback);

        tx.commit();
        assertEquals(1, db.count("item"), "the work was not rolled back by the refused call");
        assertEquals(List.of(), listener.types());
    }

    @Test
    void applicationCannotEnableAutoCommitInsideTheContainersTransaction() throws Exception {
        handle.createStatement().executeUpdate("INSERT INTO item VALUES (1)");

        assertThrows(SQLException.class, () -> handle.setAutoCommit(true));

        assertFalse(handle.getAutoCommit());
        assertEquals(0, db.count("item"), "enabling autocommit would have committed");
        assertEquals(List.of(), listener.types());
    }

    @Test
    @DisplayName("the refusals are not mistaken for a broken connection")
    void refusalsAreNotConnectionErrors() throws Exception {
        assertThrows(SQLException.class, handle::commit);
        assertThrows(SQLException.class, handle::rollback);
        assertThrows(SQLException.class, () -> handle.setAutoCommit(true));

        assertEquals(List.of(), listener.types());
        assertEquals(Set.of(), factory.getInvalidConnections(Set.of(mc)), "not marked broken");
    }

    @Test
    @DisplayName("disabling autocommit inside the container's transaction is a silent no-op")
    void disablingAutoCommitReportsNothing() throws Exception {
        handle.setAutoCommit(false);

        assertEquals(List.of(), listener.types());
    }

    @Test
    void containerCommitPersistsTheWork() throws Exception {
        handle.createStatement().executeUpdate("INSERT INTO item VALUES (1)");
        assertEquals(0, db.count("item"));

        tx.commit();

        assertEquals(1, db.count("item"));
        assertEquals(List.of(), listener.types());
    }

    @Test
    void containerRollbackDiscardsTheWork() throws Exception {
        handle.createStatement().executeUpdate("INSERT INTO item VALUES (1)");

        tx.rollback();

        assertEquals(0, db.count("item"));
        assertEquals(List.of(), listener.types());
    }

    @Test
    @DisplayName("after the container's transaction the handle is in autocommit mode and may drive its own")
    void afterTheTransactionTheHandleIsBackInAutoCommitMode() throws Exception {
        tx.commit();

        assertTrue(handle.getAutoCommit());
        handle.createStatement().executeUpdate("INSERT INTO item VALUES (1)");
        assertEquals(1, db.count("item"), "autocommitted");
        handle.setAutoCommit(false);
        handle.commit();
        assertEquals(List.of("LOCAL_TRANSACTION_STARTED", "LOCAL_TRANSACTION_COMMITTED"), listener.types());
    }

    @Test
    void afterARollbackTheHandleIsBackInAutoCommitMode() throws Exception {
        tx.rollback();

        assertTrue(handle.getAutoCommit());
    }

    @Test
    void beginningTwiceFails() {
        assertThrows(LocalTransactionException.class, tx::begin);
    }

    @Test
    void committingWithoutATransactionFails() throws Exception {
        tx.commit();

        assertThrows(LocalTransactionException.class, tx::commit);
    }

    @Test
    @DisplayName("cleanup in the middle of the container's transaction rolls it back and allows a new one")
    void cleanupRollsBackTheContainersTransaction() throws Exception {
        handle.createStatement().executeUpdate("INSERT INTO item VALUES (1)");

        mc.cleanup();

        assertEquals(0, db.count("item"));
        Connection next = (Connection) mc.getConnection(null, null);
        assertTrue(next.getAutoCommit());
        tx.begin();
        next.createStatement().executeUpdate("INSERT INTO item VALUES (2)");
        tx.commit();
        assertEquals(1, db.count("item"));
    }

    @Test
    void aHandleClosedInsideTheTransactionStillReportsItsClose() throws Exception {
        handle.close();

        assertEquals(List.of("CONNECTION_CLOSED"), listener.types());
        assertSame(handle, listener.events().get(0).getConnectionHandle());
    }
}
