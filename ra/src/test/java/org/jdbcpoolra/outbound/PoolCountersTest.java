package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ManagedConnection;

import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The adapter's own counters, read the way an operator reads them: from the platform MBean server, under the pool's
 * name. Each test makes the adapter do one thing and checks that exactly that moved.
 */
@DisplayName("The adapter's counters in JMX")
class PoolCountersTest {
    private static final String POOL = "java:/jdbc/Counted";
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private TestDatabase db;
    private JdbcManagedConnectionFactory factory;
    private ObjectName name;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
        factory = db.factory();
        factory.setPoolName(POOL);
        name = new ObjectName("org.jdbcpoolra:type=PoolCounters,pool=" + ObjectName.quote(POOL));
    }

    @AfterEach
    void close() throws Exception {
        factory.closeAll();
        db.close();
    }

    private long counter(String attribute) throws Exception {
        return (Long) JMX.getAttribute(name, attribute);
    }

    private static void borrowAndReturn(ManagedConnection mc, String sql) throws Exception {
        Connection handle = (Connection) mc.getConnection(null, null);
        try (PreparedStatement statement = handle.prepareStatement(sql)) {
            statement.execute();
        }
        handle.close();
        mc.cleanup();
    }

    @Test
    @DisplayName("published under the pool's name once the pool is activated, and withdrawn when the adapter stops")
    void publishedWhileThePoolLives() throws Exception {
        factory.createManagedConnection(null, null);
        assertTrue(JMX.isRegistered(name));

        factory.closeAll();
        assertFalse(JMX.isRegistered(name));
    }

    @Test
    @DisplayName("physical connections opened, and the time they took")
    void opens() throws Exception {
        factory.createManagedConnection(null, null);
        factory.createManagedConnection(null, null);

        assertEquals(2, counter("ConnectionsOpened"));
        assertEquals(0, counter("OpenFailures"));
        assertTrue(counter("OpenMillis") >= 0);
    }

    @Test
    @DisplayName("an attempt to open a connection the database refuses is a failure, not an opening")
    void refusedOpenIsAFailure() throws Exception {
        db.close();
        db = TestDatabase.withUser("OWNER", "right-Pa55");
        factory = db.factory();
        factory.setPoolName(POOL);
        factory.setUser("OWNER");
        factory.setPassword("wrong-Pa55");

        assertThrows(ResourceException.class, () -> factory.createManagedConnection(null, null));
        assertEquals(0, counter("ConnectionsOpened"));
        assertEquals(1, counter("OpenFailures"));
    }

    @Test
    @DisplayName("a validation right after a good return is a bypass, one after the window asks the database")
    void validationBypassesAndRoundTrips() throws Exception {
        factory.setValidationBypassMillis("60000");
        ManagedConnection mc = factory.createManagedConnection(null, null);
        borrowAndReturn(mc, "SELECT 1");
        factory.getInvalidConnections(Set.of(mc));
        factory.getInvalidConnections(Set.of(mc));
        assertEquals(2, counter("ValidationBypasses"));
        assertEquals(0, counter("ValidationRoundTrips"));

        JdbcManagedConnectionFactory asking = db.factory();
        asking.setPoolName(POOL);
        asking.setValidationBypassMillis("0");
        ManagedConnection other = asking.createManagedConnection(null, null);
        asking.getInvalidConnections(Set.of(other));
        assertEquals(0, counter("ValidationRoundTrips"), "the first pool's counters");
        ObjectName second = new ObjectName(name + ",instance=2");
        assertEquals(1L, JMX.getAttribute(second, "ValidationRoundTrips"), "a second live pool of the same name");
        asking.closeAll();
        assertFalse(JMX.isRegistered(second), "withdrawn with its pool");
    }

    @Test
    @DisplayName("handles a borrower left open are counted when the server takes the connection back")
    void handlesClosedForTheApplication() throws Exception {
        ManagedConnection mc = factory.createManagedConnection(null, null);
        mc.getConnection(null, null);
        mc.getConnection(null, null);
        mc.cleanup();
        borrowAndReturn(mc, "SELECT 1");

        assertEquals(2, counter("HandlesClosedForApplication"));
    }

    @Test
    @DisplayName("statements served from the cache and those it had to prepare")
    void statementCacheHitsAndMisses() throws Exception {
        factory.setPreparedStatementCacheSize("4");
        ManagedConnection mc = factory.createManagedConnection(null, null);
        for (int i = 0; i < 3; i++) {
            borrowAndReturn(mc, "SELECT 1");
        }
        borrowAndReturn(mc, "SELECT 2");

        assertEquals(2, counter("StatementCacheHits"));
        assertEquals(2, counter("StatementCacheMisses"));
    }

    @Test
    @DisplayName("a physical connection renewed after MaxUses counts as retired by uses")
    void retirementByUses() throws Exception {
        factory.setMaxUses("2");
        JdbcManagedConnection mc = (JdbcManagedConnection) factory.createManagedConnection(null, null);
        borrowAndReturn(mc, "SELECT 1");
        borrowAndReturn(mc, "SELECT 1");
        mc.keepAlive(Long.MAX_VALUE);

        assertEquals(1, counter("RetiredByUses"));
        assertEquals(0, counter("RetiredByLifetime"));
    }

    @Test
    @DisplayName("a connection reported broken is counted under its SQLState")
    void fatalEvictionsBySqlState() throws Exception {
        ManagedConnection mc = factory.createManagedConnection(null, null);
        Connection handle = (Connection) mc.getConnection(null, null);
        db.execute("SHUTDOWN");
        assertThrows(SQLException.class, () -> handle.createStatement().execute("SELECT 1"));
        db = TestDatabase.create();

        TabularData evictions = (TabularData) JMX.getAttribute(name, "FatalEvictions");
        assertEquals(1, evictions.size(), evictions.toString());
        CompositeData row = (CompositeData) evictions.values().iterator().next();
        assertEquals(1L, row.get("value"), evictions.toString());
        String state = (String) row.get("key");
        assertTrue(state.startsWith("08") || state.startsWith("90"), state);
    }
}
