package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import jakarta.resource.spi.IllegalStateException;

import org.h2.jdbc.JdbcConnection;
import org.jdbcpoolra.support.PhysicalFakes;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What one borrower does must not leak into the next: {@code cleanup()} rolls back uncommitted work and puts back
 * every attribute the borrower changed, and only those (resetting the rest would cost round trips and could undo
 * settings made deliberately on the physical connection).
 */
@DisplayName("Cleanup between borrowers")
class StateResetTest {
    private static final Executor DIRECT = Runnable::run;

    private TestDatabase db;
    private JdbcManagedConnectionFactory factory;
    private JdbcManagedConnection mc;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE item(id INT PRIMARY KEY)");
        db.execute("CREATE SCHEMA other");
        factory = db.factory();
    }

    @AfterEach
    void close() throws Exception {
        if (mc != null) {
            mc.destroy();
        }
        db.close();
    }

    private Connection borrow() throws Exception {
        if (mc == null) {
            mc = (JdbcManagedConnection) factory.createManagedConnection(null, null);
        }
        return (Connection) mc.getConnection(null, null);
    }

    /** What the server does when the application closes its handle. */
    private void giveBack(Connection handle) throws Exception {
        handle.close();
        mc.cleanup();
    }

    @Nested
    @DisplayName("behind a transaction pooler (TransactionPooler=true)")
    class BehindTransactionPooler {

        @Test
        @DisplayName("isolation and schema, which drivers set for the session, are refused, naming the pool and why")
        void sessionLevelChangesAreRefused() throws Exception {
            factory.setTransactionPooler("true");
            Connection first = borrow();
            int isolation = first.getTransactionIsolation();
            String schema = first.getSchema();

            SQLException isolationRefused = assertThrows(SQLException.class,
                    () -> first.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE));
            SQLException schemaRefused = assertThrows(SQLException.class, () -> first.setSchema("OTHER"));

            assertEquals("0A000", isolationRefused.getSQLState());
            assertTrue(isolationRefused.getMessage().contains("TransactionPooler=true")
                    && isolationRefused.getMessage().contains("SET TRANSACTION ISOLATION LEVEL"),
                    isolationRefused.getMessage());
            assertTrue(schemaRefused.getMessage().contains("setSchema"), schemaRefused.getMessage());
            assertEquals(isolation, first.getTransactionIsolation(), "unchanged");
            assertEquals(schema, first.getSchema(), "unchanged");
            first.setReadOnly(true);   // transaction-level in pgjdbc (BEGIN READ ONLY): allowed
            giveBack(first);
        }
    }

    @Nested
    @DisplayName("with H2 as it is")
    class RealDatabase {

        @Test
        void autoCommitIsOnAgainForTheNextBorrower() throws Exception {
            Connection first = borrow();
            first.setAutoCommit(false);
            giveBack(first);

            Connection next = borrow();

            assertTrue(next.getAutoCommit());
            assertTrue(next.unwrap(JdbcConnection.class).getAutoCommit(), "on the physical connection");
        }

        @Test
        void isolationChangedByABorrowerIsRestored() throws Exception {
            Connection first = borrow();
            int original = first.getTransactionIsolation();
            assertNotEquals(Connection.TRANSACTION_SERIALIZABLE, original);
            first.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            giveBack(first);

            assertEquals(original, borrow().getTransactionIsolation());
        }

        @Test
        @DisplayName("the configured TransactionIsolation is what cleanup restores")
        void configuredIsolationIsRestored() throws Exception {
            factory.setTransactionIsolation("SERIALIZABLE");
            Connection first = borrow();
            assertEquals(Connection.TRANSACTION_SERIALIZABLE, first.getTransactionIsolation());
            first.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
            giveBack(first);

            assertEquals(Connection.TRANSACTION_SERIALIZABLE, borrow().getTransactionIsolation());
        }

        @Test
        void schemaChangedByABorrowerIsRestored() throws Exception {
            Connection first = borrow();
            String original = first.getSchema();
            first.setSchema("OTHER");
            assertEquals("OTHER", first.getSchema());
            giveBack(first);

            Connection next = borrow();

            assertEquals(original, next.getSchema());
            next.createStatement().executeQuery("SELECT COUNT(*) FROM item").close();   // resolves in PUBLIC again
        }

        @Test
        void holdabilityChangedByABorrowerIsRestored() throws Exception {
            Connection first = borrow();
            int original = first.getHoldability();
            int changed = original == ResultSet.HOLD_CURSORS_OVER_COMMIT
                    ? ResultSet.CLOSE_CURSORS_AT_COMMIT : ResultSet.HOLD_CURSORS_OVER_COMMIT;
            first.setHoldability(changed);
            assertEquals(changed, first.getHoldability());
            giveBack(first);

            assertEquals(original, borrow().getHoldability());
        }

        @Test
        @DisplayName("every attribute changed in one borrow is restored together")
        void severalChangedAttributesAreRestoredTogether() throws Exception {
            Connection first = borrow();
            first.setAutoCommit(false);
            first.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            first.setSchema("OTHER");
            first.setHoldability(ResultSet.CLOSE_CURSORS_AT_COMMIT);
            giveBack(first);

            Connection next = borrow();

            assertTrue(next.getAutoCommit());
            assertEquals(Connection.TRANSACTION_READ_COMMITTED, next.getTransactionIsolation());
            assertEquals("PUBLIC", next.getSchema());
            assertEquals(ResultSet.HOLD_CURSORS_OVER_COMMIT, next.getHoldability());
        }

        @Test
        @DisplayName("an attribute changed twice is restored to its value before the first change")
        void attributeChangedTwiceIsRestoredToTheOriginal() throws Exception {
            Connection first = borrow();
            first.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            first.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            giveBack(first);
            Connection second = borrow();
            second.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
            giveBack(second);

            assertEquals(Connection.TRANSACTION_READ_COMMITTED, borrow().getTransactionIsolation());
        }

        @Test
        @DisplayName("a setting made on the physical connection, bypassing the handle, survives cleanup")
        void attributeNotChangedThroughTheHandleIsNotTouched() throws Exception {
            Connection first = borrow();
            JdbcConnection physical = first.unwrap(JdbcConnection.class);
            physical.setSchema("OTHER");
            physical.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            first.setHoldability(ResultSet.CLOSE_CURSORS_AT_COMMIT);   // changed through the handle: reset
            giveBack(first);

            assertEquals("OTHER", physical.getSchema());
            assertEquals(Connection.TRANSACTION_SERIALIZABLE, physical.getTransactionIsolation());
            assertEquals(ResultSet.HOLD_CURSORS_OVER_COMMIT, physical.getHoldability());
        }

        @Test
        void uncommittedWorkIsRolledBack() throws Exception {
            Connection first = borrow();
            first.setAutoCommit(false);
            first.createStatement().executeUpdate("INSERT INTO item VALUES (1)");
            giveBack(first);

            assertEquals(0, db.count("item"));
            try (ResultSet rs = borrow().createStatement().executeQuery("SELECT COUNT(*) FROM item")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "the next borrower does not see it either");
            }
        }

        @Test
        @DisplayName("uncommitted work is rolled back even when the borrower never closed its handle")
        void uncommittedWorkOfAnUnclosedHandleIsRolledBack() throws Exception {
            Connection first = borrow();
            first.setAutoCommit(false);
            first.createStatement().executeUpdate("INSERT INTO item VALUES (1)");

            mc.cleanup();

            assertEquals(0, db.count("item"));
        }

        @Test
        void committedWorkStays() throws Exception {
            Connection first = borrow();
            first.setAutoCommit(false);
            first.createStatement().executeUpdate("INSERT INTO item VALUES (1)");
            first.commit();
            first.createStatement().executeUpdate("INSERT INTO item VALUES (2)");
            giveBack(first);

            assertEquals(1, db.count("item"));
        }

        @Test
        void autoCommittedWorkStays() throws Exception {
            Connection first = borrow();
            first.createStatement().executeUpdate("INSERT INTO item VALUES (1)");
            giveBack(first);

            assertEquals(1, db.count("item"));
        }

        @Test
        void cleanupTwiceIsHarmless() throws Exception {
            Connection first = borrow();
            first.setAutoCommit(false);
            first.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            first.createStatement().executeUpdate("INSERT INTO item VALUES (1)");

            mc.cleanup();
            mc.cleanup();

            Connection next = borrow();
            assertTrue(next.getAutoCommit());
            assertEquals(Connection.TRANSACTION_READ_COMMITTED, next.getTransactionIsolation());
            next.createStatement().executeUpdate("INSERT INTO item VALUES (1)");
            assertEquals(1, db.count("item"));
        }

        @Test
        void destroyClosesThePhysicalConnection() throws Exception {
            Connection handle = borrow();
            JdbcConnection physical = handle.unwrap(JdbcConnection.class);
            assertEquals(1, factory.openConnections());

            mc.destroy();

            assertTrue(physical.isClosed());
            assertEquals(0, factory.openConnections());
        }

        @Test
        void destroyDiscardsUncommittedWork() throws Exception {
            Connection handle = borrow();
            handle.setAutoCommit(false);
            handle.createStatement().executeUpdate("INSERT INTO item VALUES (1)");

            mc.destroy();

            assertEquals(0, db.count("item"));
        }

        @Test
        @DisplayName("destroy twice, or cleanup after destroy, is harmless")
        void destroyTwiceIsHarmless() throws Exception {
            borrow();
            mc.destroy();

            mc.destroy();
            mc.cleanup();

            assertThrows(IllegalStateException.class, () -> mc.getConnection(null, null));
        }
    }

    /**
     * H2 accepts client info only in a compatibility mode: in its default mode {@code setClientInfo} throws
     * SQLClientInfoException ("not supported"), not SQLFeatureNotSupportedException. PostgreSQL mode takes
     * ApplicationName, as PostgreSQL does.
     */
    @Nested
    @DisplayName("with H2 in PostgreSQL mode")
    class ClientInfo {
        private TestDatabase pg;

        @BeforeEach
        void openPostgreSqlMode() throws SQLException {
            pg = TestDatabase.create(";MODE=PostgreSQL");
            factory = pg.factory();
        }

        @AfterEach
        void closePostgreSqlMode() throws Exception {
            if (mc != null) {
                mc.destroy();
                mc = null;
            }
            pg.close();
        }

        @Test
        void clientInfoChangedByABorrowerIsRestored() throws Exception {
            Connection first = borrow();
            String original = first.getClientInfo("ApplicationName");
            first.setClientInfo("ApplicationName", "borrower-1");
            assertEquals("borrower-1", first.getClientInfo("ApplicationName"));
            giveBack(first);

            assertEquals(original, borrow().getClientInfo("ApplicationName"));
        }
    }

    /**
     * H2 ignores read-only, catalog and network timeout and refuses a non-empty type map, so these run against a
     * physical connection that keeps them itself, as PostgreSQL's and MariaDB's drivers do, and that records calls.
     */
    @Nested
    @DisplayName("with a driver that honours every attribute")
    class RecordingDriver {
        private final List<String> calls = new ArrayList<>();

        @BeforeEach
        void openRecording() throws Exception {
            Connection real = DriverManager.getConnection(db.url());
            mc = ManagedConnections.over(factory, PhysicalFakes.recording(real, calls));
        }

        @Test
        void readOnlyChangedByABorrowerIsRestored() throws Exception {
            Connection first = borrow();
            first.setReadOnly(true);
            assertTrue(first.isReadOnly());
            giveBack(first);

            assertFalse(borrow().isReadOnly());
        }

        @Test
        void catalogChangedByABorrowerIsRestored() throws Exception {
            Connection first = borrow();
            first.setCatalog("OTHER_CATALOG");
            assertEquals("OTHER_CATALOG", first.getCatalog());
            giveBack(first);

            assertEquals("ORIGINAL_CATALOG", borrow().getCatalog());
        }

        @Test
        void typeMapChangedByABorrowerIsRestored() throws Exception {
            Connection first = borrow();
            first.setTypeMap(Map.of("MY_TYPE", String.class));
            assertEquals(Map.of("MY_TYPE", String.class), first.getTypeMap());
            giveBack(first);

            assertEquals(Map.of(), borrow().getTypeMap());
        }

        @Test
        @DisplayName("a borrower's network timeout goes back to the pool's own (NetworkTimeout, 300 s by default)")
        void networkTimeoutChangedByABorrowerIsRestored() throws Exception {
            Connection first = borrow();
            assertEquals(300_000, first.getNetworkTimeout(), "NetworkTimeout applied to the new connection");
            first.setNetworkTimeout(DIRECT, 5_000);
            assertEquals(5_000, first.getNetworkTimeout());
            giveBack(first);

            assertEquals(300_000, borrow().getNetworkTimeout());
        }

        @Test
        @DisplayName("cleanup after a borrower who changed nothing makes no call to the driver at all")
        void cleanupOfAnUntouchedConnectionMakesNoDriverCall() throws Exception {
            Connection first = borrow();
            try (Statement statement = first.createStatement()) {
                statement.executeQuery("SELECT 1").close();
            }
            first.close();
            calls.clear();

            mc.cleanup();

            assertEquals(List.of(), calls);
        }

        @Test
        @DisplayName("cleanup resets only the attribute the borrower changed")
        void cleanupResetsOnlyWhatTheBorrowerChanged() throws Exception {
            Connection first = borrow();
            first.setReadOnly(true);
            first.close();
            calls.clear();

            mc.cleanup();

            assertEquals(List.of("setReadOnly"), calls);
        }

        @Test
        @DisplayName("after a transaction, cleanup rolls back, restores autocommit, then resets what changed")
        void cleanupAfterATransactionRollsBackThenResets() throws Exception {
            Connection first = borrow();
            first.setAutoCommit(false);
            first.setCatalog("OTHER_CATALOG");
            first.close();
            calls.clear();

            mc.cleanup();

            assertEquals(List.of("rollback", "setAutoCommit", "setCatalog"), calls);
        }

        @Test
        @DisplayName("an attribute's original value is read once per physical connection, not once per borrower")
        void originalValueIsReadOncePerConnection() throws Exception {
            for (int i = 0; i < 3; i++) {
                Connection handle = borrow();
                handle.setReadOnly(true);
                giveBack(handle);
            }

            assertEquals(1, calls.stream().filter("isReadOnly"::equals).count(), calls::toString);
        }

        @Test
        void secondCleanupMakesNoDriverCall() throws Exception {
            Connection first = borrow();
            first.setAutoCommit(false);
            first.setReadOnly(true);
            mc.cleanup();
            calls.clear();

            mc.cleanup();

            assertEquals(List.of(), calls);
        }
    }
}
