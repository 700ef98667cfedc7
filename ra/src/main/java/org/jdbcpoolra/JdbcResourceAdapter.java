package org.jdbcpoolra;

import java.beans.Introspector;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Timer;
import java.util.TimerTask;
import java.util.Collections;
import java.util.Enumeration;
import java.util.IdentityHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.transaction.xa.XAResource;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import org.jdbcpoolra.outbound.FactoryRegistry;
import org.jdbcpoolra.outbound.JdbcManagedConnectionFactory;

/**
 * The adapter's lifecycle. Outbound only; beyond start/stop it keeps the safety net on stop (physical connections
 * the server failed to destroy are closed, so an undeploy never leaves database sessions behind) and the server's
 * timer on which connection definitions run their keepalive checks (no thread of our own in a managed server).
 */
@Connector(
        displayName = "jdbc-pool-ra",
        description = "Turns any JDBC driver into a connection pool managed by the Jakarta EE server",
        vendorName = "jdbc-pool-ra",
        eisType = "JDBC database",
        version = "0.1",
        transactionSupport = TransactionSupport.TransactionSupportLevel.XATransaction,
        reauthenticationSupport = false)
public class JdbcResourceAdapter implements ResourceAdapter, FactoryRegistry {
    private static final Logger LOG = Logger.getLogger("org.jdbcpoolra");
    /** How long a thread group's flush of what java.beans read may take; it runs no code of anyone else's. */
    private static final long FLUSH_MILLIS = 1000;

    /**
     * By identity: two connection definitions configured alike are equal factories (JCA ties equals to the
     * properties) but two pools, and both must be closed on stop.
     */
    private final Set<JdbcManagedConnectionFactory> factories =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private volatile Timer timer;
    /** Background work of connection definitions activated before the server started the adapter. */
    private final List<Pending> pending = new ArrayList<>();
    private boolean started;

    private record Pending(Runnable task, long periodMillis) {
    }

    @Override
    public void register(JdbcManagedConnectionFactory factory) {
        factories.add(factory);
    }

    @Override
    public synchronized boolean repeat(Runnable task, long periodMillis) {
        if (!started) {
            pending.add(new Pending(task, periodMillis));
            return true;
        }
        if (timer == null) {
            return false;
        }
        try {
            schedule(timer, task, periodMillis);
            return true;
        } catch (IllegalStateException cancelled) {
            LOG.warning("jdbc-pool-ra: the server's timer was cancelled; background work cannot be scheduled");
            return false;
        }
    }

    @Override
    public void soon(Runnable task) {
        Timer t = timer;
        if (t == null) {
            return;
        }
        try {
            t.schedule(guarded(task), 0);
        } catch (IllegalStateException cancelled) {
            // The adapter is stopping: the pool's connections are closing, nothing is left to renew.
        }
    }

    private static void schedule(Timer timer, Runnable task, long periodMillis) {
        timer.schedule(guarded(task), periodMillis, periodMillis);
    }

    private static TimerTask guarded(Runnable task) {
        return new TimerTask() {
            @Override
            public void run() {
                try {
                    task.run();
                } catch (Throwable t) {
                    // A task that throws would cancel the timer, and with it every other pool's checks; the
                    // exception's message may quote a driver's, so only its class is logged.
                    LOG.log(Level.WARNING, () -> "jdbc-pool-ra: a background task failed: " + t.getClass().getName());
                }
            }
        };
    }

    @Override
    public synchronized void start(BootstrapContext context) {
        try {
            timer = context.createTimer();
            for (Pending p : pending) {
                schedule(timer, p.task(), p.periodMillis());
            }
        } catch (UnavailableException e) {
            LOG.warning("jdbc-pool-ra: the server offers no timer, so KeepaliveSeconds has no effect: "
                    + e.getMessage());
        }
        pending.clear();
        started = true;
        LOG.fine("jdbc-pool-ra: started");
    }

