package org.jdbcpoolra.handle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import jakarta.resource.spi.ManagedConnection;

import org.h2.jdbc.JdbcConnection;
import org.h2.jdbc.JdbcDatabaseMetaData;
import org.h2.jdbc.JdbcResultSet;
import org.h2.jdbc.JdbcStatement;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An application that navigates back from a statement, result set or metadata must land on a handle: holding the
 * physical connection would let it outlive the borrow. Only an explicit {@code unwrap} to a vendor type reaches it.
 */
@DisplayName("Handles never leak the physical objects")
class HandleIdentityTest {
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

    @Test
    void statementsReturnTheConnectionHandle() throws SQLException {
        Statement statement = connection.createStatement();
        PreparedStatement prepared = connection.prepareStatement("SELECT 1");
        CallableStatement callable = connection.prepareCall("SELECT 1");
        Statement scrollable = connection.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE,
                ResultSet.CONCUR_READ_ONLY, ResultSet.HOLD_CURSORS_OVER_COMMIT);

        assertSame(connection, statement.getConnection());
        assertSame(connection, prepared.getConnection());
        assertSame(connection, callable.getConnection());
        assertSame(connection, scrollable.getConnection());
    }

    @Test
    void metaDataReturnsTheConnectionHandle() throws SQLException {
        assertSame(connection, connection.getMetaData().getConnection());
    }

    @Test
    void repeatedGetMetaDataReusesOneHandleUntilTheConnectionCloses() throws SQLException {
        DatabaseMetaData first = connection.getMetaData();
        assertSame(first, connection.getMetaData());
        connection.close();
        assertThrows(SQLException.class, () -> first.getTables(null, null, "%", null));
    }

    @Test
    void resultSetsReturnTheStatementHandleTheyCameFrom() throws SQLException {
        Statement statement = connection.createStatement();
        PreparedStatement prepared = connection.prepareStatement("SELECT 1");
        CallableStatement callable = connection.prepareCall("SELECT 1");

        assertSame(statement, statement.executeQuery("SELECT 1").getStatement());
        assertTrue(statement.execute("SELECT 1"));
        assertSame(statement, statement.getResultSet().getStatement());
        assertSame(prepared, prepared.executeQuery().getStatement());
        assertSame(callable, callable.executeQuery().getStatement());
    }

    @Test
    void generatedKeysComeFromTheStatementHandle() throws SQLException {
        connection.createStatement().execute("CREATE TABLE item(id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20))");
        PreparedStatement insert = connection.prepareStatement("INSERT INTO item(name) VALUES ('a')",
                Statement.RETURN_GENERATED_KEYS);
        insert.executeUpdate();

        ResultSet keys = insert.getGeneratedKeys();

        assertInstanceOf(ResultSetHandle.class, keys);
        assertSame(insert, keys.getStatement());
    }

    @Test
    @DisplayName("metadata result sets have no statement, rather than the driver's internal one")
    void metaDataResultSetsHaveNoStatement() throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        ResultSet tables = metaData.getTables(null, null, "%", null);
        ResultSet schemas = metaData.getSchemas();

        assertInstanceOf(ResultSetHandle.class, tables);
        assertNull(tables.getStatement());
        assertNull(schemas.getStatement());
    }

    @Test
    void unwrapToAJdbcInterfaceReturnsTheHandle() throws SQLException {
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT 1");
        DatabaseMetaData metaData = connection.getMetaData();

        assertSame(connection, connection.unwrap(Connection.class));
        assertSame(statement, statement.unwrap(Statement.class));
        assertSame(rs, rs.unwrap(ResultSet.class));
        assertSame(metaData, metaData.unwrap(DatabaseMetaData.class));
    }

    @Test
    @DisplayName("unwrap to a vendor class reaches the driver's object, on request only")
    void unwrapToAVendorClassReachesTheDriverObject() throws SQLException {
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT 1");

        JdbcConnection physical = connection.unwrap(JdbcConnection.class);

        assertSame(JdbcConnection.class, physical.getClass());
        assertInstanceOf(JdbcStatement.class, statement.unwrap(JdbcStatement.class));
        assertInstanceOf(JdbcResultSet.class, rs.unwrap(JdbcResultSet.class));
        assertInstanceOf(JdbcDatabaseMetaData.class, connection.getMetaData().unwrap(JdbcDatabaseMetaData.class));
        assertSame(physical, statement.unwrap(JdbcStatement.class).getConnection(),
                "the vendor statement belongs to the same physical connection");
    }

    @Test
    void unwrapToAnUnrelatedClassFails() {
        assertThrows(SQLException.class, () -> connection.unwrap(String.class));
    }

    @Test
    void isWrapperForAnswersForTheHandleAndTheDriver() throws SQLException {
        Statement statement = connection.createStatement();

        assertTrue(connection.isWrapperFor(Connection.class));
        assertTrue(connection.isWrapperFor(ConnectionHandle.class));
        assertTrue(connection.isWrapperFor(JdbcConnection.class));
        assertFalse(connection.isWrapperFor(String.class));
        assertTrue(statement.isWrapperFor(JdbcStatement.class));
        assertFalse(statement.isWrapperFor(JdbcResultSet.class));
        assertTrue(connection.getMetaData().isWrapperFor(JdbcDatabaseMetaData.class));
    }
}
