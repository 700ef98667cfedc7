package org.jdbcpoolra.outbound;

import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.jdbcpoolra.config.PoolConfig;

/**
 * One pool's background work on the adapter's timer: renewals of connections that retire soon (MaxLifetime,
 * MaxUses), opened ahead so that they are ready when the connection retires, and keepalive checks of connections
 * idle for KeepaliveSeconds. One connection after another; a failure on one (a driver's RuntimeException or Error)
 * is logged and the pass goes on, so no exception ever stops the pool's background work or the timer's.
 */
final class Housekeeping implements Runnable {
    private static final Logger LOG = Logger.getLogger("org.jdbcpoolra");
    /** The shortest period: checks of a busy pool cost a compare-and-set each. */
    private static final long MIN_PERIOD_MILLIS = 250;
    private static final long MAX_PERIOD_MILLIS = 30_000;

    private final String poolName;
    private final Set<JdbcManagedConnection> live;
    /** Long.MAX_VALUE when keepalive is off: no connection is ever idle that long. */
    private final long keepaliveNanos;
    private final long periodMillis;

    Housekeeping(PoolConfig config, Set<JdbcManagedConnection> live) {
        this.poolName = config.poolName();
        this.live = live;
        this.keepaliveNanos = config.keepaliveSeconds() == 0 ? Long.MAX_VALUE
                : config.keepaliveSeconds() * 1_000_000_000L;
        this.periodMillis = periodMillis(config);
    }

    /** Whether the pool has background work at all. */
    static boolean needed(PoolConfig config) {
        return config.keepaliveSeconds() > 0 || config.maxLifetimeSeconds() > 0 || config.maxUses() > 0;
    }

    /**
     * A connection idle for KeepaliveSeconds is checked within a quarter of that again; a retiring one is renewed
     * within a tenth of MaxLifetime.
     */
    static long periodMillis(PoolConfig config) {
        long period = MAX_PERIOD_MILLIS;
        if (config.keepaliveSeconds() > 0) {
            period = Math.min(period, config.keepaliveSeconds() * 250L);
        }
        if (config.maxLifetimeSeconds() > 0) {
            period = Math.min(period, config.maxLifetimeSeconds() * 100L);
        }
        return Math.max(MIN_PERIOD_MILLIS, period);
    }

    long periodMillis() {
        return periodMillis;
    }

    /** Renewals are opened two passes before retirement: one pass may find the connection lent. */
    long leadNanos() {
        return 2 * periodMillis * 1_000_000L;
    }

    @Override
    public void run() {
        for (JdbcManagedConnection mc : live) {
            try {
                mc.keepAlive(keepaliveNanos);
            } catch (Throwable t) {
                LOG.log(Level.WARNING, () -> poolName + ": background work on a connection failed: "
                        + t.getClass().getName() + (t instanceof java.sql.SQLException sql ? " " + sql.getSQLState()
                                : "") + "; the next pass tries again");
            }
        }
    }
}
