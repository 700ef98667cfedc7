package org.jdbcpoolra.handle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import jakarta.resource.spi.ManagedConnection;

import org.h2.jdbc.JdbcResultSet;
import org.h2.jdbc.JdbcStatement;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Borrowers forget to close statements and result sets. The handles close them with their owner, on the physical
 * connection too, so a pooled connection does not accumulate cursors across borrowers. Physical objects are reached
 * with {@code unwrap} before closing, to see what the driver sees.
 */
@DisplayName("Statements and result sets left open")
class LeftoverResourcesTest {
    private TestDatabase db;
    private ManagedConnection mc;
    private Connection connection;

    @BeforeEach
    void borrow() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE item(id INT PRIMARY KEY)");
        db.execute("INSERT INTO item VALUES (1), (2), (3)");
        mc = db.factory().createManagedConnection(null, null);
        connection = (Connection) mc.getConnection(null, null);
    }

    @AfterEach
    void giveBack() throws Exception {
        mc.destroy();
        db.close();
    }

    @Test
    void closingTheConnectionHandleClosesPhysicalStatementsAndResultSetsLeftOpen() throws SQLException {
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT id FROM item");
        PreparedStatement prepared = connection.prepareStatement("SELECT id FROM item WHERE id = ?");
        prepared.setInt(1, 2);
        ResultSet preparedRs = prepared.executeQuery();
        JdbcStatement physicalStatement = statement.unwrap(JdbcStatement.class);
        JdbcStatement physicalPrepared = prepared.unwrap(JdbcStatement.class);
        JdbcResultSet physicalRs = rs.unwrap(JdbcResultSet.class);
        JdbcResultSet physicalPreparedRs = preparedRs.unwrap(JdbcResultSet.class);
        assertFalse(physicalStatement.isClosed() || physicalPrepared.isClosed() || physicalRs.isClosed()
                || physicalPreparedRs.isClosed());

        connection.close();

        assertTrue(physicalStatement.isClosed(), "physical statement");
        assertTrue(physicalPrepared.isClosed(), "physical prepared statement");
        assertTrue(physicalRs.isClosed(), "physical result set");
        assertTrue(physicalPreparedRs.isClosed(), "physical result set of the prepared statement");
        assertTrue(statement.isClosed() && prepared.isClosed() && rs.isClosed() && preparedRs.isClosed());
    }

    @Test
    void closingTheConnectionHandleClosesResultSetsOfItsMetaData() throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        ResultSet tables = metaData.getTables(null, null, "%", null);
        JdbcResultSet physicalTables = tables.unwrap(JdbcResultSet.class);

        connection.close();

        assertTrue(physicalTables.isClosed());
        assertTrue(tables.isClosed());
    }

    @Test
    @DisplayName("statements closed by the application in any order leave the others tracked")
    void statementsClosedInAnyOrderLeaveTheOthersTracked() throws SQLException {
        List<Statement> statements = List.of(connection.createStatement(), connection.createStatement(),
                connection.createStatement(), connection.createStatement(), connection.createStatement());
        List<JdbcStatement> physical = statements.stream().map(LeftoverResourcesTest::physical).toList();

        statements.get(2).close();   // a middle one
        statements.get(4).close();   // the newest, head of the list
        statements.get(0).close();   // the oldest, tail of the list
        assertTrue(physical.get(2).isClosed() && physical.get(4).isClosed() && physical.get(0).isClosed());
        assertFalse(physical.get(1).isClosed() || physical.get(3).isClosed());

        connection.close();

        assertTrue(physical.get(1).isClosed(), "left open, closed with the connection");
        assertTrue(physical.get(3).isClosed(), "left open, closed with the connection");
    }

    @Test
    void closingAStatementClosesItsResultSets() throws SQLException {
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT id FROM item");
        JdbcResultSet physicalRs = rs.unwrap(JdbcResultSet.class);

        statement.close();

        assertTrue(rs.isClosed());
        assertTrue(physicalRs.isClosed());
    }

    @Test
    void executingAgainClosesThePreviousResultSetHandle() throws SQLException {
        Statement statement = connection.createStatement();
        ResultSet first = statement.executeQuery("SELECT id FROM item ORDER BY id");
        JdbcResultSet firstPhysical = first.unwrap(JdbcResultSet.class);

        ResultSet second = statement.executeQuery("SELECT id FROM item ORDER BY id DESC");

        assertTrue(first.isClosed());
        assertTrue(firstPhysical.isClosed());
        assertThrows(ClosedHandleException.class, first::next);
        assertTrue(second.next());
        assertEquals(3, second.getInt(1));
    }

    @Test
    void executingAnUpdateClosesThePreviousResultSetHandle() throws SQLException {
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT id FROM item");

        statement.executeUpdate("UPDATE item SET id = id");

        assertTrue(rs.isClosed());
    }

    @Test
    void executingAPreparedStatementAgainClosesThePreviousResultSetHandle() throws SQLException {
        PreparedStatement prepared = connection.prepareStatement("SELECT id FROM item WHERE id = ?");
        prepared.setInt(1, 1);
        ResultSet first = prepared.executeQuery();
        prepared.setInt(1, 2);

        ResultSet second = prepared.executeQuery();

        assertTrue(first.isClosed());
        assertThrows(ClosedHandleException.class, () -> first.getInt(1));
        assertTrue(second.next());
        assertEquals(2, second.getInt(1));
    }

    @Test
    @DisplayName("a metadata result set closed by the application leaves its siblings tracked")
    void metaDataResultSetClosedByTheApplicationLeavesSiblingsTracked() throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        ResultSet tables = metaData.getTables(null, null, "%", null);
        ResultSet schemas = metaData.getSchemas();
        ResultSet catalogs = metaData.getCatalogs();
        JdbcResultSet physicalTables = tables.unwrap(JdbcResultSet.class);
        JdbcResultSet physicalCatalogs = catalogs.unwrap(JdbcResultSet.class);

        schemas.close();
        connection.close();

        assertTrue(physicalTables.isClosed());
        assertTrue(physicalCatalogs.isClosed());
    }

    @Test
    @DisplayName("the connection's other statements keep working when one statement closes")
    void closingOneStatementDoesNotDisturbTheOthers() throws SQLException {
        Statement kept = connection.createStatement();
        ResultSet rs = kept.executeQuery("SELECT id FROM item ORDER BY id");
        connection.createStatement().close();

        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
        assertFalse(kept.isClosed());
    }

    private static JdbcStatement physical(Statement statement) {
        try {
            return statement.unwrap(JdbcStatement.class);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
