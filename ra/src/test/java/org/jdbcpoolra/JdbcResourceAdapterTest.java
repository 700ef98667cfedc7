package org.jdbcpoolra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;

import jakarta.resource.NotSupportedException;
import jakarta.resource.spi.ManagedConnection;

import org.h2.jdbc.JdbcConnection;
import org.jdbcpoolra.outbound.JdbcManagedConnectionFactory;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Stopping the adapter is the safety net for connections the server failed to destroy. */
@DisplayName("JdbcResourceAdapter")
class JdbcResourceAdapterTest {
    private TestDatabase db;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    @DisplayName("stop closes the physical connections the server left open")
    void stopClosesConnectionsTheServerLeftOpen() throws Exception {
        JdbcResourceAdapter adapter = new JdbcResourceAdapter();
        adapter.start(null);
        JdbcManagedConnectionFactory factory = db.factory();
        factory.setResourceAdapter(adapter);
        ManagedConnection leftOpen = factory.createManagedConnection(null, null);
        JdbcConnection physical = ((Connection) leftOpen.getConnection(null, null)).unwrap(JdbcConnection.class);
        factory.createManagedConnection(null, null).destroy();
        assertEquals(1, factory.openConnections());

        adapter.stop();

        assertTrue(physical.isClosed());
        assertEquals(0, factory.openConnections());
    }

    @Test
    void thereIsNoInboundSide() {
        assertThrows(NotSupportedException.class, () -> new JdbcResourceAdapter().endpointActivation(null, null));
        assertEquals(0, new JdbcResourceAdapter().getXAResources(null).length);
    }
}
