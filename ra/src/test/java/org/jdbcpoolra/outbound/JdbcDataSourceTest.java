package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAllocationException;

import org.jdbcpoolra.handle.ConnectionHandle;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The DataSource applications look up: it asks the server's connection manager for every connection and turns a
 * refusal into one SQLException that says why. The connection manager here is the smallest one possible: no pool.
 */
@DisplayName("JdbcDataSource")
class JdbcDataSourceTest {
    private static final String PASSWORD = "s3cr3t-Pa55";

    private TestDatabase db;
    private JdbcManagedConnectionFactory factory;
    private final List<ConnectionRequestInfo> requests = new ArrayList<>();
    private final List<ManagedConnection> opened = new ArrayList<>();

    /** Opens a managed connection per request, as a server with an empty pool would. */
    private final ConnectionManager unpooled = (ManagedConnectionFactory mcf, ConnectionRequestInfo info) -> {
        requests.add(info);
        ManagedConnection mc = mcf.createManagedConnection(null, info);
        opened.add(mc);
        return mc.getConnection(null, info);
    };

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.withUser("OWNER", "right-Pa55");
        factory = db.factory();
        factory.setUser("OWNER");
        factory.setPassword("right-Pa55");
    }

    @AfterEach
    void close() throws Exception {
        for (ManagedConnection mc : opened) {
            mc.destroy();
        }
        db.close();
    }

    @Test
    void getConnectionReturnsAHandleFromTheConnectionManager() throws Exception {
        DataSource dataSource = (DataSource) factory.createConnectionFactory(unpooled);

        Connection connection = dataSource.getConnection();

        assertInstanceOf(ConnectionHandle.class, connection);
        assertEquals(1, requests.size());
        assertEquals(null, requests.get(0), "no request info: the configured credentials apply");
        assertEquals("OWNER", connection.getMetaData().getUserName());
    }

    @Test
    void getConnectionWithCredentialsPassesThemToTheServer() throws Exception {
        // ADMIN because H2 lets only administrators connect with DB_CLOSE_DELAY in the URL.
        db.execute("CREATE USER OTHER PASSWORD 'other-Pa55' ADMIN");
        DataSource dataSource = (DataSource) factory.createConnectionFactory(unpooled);

        Connection connection = dataSource.getConnection("OTHER", "other-Pa55");

        assertEquals(new JdbcConnectionRequestInfo("OTHER", "other-Pa55"), requests.get(0));
        assertEquals("OTHER", connection.getMetaData().getUserName());
    }

    @Test
    @DisplayName("a failed login reaches the application as an SQLException with the driver's SQLState, no password")
    void failedLoginBecomesAnSqlException() throws Exception {
        DataSource dataSource = (DataSource) factory.createConnectionFactory(unpooled);

        SQLException e = assertThrows(SQLException.class, () -> dataSource.getConnection("OWNER", PASSWORD));

        assertEquals("28000", e.getSQLState());
        assertTrue(e.getMessage().contains("could not get a connection"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        assertInstanceOf(ResourceException.class, e.getCause());
    }

    @Test
    @DisplayName("a refusal by the server without a database cause is a transient connection failure")
    void serverRefusalIsATransientConnectionFailure() throws Exception {
        ConnectionManager exhausted = (mcf, info) -> {
            throw new ResourceAllocationException("pool exhausted: timed out after 5000 ms");
        };
        DataSource dataSource = (DataSource) factory.createConnectionFactory(exhausted);

        SQLException e = assertThrows(SQLException.class, dataSource::getConnection);

        assertInstanceOf(SQLTransientConnectionException.class, e);
        assertTrue(e.getMessage().contains("pool exhausted"), e.getMessage());
        assertEquals("08001", e.getSQLState());
    }

    @Test
    void unwrapReachesOnlyTheDataSourceItself() throws Exception {
        DataSource dataSource = (DataSource) factory.createConnectionFactory(unpooled);

        assertSame(dataSource, dataSource.unwrap(DataSource.class));
        assertTrue(dataSource.isWrapperFor(JdbcDataSource.class));
        assertThrows(SQLException.class, () -> dataSource.unwrap(ManagedConnectionFactory.class));
    }
}