    @Override
    public void stop() {
        Timer t;
        synchronized (this) {
            t = timer;
            timer = null;
            started = false;
            pending.clear();
        }
        if (t != null) {
            t.cancel();
        }
        List<JdbcManagedConnectionFactory> stopping;
        synchronized (factories) {
            stopping = new ArrayList<>(factories);
            factories.clear();
        }
        for (JdbcManagedConnectionFactory factory : stopping) {
            try {
                factory.closeAll();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, () -> "jdbc-pool-ra: closing a pool's connections failed: " + e);
            }
        }
        // What the JVM keeps of a deployment in registries of its own would keep this class loader, and everything
        // it loaded, alive after an undeploy; each was seen in a heap dump of Open Liberty after RedeployIT's cycles.
        // The code lives in this class: Open Liberty deletes the RAR's extracted JARs before it stops the adapter, so
        // a class that stop() is the first to need cannot be loaded then (CWWKL0002E).
        deregisterOwnDrivers();
        forgetIntrospection(JdbcResourceAdapter.class, JdbcManagedConnectionFactory.class);
        LOG.fine("jdbc-pool-ra: stopped");
    }

    /**
     * JDBC drivers register themselves in {@link DriverManager} when their class loads (H2, bundled in the RAR, does
     * when the adapter looks for the driver that accepts a URL); Open Liberty's deployer leaves them (WildFly's
     * removes them, Payara uses an H2 of its own). Drivers of the JVM's own class path belong to the JVM and stay,
     * as do a server module's.
     * <p>
     * Asking DriverManager for its drivers loads and initialises each registered driver's class in the asker's class
     * loader, to see whether the asker may use it; in a copy of the adapter that never opened a connection (Open
     * Liberty's example EAR sees the RAR's classes in a loader of its own beside the RAR module's) that first question
     * is what makes its H2 register, after the list was taken. So it asks twice: the second list has it.
     */
    private static void deregisterOwnDrivers() {
        ClassLoader own = JdbcResourceAdapter.class.getClassLoader();
        if (own == ClassLoader.getSystemClassLoader()) {
            return;
        }
        for (int pass = 0; pass < 2; pass++) {
            for (Enumeration<Driver> drivers = DriverManager.getDrivers(); drivers.hasMoreElements();) {
                Driver driver = drivers.nextElement();
                if (driver.getClass().getClassLoader() == own) {
                    try {
                        DriverManager.deregisterDriver(driver);
                    } catch (SQLException | SecurityException e) {
                        LOG.fine(() -> "jdbc-pool-ra: could not deregister " + driver.getClass().getName() + ": "
                                + e);
                    }
                }
            }
        }
    }

    /**
     * Servers read the adapter's JavaBean properties through java.beans (Open Liberty does); the JDK keeps what it
     * read of a class in a JVM-wide cache and in one cache per thread group, its methods under soft references,
     * which a full collection leaves while the heap is roomy. Open Liberty reads them on a thread of its main group
     * and stops the adapter on one of another, so each group's cache is flushed from a thread of that group.
     */
    private static void forgetIntrospection(Class<?>... beans) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        ThreadGroup[] groups = new ThreadGroup[root.activeGroupCount() * 2 + 2];
        int count = Math.min(root.enumerate(groups, true), groups.length - 1);
        groups[count++] = root;
        for (int i = 0; i < count; i++) {
            Thread flush;
            try {
                flush = new Thread(groups[i], () -> {
                    for (Class<?> bean : beans) {
                        Introspector.flushFromCaches(bean);
                    }
                }, "jdbc-pool-ra forgets its JavaBeans");
                flush.setDaemon(true);
                flush.setContextClassLoader(null);
                flush.start();
                flush.join(FLUSH_MILLIS);
            } catch (IllegalThreadStateException | SecurityException e) {
                // A group being destroyed, or one that refuses threads, keeps no cache we could reach.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void endpointActivation(MessageEndpointFactory endpointFactory, ActivationSpec spec)
            throws ResourceException {
        throw new NotSupportedException("jdbc-pool-ra has no inbound side");
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory endpointFactory, ActivationSpec spec) {
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    /** The adapter has no properties; JCA asks for equals/hashCode all the same. */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
