package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;

import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ResourceAllocationException;

import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("InitSql")
class InitSqlTest {
    private static final String PASSWORD = "init-Secret-77";

    private TestDatabase db;
    private JdbcManagedConnectionFactory factory;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.withUser("INIT", PASSWORD);
        db.execute("CREATE TABLE init_rows (n INT)");
        db.execute("CREATE SCHEMA app");
        factory = db.factory();
        factory.setUser("INIT");
        factory.setPassword(PASSWORD);
    }

    @AfterEach
    void close() throws Exception {
        factory.closeAll();
        db.close();
    }

    @Test
    @DisplayName("runs its statements once on every new physical connection, in order")
    void statementsRunOncePerPhysicalConnection() throws Exception {
        factory.setInitSql("INSERT INTO init_rows VALUES (1); INSERT INTO init_rows VALUES (2)");

        ManagedConnection first = factory.createManagedConnection(null, null);
        factory.createManagedConnection(null, null);
        Connection handle = (Connection) first.getConnection(null, null);
        handle.close();
        first.cleanup();

        assertEquals(4, db.count("init_rows"), "two statements on each of two connections, none on a borrow");
    }

    @Test
    @DisplayName("what it sets is the connection's own state: a borrower's change is reset back to it")
    void resetReturnsToWhatInitSqlSet() throws Exception {
        factory.setInitSql("SET SCHEMA app");
        ManagedConnection mc = factory.createManagedConnection(null, null);

        Connection borrower = (Connection) mc.getConnection(null, null);
        assertEquals("APP", borrower.getSchema());
        borrower.setSchema("PUBLIC");
        borrower.close();
        mc.cleanup();

        Connection next = (Connection) mc.getConnection(null, null);
        assertEquals("APP", next.getSchema());
    }

    @Test
    @DisplayName("a failing statement fails the connection's creation, naming InitSql and never the password")
    void failingStatementFailsTheCreation() throws Exception {
        factory.setInitSql("INSERT INTO init_rows VALUES (1); SELEKT 1");

        ResourceAllocationException e = assertThrows(ResourceAllocationException.class,
                () -> factory.createManagedConnection(null, null));

        assertTrue(e.getMessage().contains("InitSql failed at statement 2 of 2 (SELEKT ...)"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        assertEquals(1, db.count("init_rows"), "H2 commits each statement of the failed connection on its own");
    }

    @Test
    @DisplayName("a failing statement's text and literals stay out of the message: InitSql may hold a key")
    void failingStatementIsNotQuoted() throws Exception {
        factory.setInitSql("SELEKT 'k3y-Secret-77' AS key");

        ResourceAllocationException e = assertThrows(ResourceAllocationException.class,
                () -> factory.createManagedConnection(null, null));

        assertTrue(e.getMessage().contains("InitSql failed at statement 1 of 1 (SELEKT ...)"), e.getMessage());
        assertFalse(e.getMessage().contains("k3y-Secret-77"), e.getMessage());
    }
}
