package org.jdbcpoolra.outbound;

/**
 * After a fatal error on one connection of a pool, every connection opened before it is suspect: the cause (a
 * database restart, a failover, a firewall dropping sessions) most likely hit them too, so none of them may skip the
 * round trip of a validation (ValidationBypassMillis) until one proves it alive. Without it, each connection given
 * back fine moments before the failure would fail one borrower.
 */
final class Suspicion {
    /** When the pool last saw a fatal error (System.nanoTime); older connections are suspect. */
    private volatile long lastFatalNanos = System.nanoTime() - Long.MAX_VALUE / 2;

    /** A connection of this pool failed fatally, or a check found one dead. */
    void fatalSeen() {
        lastFatalNanos = System.nanoTime();
    }

    /** Whether a connection opened, or last proven alive by a round trip, at {@code nanos} is suspect. */
    boolean suspect(long nanos) {
        return nanos - lastFatalNanos <= 0;
    }
}
