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
    /** Asks for a background pass now, so that the next retiring connection does not wait for the timer's period. */
    private volatile Runnable nextPass = () -> { };

    void afterSwap(Runnable pass) {
        nextPass = pass;
    }

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

    /** Closed, or never opened. */
    void release() {
        waiting.decrementAndGet();
    }

    /**
     * Swapped in: room for the next renewal at once. Without it, connections that retire together (a pool filled at
     * once, all lent under steady load) would be renewed one per timer period, the last long past its lifetime. Not
     * after a failed or discarded renewal: a login the database refuses must not be retried in a loop.
     */
    void swapped() {
        waiting.decrementAndGet();
        nextPass.run();
    }
}
