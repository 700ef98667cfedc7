package org.jdbcpoolra.it.support;

import java.time.Duration;
import java.util.function.IntSupplier;

/** Polls an observation until it reaches the expected value, for things the server does in the background. */
public final class Await {
    private Await() {
    }

    /** Returns how long it took; fails with the last value seen. */
    public static Duration value(String what, IntSupplier observation, int expected, Duration limit) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        int last;
        do {
            last = observation.getAsInt();
            if (last == expected) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Http.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(what + ": expected " + expected + " within " + limit.toSeconds() + " s but was "
                + last);
    }

    /** The first value seen at or below {@code most}, or the last one seen when the limit passed. */
    public static int atMost(IntSupplier observation, int most, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        int seen;
        while ((seen = observation.getAsInt()) > most && System.nanoTime() < deadline) {
            Http.sleep(200);
        }
        return seen;
    }
}
