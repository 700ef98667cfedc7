package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.Probe;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ValidationBypassMillis of 2 s with the server validating on every borrow: each validation that reaches the database
 * leaves a row (the ValidationQuery is an insert), so the round trips are counted there. A pool of one, so that the
 * busy borrowers keep one connection in use without a pause, and the idle ones find it idle for longer than the window.
 */
@PoolSettings.Use({"min=1", "max=1", "ValidationBypassMillis=" + ValidationBypassIT.WINDOW_MILLIS,
        "ValidationQuery=INSERT INTO probe_rows (tag) VALUES ('validation-round-trip')"})
@Tag("adds")
class ValidationBypassIT extends PoolScenario {
    static final long WINDOW_MILLIS = 2000;
    private static final String TAG = "validation-round-trip";
    private static final int THREADS = 4;
    private static final int BORROWS_PER_THREAD = 50;

    @Test
    @DisplayName("A busy pool: 4 borrowers x 50 borrows back to back make no validation round trip")
    void busyPoolMakesNoRoundTrips() throws Exception {
        assumeTrue(facts.validatesOnBorrow(), facts.name() + " never asks for validation when it lends a connection");
        // The connection may have been idle for longer than the window: its next borrow is validated, as it must be.
        assertTrue(Probe.query("SELECT 1").ok(), "the borrow before the busy ones");
        int before = database.rowsTagged(TAG);
        List<CompletableFuture<List<Reply>>> borrowers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            borrowers.add(CompletableFuture.supplyAsync(() -> {
                List<Reply> replies = new ArrayList<>();
                for (int i = 0; i < BORROWS_PER_THREAD; i++) {
                    replies.add(Probe.query("SELECT 1"));
                }
                return replies;
            }));
        }
        for (CompletableFuture<List<Reply>> borrower : borrowers) {
            for (Reply reply : borrower.get()) {
                assertTrue(reply.ok(), reply.body());
            }
        }
        int roundTrips = database.rowsTagged(TAG) - before;
        System.out.println(facts.name() + "/" + database.name() + ": " + roundTrips + " validation round trips for "
                + THREADS * BORROWS_PER_THREAD + " busy borrows");
        assertEquals(0, roundTrips, "validation round trips for " + THREADS * BORROWS_PER_THREAD + " busy borrows");
    }

    @Test
    @DisplayName("After an idle pause longer than the window every borrow is validated in the database")
    void idleBorrowsAreValidated() {
        assumeTrue(facts.validatesOnBorrow(), facts.name() + " never asks for validation when it lends a connection");
        int before = database.rowsTagged(TAG);
        int borrows = 5;
        for (int i = 0; i < borrows; i++) {
            Http.sleep(WINDOW_MILLIS + 500);
            Reply reply = Probe.query("SELECT 1");
            assertEquals(200, reply.status(), reply.body());
        }
        int roundTrips = database.rowsTagged(TAG) - before;
        System.out.println(facts.name() + "/" + database.name() + ": " + roundTrips + " validation round trips for "
                + borrows + " borrows after idle pauses");
        assertEquals(borrows, roundTrips, "validation round trips for " + borrows + " borrows after idle pauses");
    }
}
