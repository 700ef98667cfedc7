package org.jdbcpoolra.outbound;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Renewals of one pool that are open (logging in, or ready and waiting for their connection to be idle) and not yet
 * swapped in. Each is a session beyond the pool's max; at most {@link #LIMIT} at a time, so a pool never holds more
 * than max + 1 sessions for its renewals. One whose connection is lent waits for the borrower, and holds back the
 * pool's other renewals until then: those connections serve a little past their lifetime meanwhile.
 */
final class Renewals {
    static final int LIMIT = 1;

    private final AtomicInteger waiting = new AtomicInteger();

    /** Room for one more renewal. */
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

    /** Swapped in or closed. */
    void release() {
        waiting.decrementAndGet();
    }
}
