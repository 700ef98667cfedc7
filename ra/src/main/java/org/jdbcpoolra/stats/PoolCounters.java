package org.jdbcpoolra.stats;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The adapter's own counters for one pool. LongAdders: borrowers on many threads count without contending, and
 * nothing is counted on the hot path that does not happen there anyway (a validation, a cached statement).
 */
public final class PoolCounters implements PoolCountersMXBean {
    /** A key of {@link #getFatalEvictions()}: an idle connection the keepalive found dead. */
    public static final String KEEPALIVE = "keepalive";
    private static final Logger LOG = Logger.getLogger("org.jdbcpoolra");

    /** The names this deployment's live pools published (one class loader's): never taken over by another pool. */
    private static final Map<ObjectName, PoolCounters> LIVE = new ConcurrentHashMap<>();

    private volatile ObjectName published;

    private final LongAdder validationRoundTrips = new LongAdder();
    private final LongAdder validationBypasses = new LongAdder();
    private final LongAdder retiredByLifetime = new LongAdder();
    private final LongAdder retiredByUses = new LongAdder();
    private final Map<String, LongAdder> fatalEvictions = new ConcurrentHashMap<>();
    private final LongAdder connectionsOpened = new LongAdder();
    private final LongAdder openNanos = new LongAdder();
    private final LongAdder openFailures = new LongAdder();
    private final LongAdder handlesClosedForApplication = new LongAdder();
    private final LongAdder statementCacheHits = new LongAdder();
    private final LongAdder statementCacheMisses = new LongAdder();

    /**
     * Registers these counters in the platform MBean server as {@code org.jdbcpoolra:type=PoolCounters,pool=...}, in
     * place of a pool of the same name that is gone (a redeployment, whose counters another class loader left). Two
     * live pools of one name (connection definitions configured alike) both stay visible: the second is
     * {@code ...,instance=2}. JMX is an operator's view: a server that refuses it costs the view, never the pool.
     */
    public void publish(String poolName) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            String base = "org.jdbcpoolra:type=PoolCounters,pool=" + ObjectName.quote(poolName);
            ObjectName name = new ObjectName(base);
            for (int instance = 2; LIVE.putIfAbsent(name, this) != null; instance++) {
                name = new ObjectName(base + ",instance=" + instance);
            }
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(this, name);
            published = name;
        } catch (JMException | SecurityException e) {
            LOG.warning(() -> poolName + ": the adapter's counters are not in JMX: " + e);
        }
    }

    /** Takes these counters out of JMX again (the adapter stops). */
    public void withdraw() {
        ObjectName name = published;
        published = null;
        if (name != null) {
            LIVE.remove(name, this);
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException | SecurityException e) {
                LOG.fine(() -> name + ": already gone from JMX: " + e);
            }
        }
    }

    public void validated(boolean roundTrip) {
        (roundTrip ? validationRoundTrips : validationBypasses).increment();
    }

    public void retired(boolean byUses) {
        (byUses ? retiredByUses : retiredByLifetime).increment();
    }

    /** A connection reported broken; {@code sqlState} null when the cause had none. */
    public void evicted(String sqlState) {
        fatalEvictions.computeIfAbsent(sqlState == null ? "none" : sqlState, k -> new LongAdder()).increment();
    }

    public void opened(long nanos) {
        connectionsOpened.increment();
        openNanos.add(nanos);
    }

    public void openFailed() {
        openFailures.increment();
    }

    public void handlesClosedForApplication(int handles) {
        handlesClosedForApplication.add(handles);
    }

    public void statementCache(boolean hit) {
        (hit ? statementCacheHits : statementCacheMisses).increment();
    }

    @Override
    public long getValidationRoundTrips() {
        return validationRoundTrips.sum();
    }

    @Override
    public long getValidationBypasses() {
        return validationBypasses.sum();
    }

    @Override
    public long getRetiredByLifetime() {
        return retiredByLifetime.sum();
    }

    @Override
    public long getRetiredByUses() {
        return retiredByUses.sum();
    }

    @Override
    public Map<String, Long> getFatalEvictions() {
        Map<String, Long> byState = new TreeMap<>();
        fatalEvictions.forEach((state, count) -> byState.put(state, count.sum()));
        return byState;
    }

    @Override
    public long getConnectionsOpened() {
        return connectionsOpened.sum();
    }

    @Override
    public long getOpenMillis() {
        return TimeUnit.NANOSECONDS.toMillis(openNanos.sum());
    }

    @Override
    public long getOpenFailures() {
        return openFailures.sum();
    }

    @Override
    public long getHandlesClosedForApplication() {
        return handlesClosedForApplication.sum();
    }

    @Override
    public long getStatementCacheHits() {
        return statementCacheHits.sum();
    }

    @Override
    public long getStatementCacheMisses() {
        return statementCacheMisses.sum();
    }
}
