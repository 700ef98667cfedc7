package org.jdbcpoolra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.Timer;
import java.util.concurrent.TimeUnit;

import jakarta.resource.NotSupportedException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ManagedConnection;

import org.h2.jdbc.JdbcConnection;
import org.jdbcpoolra.outbound.JdbcManagedConnectionFactory;
import org.jdbcpoolra.support.RecordingListener;
import org.jdbcpoolra.support.ServerBootstrap;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stopping the adapter is the safety net for connections the server failed to destroy. */
@DisplayName("JdbcResourceAdapter")
class JdbcResourceAdapterTest {
    private TestDatabase db;
    private final ServerBootstrap bootstrap = new ServerBootstrap();

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
    }

    @AfterEach
    void close() throws Exception {
        bootstrap.close();
        db.close();
    }

    @Test
    @DisplayName("stop closes the physical connections the server left open")
    void stopClosesConnectionsTheServerLeftOpen() throws Exception {
        JdbcResourceAdapter adapter = new JdbcResourceAdapter();
        adapter.start(bootstrap.context());
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

    @ParameterizedTest(name = "adapter started {0} the pool is activated")
    @ValueSource(strings = {"before", "after"})
    @DisplayName("with KeepaliveSeconds, the adapter's timer reports an idle connection that died to the server, "
            + "whether the server starts the adapter before activating the pool (Payara) or after (WildFly)")
    void keepaliveOnTheServersTimerReportsADeadIdleConnection(String order) throws Exception {
        JdbcResourceAdapter adapter = new JdbcResourceAdapter();
        if (order.equals("before")) {
            adapter.start(bootstrap.context());
        }
        try {
            JdbcManagedConnectionFactory factory = db.factory();
            factory.setKeepaliveSeconds("1");
            factory.setResourceAdapter(adapter);
            ManagedConnection idle = factory.createManagedConnection(null, null);
            if (order.equals("after")) {
                adapter.start(bootstrap.context());
            }
            Connection handle = (Connection) idle.getConnection(null, null);
            JdbcConnection physical = handle.unwrap(JdbcConnection.class);
            handle.close();
            idle.cleanup();
            RecordingListener listener = new RecordingListener();
            idle.addConnectionEventListener(listener);

            physical.close();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (listener.ofType(ConnectionEvent.CONNECTION_ERROR_OCCURRED).isEmpty()
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(List.of("CONNECTION_ERROR_OCCURRED"), listener.types());
        } finally {
            adapter.stop();
        }
    }

    /** What a server gives the adapter at start; only the timer is used. */
    @Test
    void thereIsNoInboundSide() {
        assertThrows(NotSupportedException.class, () -> new JdbcResourceAdapter().endpointActivation(null, null));
        assertEquals(0, new JdbcResourceAdapter().getXAResources(null).length);
    }
}
