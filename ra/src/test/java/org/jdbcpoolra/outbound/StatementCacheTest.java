package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.h2.jdbc.JdbcPreparedStatement;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * PreparedStatementCacheSize keeps prepared statements open on the physical connection between borrowers: the next
 * borrower who prepares the same SQL gets the same driver statement, clean, and never one someone else holds.
 */
@DisplayName("Prepared statement cache")
class StatementCacheTest {
    private static final String SELECT = "SELECT id FROM item WHERE id > ?";

    private TestDatabase db;
    private JdbcManagedConnectionFactory factory;
    private JdbcManagedConnection mc;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE item(id INT PRIMARY KEY)");
        db.execute("INSERT INTO item VALUES (1), (2), (3)");
        db.execute("CREATE SCHEMA other");
        db.execute("CREATE TABLE other.item(id INT PRIMARY KEY)");
        factory = db.factory();
        factory.setPreparedStatementCacheSize("2");
        factory.setQueryTimeout("9");
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

    private void giveBack(Connection handle) throws Exception {
        handle.close();
        mc.cleanup();
    }

    private static JdbcPreparedStatement physical(PreparedStatement handle) throws SQLException {
        return handle.unwrap(JdbcPreparedStatement.class);
    }

    private static int count(PreparedStatement ps) throws SQLException {
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows++;
            }
        }
        return rows;
    }

    @Test
    @DisplayName("The next borrower preparing the same SQL gets the same driver statement")
    void sameSqlReusesTheDriverStatement() throws Exception {
        Connection first = borrow();
        PreparedStatement ps = first.prepareStatement(SELECT);
        JdbcPreparedStatement driver = physical(ps);
        ps.close();
        giveBack(first);

        PreparedStatement again = borrow().prepareStatement(SELECT);
        assertSame(driver, physical(again));
        assertFalse(driver.isClosed());
        assertTrue(ps.isClosed(), "the first borrower's handle stays closed");
    }

    @Test
    @DisplayName("What a borrower set is reset: parameters, max rows, fetch size, query timeout, batch, warnings")
    void reusedStatementIsClean() throws Exception {
        Connection first = borrow();
        PreparedStatement ps = first.prepareStatement(SELECT);
        ps.setInt(1, 1);
        ps.setFetchSize(7);
        ps.setMaxRows(1);
        ps.setQueryTimeout(3);
        ps.addBatch();
        assertEquals(1, count(ps));
        ps.close();
        giveBack(first);

        PreparedStatement again = borrow().prepareStatement(SELECT);
        assertEquals(0, again.getMaxRows());
        assertEquals(9, again.getQueryTimeout(), "the pool's QueryTimeout, not the borrower's");
        assertEquals(0, physical(again).executeBatch().length, "the batch was cleared");
        assertNull(again.getWarnings());
        SQLException unset = assertThrows(SQLException.class, again::executeQuery);
        assertEquals("90012", unset.getSQLState(), "the parameter was cleared: " + unset.getMessage());
        again.setInt(1, 0);
        assertEquals(3, count(again), "no row limit left over");
    }

    @Test
    @DisplayName("A statement still open is never handed out a second time")
    void openStatementIsNotSharedWithinABorrow() throws Exception {
        Connection c = borrow();
        PreparedStatement one = c.prepareStatement(SELECT);
        PreparedStatement two = c.prepareStatement(SELECT);
        assertNotSame(physical(one), physical(two));
        one.setInt(1, 2);
        two.setInt(1, 0);
        assertEquals(1, count(one));
        assertEquals(3, count(two));
    }

    @Test
    @DisplayName("Beyond the size, the least recently used statement is closed")
    void leastRecentlyUsedIsClosedBeyondTheSize() throws Exception {
        Connection c = borrow();
        JdbcPreparedStatement oldest = null;
        for (String sql : new String[] {"SELECT 1", "SELECT 2", "SELECT 3"}) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (oldest == null) {
                    oldest = physical(ps);
                }
            }
        }
        assertTrue(oldest.isClosed());
        assertEquals(2, mc.statementCache().size());
    }

    @Test
    @DisplayName("A statement left open by its borrower goes back to the cache when the connection is cleaned up")
    void leftOpenStatementReturnsOnCleanup() throws Exception {
        Connection first = borrow();
        PreparedStatement forgotten = first.prepareStatement(SELECT);
        forgotten.setInt(1, 1);
        JdbcPreparedStatement driver = physical(forgotten);
        giveBack(first);

        PreparedStatement again = borrow().prepareStatement(SELECT);
        assertSame(driver, physical(again));
        assertThrows(SQLException.class, again::executeQuery, "its parameter was cleared");
    }

    @Test
    @DisplayName("closeOnCompletion and cursor names cannot be undone: such a statement is closed, not kept")
    void irreversibleSettingsAreNotKept() throws Exception {
        Connection c = borrow();
        PreparedStatement ps = c.prepareStatement(SELECT);
        JdbcPreparedStatement driver = physical(ps);
        ps.closeOnCompletion();
        ps.close();
        assertTrue(driver.isClosed());
        assertNotSame(driver, physical(c.prepareStatement(SELECT)));
    }

    @Test
    @DisplayName("After a schema change no statement prepared before is reused, nor one prepared during it")
    void schemaChangeForgetsTheCache() throws Exception {
        Connection first = borrow();
        PreparedStatement before = first.prepareStatement("SELECT COUNT(*) FROM item");
        JdbcPreparedStatement driverBefore = physical(before);
        before.close();
        first.setSchema("OTHER");
        assertTrue(driverBefore.isClosed());
        PreparedStatement during = first.prepareStatement("SELECT COUNT(*) FROM item");
        assertEquals(0, countOf(during), "other.item is empty");
        during.close();
        giveBack(first);

        PreparedStatement after = borrow().prepareStatement("SELECT COUNT(*) FROM item");
        assertEquals(3, countOf(after), "the default schema's item again");
    }

    private static int countOf(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    @DisplayName("Off by default: a closed statement is closed in the driver")
    void offByDefault() throws Exception {
        factory = db.factory();
        Connection c = borrow();
        PreparedStatement ps = c.prepareStatement(SELECT);
        JdbcPreparedStatement driver = physical(ps);
        ps.close();
        assertTrue(driver.isClosed());
    }

    @Test
    @DisplayName("Destroying the connection closes the cached statements")
    void destroyClosesTheCache() throws Exception {
        Connection c = borrow();
        PreparedStatement ps = c.prepareStatement(SELECT);
        JdbcPreparedStatement driver = physical(ps);
        ps.close();
        mc.destroy();
        mc = null;
        assertTrue(driver.isClosed());
    }
}
