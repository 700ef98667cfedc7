package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.Probe;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The adapter's QueryTimeout is the default of every statement an application creates: a runaway query is cancelled
 * by the database after that long, the borrower gets the database's timeout error, and the connection stays in the
 * pool (a timeout is not a broken connection).
 */
@PoolSettings.Use("QueryTimeout=1")
@Tag("driver")
class QueryTimeoutIT extends PoolScenario {
    private static final int RUNAWAY_SECONDS = 30;


    @Test
    @DisplayName("QueryTimeout=1: a 30 s query is cancelled after about 1 s with the database's cancel code, and its "
            + "session serves on")
    void runawayQueryIsCancelledAndTheConnectionKept() {
        // A first borrow: Payara fills the pool to min only then.
        Reply before = Probe.query(database.sessionIdSql());
        assertTrue(before.ok(), before.body());
        int sessionsBefore = database.poolSessions();
        URI runawayQuery = Http.probe("/probe/value?sql="
                + URLEncoder.encode(database.sleepSql(RUNAWAY_SECONDS), StandardCharsets.UTF_8));

        long start = System.nanoTime();
        Reply runaway = Http.get(runawayQuery);
        long millis = (System.nanoTime() - start) / 1_000_000;

        System.out.println(database.name() + ": runaway query ended after " + millis + " ms: " + runaway.body());
        assertEquals(503, runaway.status(), runaway.body());
        // session|exception|SQLState|message
        String[] parts = runaway.body().split("\\|", 4);
        assertEquals(database.cancelSqlState(), parts[2], "SQLState of the cancelled query: " + runaway.body());
        assertTrue(millis >= 900 && millis < 10_000, "cancelled after " + millis + " ms");
        // A timeout classified as fatal would have closed this very session.
        assertTrue(database.sessionAlive(parts[0]), "session " + parts[0] + " was closed after its query timed out");
        for (int i = 0; i < 2 * MAX; i++) {
            Reply next = Probe.query("SELECT 1");
            assertTrue(next.ok(), next.body());
        }
        assertTrue(database.sessionAlive(parts[0]), "session " + parts[0] + " was replaced");
        assertEquals(sessionsBefore, database.poolSessions(), "the timed-out connection was not replaced");
    }
}
