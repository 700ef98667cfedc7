package org.jdbcpoolra.outbound;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Renewed physical connections of one pool that are open and not yet swapped in, because their managed connection
 * was lent when the renewal was ready. Each is a session beyond the pool's max until its borrower gives the
 * connection back; at most {@link #LIMIT} are opened for connections that are lent. (One opened for an idle
 * connection is swapped in at once, unless a borrower takes the connection in the moment between.)
 */
final class Renewals {
    static final int LIMIT = 1;

    private final AtomicInteger waiting = new AtomicInteger();

    /** Room for one more renewal of a lent connection. */
    boolean tryReserve() {
        while (true) {
            int now = waiting.get();
            if (now >= LIMIT) {
                return false;
            }
            if (waiting.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** A renewal of an idle connection, whatever the limit: it is swapped in at once. */
    void reserve() {
        waiting.incrementAndGet();
    }

    /** Swapped in or closed. */
    void release() {
        waiting.decrementAndGet();
    }
}
