package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.SharedPool;
import org.jdbcpoolra.it.support.Http.Reply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Container-managed transactions through the adapter's local transaction, checked by counting rows. */
@SharedPool
@Tag("driver")
class ContainerTransactionIT extends PoolScenario {

    private static String tag(String what) {
        return what + "-" + System.nanoTime();
    }

    @Test
    @DisplayName("A committed container transaction persists its insert")
    void commitPersists() {
        String tag = tag("commit");
        assertEquals("ok", Http.post(Http.probe("/probe/tx/commit?tag=" + tag), "").body());
        assertEquals(1, database.rowsTagged(tag));
    }

    @Test
    @DisplayName("setRollbackOnly discards the insert")
    void setRollbackOnlyDiscards() {
        String tag = tag("rollback-only");
        assertEquals("ok", Http.post(Http.probe("/probe/tx/rollback-only?tag=" + tag), "").body());
        assertEquals(0, database.rowsTagged(tag));
    }

    @Test
    @DisplayName("A system exception rolls the insert back")
    void exceptionRollsBack() {
        String tag = tag("exception");
        Reply reply = Http.post(Http.probe("/probe/tx/exception?tag=" + tag), "");
        assertTrue(reply.body().startsWith("rolled back: jakarta.ejb.EJB"), reply.body());
        assertEquals(0, database.rowsTagged(tag));
    }

    @Test
    @DisplayName("Two getConnection calls in one transaction share one physical connection")
    void twoConnectionsInOneTransactionShareOneSession() {
        Reply reply = Http.get(Http.probe("/probe/tx/shared"));
        assertEquals(200, reply.status(), reply.body());
        String[] parts = reply.body().split(",");
        assertEquals(parts[0], parts[1], "same database session for both handles");
        assertEquals("false", parts[2], "but two distinct handles");
    }

    @Test
    @DisplayName("commit(), rollback() and setAutoCommit(true) on a handle throw inside a container transaction")
    void applicationCannotEndTheContainersTransaction() {
        Reply reply = Http.get(Http.probe("/probe/tx/forbidden"));
        assertEquals(200, reply.status(), reply.body());
        String[] lines = reply.body().split("\n");
        assertEquals("autocommit=false", lines[0]);
        assertTrue(lines[1].startsWith("commit: java.sql.SQLException|25000|" + facts.jndiName()
                + ": commit() is not allowed"), lines[1]);
        assertTrue(lines[2].startsWith("rollback: java.sql.SQLException|25000|"), lines[2]);
        assertTrue(lines[3].startsWith("setAutoCommit(true): java.sql.SQLException|25000|"), lines[3]);
    }
}
