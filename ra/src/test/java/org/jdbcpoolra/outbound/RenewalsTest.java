package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RenewalsTest {

    @Test
    @DisplayName("A renewal swapped in asks for the next pass at once, and frees its room")
    void swappedRenewalAsksForTheNextPass() {
        Renewals renewals = new Renewals();
        AtomicInteger passes = new AtomicInteger();
        renewals.afterSwap(passes::incrementAndGet);

        assertTrue(renewals.tryReserve());
        assertFalse(renewals.tryReserve(), "a second renewal while one is open");
        renewals.swapped();

        assertEquals(1, passes.get(), "passes asked for");
        assertTrue(renewals.tryReserve(), "room for the next renewal");
    }

    @Test
    @DisplayName("A renewal that failed or was discarded asks for no pass: a refused login is not retried in a loop")
    void failedRenewalAsksForNoPass() {
        Renewals renewals = new Renewals();
        AtomicInteger passes = new AtomicInteger();
        renewals.afterSwap(passes::incrementAndGet);

        assertTrue(renewals.tryReserve());
        renewals.release();

        assertEquals(0, passes.get(), "passes asked for");
        assertTrue(renewals.tryReserve(), "room for the next renewal");
    }
}
