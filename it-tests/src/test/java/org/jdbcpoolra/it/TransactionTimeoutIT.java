package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The server's transaction timeout fires while the borrower is still working in the transaction. WildFly's reaper
 * rolls the transaction back from a thread of its own at once, and IronJacamar then destroys the connection whose
 * handle is still out (IJ000315), so the borrower's next statement fails on a closed handle; Payara marks the
 * transaction for rollback and rolls it back when the borrower's method ends. Either way whatever the borrower does
 * after the timeout must not commit on its own (the connection must not fall back to autocommit under it), the
 * borrower must hear of it, and the pool's one physical connection must either be gone from the database or go back
 * clean: the next borrower of that very session works in autocommit, and the database sees no transaction left open
 * (quarkus#45087).
 */
@PoolSettings.Use({"min=1", "max=1"})
@Tag("fault")
class TransactionTimeoutIT extends PoolScenario {
    private static final int TIMEOUT_SECONDS = 2;
    private static final long WORK_MILLIS = 4000;

    @Test
    @DisplayName("A transaction timed out under its borrower commits nothing, fails the borrower, and leaves the "
            + "connection clean for the next one")
    void timedOutTransactionCommitsNothingAndLeavesTheConnectionClean() {
        String tag = "timeout-" + System.nanoTime();
        Reply reply = Http.post(Http.probe("/probe/tx/timeout?tag=" + tag + "&timeout=" + TIMEOUT_SECONDS
                + "&workMillis=" + WORK_MILLIS), "");
        System.out.println(database.name() + ", transaction timed out under its borrower: " + reply.body());
        assertEquals(200, reply.status(), reply.body());
        String[] outcome = reply.body().split("\\|", 3);
        String session = outcome[0];
        String commit = outcome[1];

        assertEquals(0, database.rowsTagged(tag + "-before"), "work before the timeout was rolled back");
        assertEquals(0, database.rowsTagged(tag + "-after"), "work after the timeout committed on its own");
        assertTrue(commit.startsWith("jakarta.transaction.RollbackException: "),
                "the borrower's commit did not fail with RollbackException: " + commit);

        Reply next = Http.get(Http.probe("/probe/value?sql=SELECT%201"));
        String nextSession = next.body().split("\\|")[0];
        if (nextSession.equals(session)) {
            System.out.println(database.name() + ": the next borrower got the same session " + session);
        } else {
            System.out.println(database.name() + ": the server replaced the connection (session " + session
                    + " -> " + nextSession + ")");
            assertFalse(database.sessionAlive(session), "the replaced session is still open in the database");
        }
        Reply insert = Http.get(Http.probe("/probe/value?sql=" + java.net.URLEncoder.encode("INSERT INTO probe_rows "
                + "(tag) VALUES ('" + tag + "-next')", java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(nextSession, insert.body().split("\\|")[0], "the pool of one served the same session again");
        assertEquals(1, database.rowsTagged(tag + "-next"), "the next borrower's insert committed by itself: "
                + "autocommit is on");
        assertEquals(0, database.poolSessionsInTransaction(), "a session of the pool left in a transaction");
        assertEquals(1, database.poolSessions(), "sessions of a pool of one");
    }
}
