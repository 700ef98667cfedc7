package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.SharedPool;
import org.jdbcpoolra.it.support.Http.Reply;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What one borrower does must not reach the next one, and a closed handle must be dead, in the real server. */
@SharedPool
@Tag("driver")
class ConnectionHandleIT extends PoolScenario {

    @Test
    @DisplayName("The next borrower of the same physical connection gets defaults, no uncommitted rows, and the "
            + "statement the last borrower left open is closed")
    void nextBorrowerGetsACleanConnection() {
        String tag = "dirty-" + System.nanoTime();
        Reply dirty = Http.post(Http.probe("/probe/dirty?tag=" + tag), "");
        assertEquals(200, dirty.status(), dirty.body());
        assertEquals(0, database.rowsTagged(tag), "the careless borrower's insert was never committed");

        Reply state = Http.get(Http.probe("/probe/state?session=" + dirty.body() + "&tag=" + tag));
        assertEquals(200, state.status(), state.body());
        assertEquals("autocommit=true;readonly=false;isolation=" + database.defaultIsolation()
                + ";rows=0;leakedClosed=true", state.body());
        assertEquals(0, database.rowsTagged(tag));
    }

    @Test
    @DisplayName("A borrower's read-only mode is reset in the database itself: the next borrower of the session "
            + "sees it read-write")
    void readOnlyIsResetInTheDatabase() {
        String[] query = database.readOnlyQuery();
        Assumptions.assumeTrue(query != null, "setReadOnly does not reach " + database.name() + " itself");
        String sql = URLEncoder.encode(query[0], StandardCharsets.UTF_8);

        Reply borrower = Http.post(Http.probe("/probe/read-only?sql=" + sql), "");
        assertEquals(200, borrower.status(), borrower.body());
        String[] parts = borrower.body().split("\\|", 2);
        assertEquals(query[1], parts[1], "the database while the borrower held it read-only");

        Reply next = Http.get(Http.probe("/probe/read-only?session=" + parts[0] + "&sql=" + sql));
        assertEquals(200, next.status(), next.body());
        assertEquals(query[2], next.body(), "the database to the next borrower of session " + parts[0]);
    }

    @Test
    @DisplayName("A connection handle and its statement fail with SQLState 08003 once the handle is closed")
    void closedHandleCannotBeUsed() {
        Reply reply = Http.get(Http.probe("/probe/use-after-close"));
        assertEquals(200, reply.status(), reply.body());
        String[] lines = reply.body().split("\n");
        assertEquals("org.jdbcpoolra.handle.ClosedHandleException|08003|Connection handle is closed", lines[0]);
        assertEquals("org.jdbcpoolra.handle.ClosedHandleException|08003|Statement is closed", lines[1]);
        assertEquals("closed=true", lines[2]);
        assertEquals("statementClosed=true", lines[3]);
    }

    @Test
    @DisplayName("After many borrow/return cycles with careless borrowers the pool still holds no more than max")
    void carelessBorrowersDoNotLeakSessions() {
        for (int i = 0; i < 20; i++) {
            assertEquals(200, Http.post(Http.probe("/probe/dirty?tag=loop"), "").status());
        }
        assertTrue(database.poolSessions() <= org.jdbcpoolra.it.support.ServerControl.MAX);
        assertEquals(0, database.rowsTagged("loop"));
    }
}
