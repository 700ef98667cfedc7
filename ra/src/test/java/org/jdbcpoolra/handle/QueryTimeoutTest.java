package org.jdbcpoolra.handle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import jakarta.resource.spi.ManagedConnection;

import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** QueryTimeout is the default of every statement a borrower creates, and only a default. */
@DisplayName("Default query timeout")
class QueryTimeoutTest {
    private TestDatabase db;
    private ManagedConnection mc;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
    }

    @AfterEach
    void close() throws Exception {
        if (mc != null) {
            mc.destroy();
        }
        db.close();
    }

    private Connection borrow(String queryTimeout) throws Exception {
        var factory = db.factory();
        if (queryTimeout != null) {
            factory.setQueryTimeout(queryTimeout);
        }
        mc = factory.createManagedConnection(null, null);
        return (Connection) mc.getConnection(null, null);
    }

    @Test
    @DisplayName("Every kind of statement starts with the configured timeout")
    void everyStatementKindGetsTheDefault() throws Exception {
        Connection c = borrow("7");
        try (Statement plain = c.createStatement();
                Statement scrollable = c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY);
                Statement prepared = c.prepareStatement("SELECT 1");
                Statement keys = c.prepareStatement("SELECT 1", Statement.RETURN_GENERATED_KEYS);
                Statement call = c.prepareCall("CALL 1")) {
            for (Statement s : new Statement[] {plain, scrollable, prepared, keys, call}) {
                assertEquals(7, s.getQueryTimeout());
            }
        }
    }

    @Test
    @DisplayName("A borrower may still set its own timeout on a statement")
    void borrowerMayOverride() throws Exception {
        Connection c = borrow("7");
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            assertEquals(2, s.getQueryTimeout());
        }
    }

    @Test
    @DisplayName("Unset means the driver's default: no timeout")
    void unsetMeansNoTimeout() throws Exception {
        Connection c = borrow(null);
        try (Statement s = c.createStatement()) {
            assertEquals(0, s.getQueryTimeout());
        }
    }
}
