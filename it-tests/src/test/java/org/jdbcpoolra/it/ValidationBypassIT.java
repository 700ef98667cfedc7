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
 * ValidationBypassMillis at its default (500) with the server validating on every borrow: each validation that
 * reaches the database leaves a row (the ValidationQuery is an insert), so the round trips are counted there.
 */
@PoolSettings.Use("ValidationQuery=INSERT INTO probe_rows (tag) VALUES ('validation-round-trip')")
@Tag("adds")
class ValidationBypassIT extends PoolScenario {
    private static final String TAG = "validation-round-trip";
    private static final int THREADS = 4;
    private static final int BORROWS_PER_THREAD = 50;

    @Test
    @DisplayName("A busy pool: 4 borrowers x 50 borrows back to back make at most one validation in ten borrows")
    void busyPoolMakesAlmostNoRoundTrips() throws Exception {
        assumeTrue(facts.validatesOnBorrow(), facts.name() + " never asks for validation when it lends a connection");
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
        assertTrue(roundTrips <= THREADS * BORROWS_PER_THREAD / 10, roundTrips + " validation round trips");
    }

    @Test
    @DisplayName("After an idle pause longer than the window every borrow is validated in the database")
    void idleBorrowsAreValidated() {
        assumeTrue(facts.validatesOnBorrow(), facts.name() + " never asks for validation when it lends a connection");
        int before = database.rowsTagged(TAG);
        int borrows = 5;
        for (int i = 0; i < borrows; i++) {
            Http.sleep(1000);
            Reply reply = Probe.query("SELECT 1");
            assertEquals(200, reply.status(), reply.body());
        }
        int roundTrips = database.rowsTagged(TAG) - before;
        System.out.println(facts.name() + "/" + database.name() + ": " + roundTrips + " validation round trips for "
                + borrows + " borrows after idle pauses");
        assertTrue(roundTrips >= borrows, roundTrips + " validation round trips for " + borrows + " idle borrows");
    }
}
