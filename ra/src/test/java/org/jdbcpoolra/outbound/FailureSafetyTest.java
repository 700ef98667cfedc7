package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.ObjectName;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;

import org.jdbcpoolra.JdbcResourceAdapter;
import org.jdbcpoolra.support.Script;
import org.jdbcpoolra.support.ScriptedDriver;
import org.jdbcpoolra.support.ServerBootstrap;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * When something throws where the adapter does not expect it (a driver's RuntimeException or Error, a failing close),
 * no connection stays claimed, no physical connection is left open that the pool forgot, and one failure never stops
 * the adapter's work for other connections or pools.
 */
@DisplayName("Failure safety")
class FailureSafetyTest {
    private TestDatabase db;
    private final List<JdbcResourceAdapter> adapters = new ArrayList<>();
    private final ServerBootstrap bootstrap = new ServerBootstrap();

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
    }

    @AfterEach
    void close() throws Exception {
        adapters.forEach(JdbcResourceAdapter::stop);
        bootstrap.close();
        db.close();
    }

    private JdbcResourceAdapter started() {
        JdbcResourceAdapter adapter = bootstrap.startedAdapter();
        adapters.add(adapter);
        return adapter;
    }

    private JdbcManagedConnectionFactory scripted(Script script) {
        JdbcManagedConnectionFactory factory = new JdbcManagedConnectionFactory();
        factory.setDriverClass(ScriptedDriver.class.getName());
        factory.setUrl(script.url());
        factory.setLoginTimeout("0");
        return factory;
    }


    private static final ConnectionManager NO_POOL = (factory, info) -> factory.createManagedConnection(null, info)
            .getConnection(null, info);

    @Test
    @DisplayName("A renewal that throws a RuntimeException leaves the connection to its next borrower and closes "
            + "the connection it had just opened")
    void renewalThatThrowsReleasesTheConnection() throws Exception {
        Script script = ScriptedDriver.script(db.url());
        JdbcManagedConnectionFactory factory = scripted(script);
        factory.setMaxLifetime("1");
        JdbcManagedConnection mc = (JdbcManagedConnection) factory.createManagedConnection(null, null);
        Thread.sleep(1100);
        script.on("getAutoCommit", (target, physical, name, args) -> {
            if (physical.id() == 2) {
                throw new IllegalStateException("a driver bug while preparing the new connection");
            }
        });

        try {
            mc.keepAlive(TimeUnit.MINUTES.toNanos(1));
        } catch (RuntimeException allowed) {
            // Whether the sweep sees it does not matter; what it leaves behind does.
        }

        CompletableFuture<Object> borrower = CompletableFuture.supplyAsync(() -> {
            try {
                return mc.getConnection(null, null);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(borrower.get(20, TimeUnit.SECONDS) instanceof Connection);
        assertEquals(List.of(1), script.open().stream().map(Script.Physical::id).toList(),
                "physical connections left open");
    }

    @Test
    @DisplayName("An Error in one pool's background work stops neither its next passes nor a pool activated later")
    void errorInBackgroundWorkDoesNotStopTheTimer() throws Exception {
        JdbcResourceAdapter adapter = started();
        Script failing = ScriptedDriver.script(db.url());
        AtomicInteger renewals = new AtomicInteger();
        failing.on("connect", (target, physical, name, args) -> {
            if (failing.opened() > 0) {
                renewals.incrementAndGet();
                throw new AssertionError("a driver bug opening the renewal");
            }
        });
        JdbcManagedConnectionFactory first = scripted(failing);
        first.setMaxLifetime("1");
        first.setKeepaliveSeconds("1");
        first.setResourceAdapter(adapter);
        first.createConnectionFactory(NO_POOL);
        first.createManagedConnection(null, null);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (renewals.get() < 2 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertTrue(renewals.get() >= 2, "the failing pool's background work ran " + renewals.get() + " times");

        Script healthy = ScriptedDriver.script(db.url());
        AtomicInteger checks = new AtomicInteger();
        healthy.on("isValid", (target, physical, name, args) -> checks.incrementAndGet());
        JdbcManagedConnectionFactory later = scripted(healthy);
        later.setKeepaliveSeconds("1");
        later.setResourceAdapter(adapter);
        later.createConnectionFactory(NO_POOL);
        later.createManagedConnection(null, null);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (checks.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(checks.get() > 0, "the later pool's idle connection was never checked");
    }

    @Test
    @DisplayName("Destroy closes the physical connection even when closing a statement the borrower left open "
            + "throws an Error")
    void destroyClosesThePhysicalConnectionWhateverThrows() throws Exception {
        Script script = ScriptedDriver.script(db.url());
        JdbcManagedConnectionFactory factory = scripted(script);
        JdbcManagedConnection mc = (JdbcManagedConnection) factory.createManagedConnection(null, null);
        Connection handle = (Connection) mc.getConnection(null, null);
        handle.createStatement();
        script.on("close", (target, physical, name, args) -> {
            if (target == Script.Target.STATEMENT) {
                throw new AssertionError("a driver bug closing a statement");
            }
        });

        try {
            mc.destroy();
        } catch (Throwable allowed) {
            // The Error may reach the server; the session must not stay open because of it.
        }

        assertEquals(List.of(), script.open(), "physical connections left open");
        assertEquals(0, factory.openConnections());
    }

    @Test
    @DisplayName("Stopping the adapter closes every pool's connections although rolling one back throws")
    void stopGoesOnPastAFailingConnection() throws Exception {
        JdbcResourceAdapter adapter = started();
        List<Script> scripts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Script script = ScriptedDriver.script(db.url());
            scripts.add(script);
            JdbcManagedConnectionFactory factory = scripted(script);
            factory.setPoolName("pool-" + i);
            factory.setResourceAdapter(adapter);
            for (int j = 0; j < 2; j++) {
                Connection handle = (Connection) factory.createManagedConnection(null, null).getConnection(null,
                        null);
                handle.setAutoCommit(false);
                handle.createStatement().execute("SELECT 1");
            }
            script.on("rollback", (target, physical, name, args) -> {
                throw new IllegalStateException("a driver bug rolling back");
            });
        }

        adapter.stop();

        for (Script script : scripts) {
            assertEquals(List.of(), script.open(), "physical connections left open");
        }
    }

    @Test
    @DisplayName("A RuntimeException while preparing a new connection fails its creation and closes it")
    void runtimeExceptionAfterOpenClosesTheConnection() throws Exception {
        Script script = ScriptedDriver.script(db.url());
        script.on("getAutoCommit", (target, physical, name, args) -> {
            throw new IllegalStateException("a driver bug");
        });
        JdbcManagedConnectionFactory factory = scripted(script);

        assertThrows(ResourceException.class, () -> factory.createManagedConnection(null, null));

        assertEquals(1, script.opened());
        assertEquals(List.of(), script.open(), "physical connections left open");
    }

    @Test
    @DisplayName("Two connection definitions configured alike stay two pools: both are closed on stop, both "
            + "publish their counters")
    void poolsConfiguredAlikeStayApart() throws Exception {
        JdbcResourceAdapter adapter = started();
        Script alike = ScriptedDriver.script(db.url(), "alike");
        List<JdbcManagedConnectionFactory> factories = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            JdbcManagedConnectionFactory factory = new JdbcManagedConnectionFactory();
            factory.setDriverClass(ScriptedDriver.class.getName());
            factory.setUrl("jdbc:scripted:alike");
            factory.setLoginTimeout("0");
            factory.setResourceAdapter(adapter);
            factories.add(factory);
        }
        for (JdbcManagedConnectionFactory factory : factories) {
            factory.createConnectionFactory(NO_POOL);
            ((Connection) factory.createManagedConnection(null, null).getConnection(null, null))
                    .createStatement().execute("SELECT 1");
        }
        assertEquals(2, ManagementFactory.getPlatformMBeanServer().queryNames(
                new ObjectName("org.jdbcpoolra:type=PoolCounters,pool=\"jdbc:scripted:alike\",*"), null).size(),
                "MBeans of the two pools");

        adapter.stop();

        assertEquals(List.of(), alike.open(), "physical connections left open");
    }
}
