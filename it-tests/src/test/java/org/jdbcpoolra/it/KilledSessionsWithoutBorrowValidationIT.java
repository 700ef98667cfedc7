package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.jdbcpoolra.it.support.ServerControl.MIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Probe;
import org.jdbcpoolra.it.support.ReadsPoolStatistics;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The same kill without validation on borrow: a borrower may meet a dead connection, but the adapter reports the
 * fatal error to the server (CONNECTION_ERROR_OCCURRED), which destroys that connection, so each killed session
 * costs at most one failure. With no borrower at all, dead idle connections leave the pool through the adapter's
 * keepalive (both servers) and WildFly's background validation, which also refills the pool to min. The intervals
 * are long enough that the borrowers meet the dead connections before any background pass does; Payara's idle
 * timeout is long enough that its resizer, which also validates idle connections, stays out of the no-borrower test.
 * Each test first waits for dead connections the other left to be gone, so they run in any order.
 */
@PoolSettings.Use({"validate-on-borrow=false", "background-validation-millis="
        + KilledSessionsWithoutBorrowValidationIT.BACKGROUND_MILLIS, "KeepaliveSeconds="
        + KilledSessionsWithoutBorrowValidationIT.BACKGROUND_MILLIS / 1000, "idle-timeout-seconds=600"})
@ReadsPoolStatistics
@Tag("fault")
class KilledSessionsWithoutBorrowValidationIT extends PoolScenario {
    static final int BACKGROUND_MILLIS = 8000;


    @Test
    @DisplayName("Without borrow validation, each killed session fails at most one borrower, then the pool heals")
    void atMostOneFailurePerKilledSession() throws Exception {
        awaitNoDeadConnectionsHeld();
        Probe.grow(MAX);
        Await.value("sessions before the kill", database::poolSessions, MAX, Duration.ofSeconds(10));
        int killed = database.killPoolSessions();
        Await.value("sessions after the kill", database::poolSessions, 0, Duration.ofSeconds(10));

        List<String> failures = new ArrayList<>();
        List<Boolean> outcomes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Reply reply = Probe.query("SELECT 1");
            outcomes.add(reply.ok());
            if (!reply.ok()) {
                failures.add(reply.body());
            }
        }
        System.out.println(database.name() + ": killed " + killed + " idle sessions without borrow validation; "
                + failures.size() + " of 50 borrowers failed: " + failures);
        assertTrue(failures.size() <= killed, failures.size() + " failures for " + killed + " killed sessions: "
                + failures);
        assertEquals(List.of(), failures.stream().filter(f -> !f.contains("SQL")).toList());
        assertTrue(outcomes.subList(killed, outcomes.size()).stream().allMatch(ok -> ok),
                "every borrower after the first " + killed + " succeeded: " + outcomes);
        int sessions = database.poolSessions();
        assertTrue(sessions >= 1 && sessions <= MAX, "sessions after healing: " + sessions);
    }

    @Test
    @DisplayName("Killed idle sessions leave the pool with no borrower involved (keepalive; WildFly also refills)")
    void deadIdleConnectionsLeaveWithoutBorrowers() throws Exception {
        awaitNoDeadConnectionsHeld();
        Probe.grow(MAX);
        Await.value("sessions before the kill", database::poolSessions, MAX, Duration.ofSeconds(10));
        database.killPoolSessions();
        Await.value("sessions after the kill", database::poolSessions, 0, Duration.ofSeconds(10));
        if (!facts.dropsDeadIdleConnections()) {
            // Liberty takes the keepalive's report of a free connection (J2CA1004I) but keeps counting it until a
            // borrower or its reaper comes; what matters is that no borrower meets one.
            Http.sleep(3 * BACKGROUND_MILLIS);
            List<String> failures = Probe.failedQueries(20, "SELECT 1");
            System.out.println(database.name() + ": " + deadConnectionsHeld() + " dead connections still counted "
                    + "after 20 borrowers; failures: " + failures);
            assertEquals(List.of(), failures, "borrowers after the keepalive found the connections dead");
            abort(facts.name() + " keeps counting dead free connections until a borrower comes: their leaving the "
                    + "pool with no borrower involved is not proven there");
        }
        Duration gone = Await.value("dead connections the server still holds", this::deadConnectionsHeld, 0,
                Duration.ofSeconds(30));
        System.out.println(database.name() + ": the " + MAX + " dead idle connections left the pool " + gone.toMillis()
                + " ms after the kill, no borrower involved");
        if (facts.validatesInBackground()) {
            Duration healed = Await.value("sessions refilled to min by background validation",
                    database::poolSessions, MIN, Duration.ofSeconds(30));
            System.out.println(database.name() + ": background validation refilled the pool to min "
                    + healed.toMillis() + " ms after the dead connections left");
        }
        List<String> failures = Probe.failedQueries(20, "SELECT 1");
        assertEquals(List.of(), failures, "borrowers after the dead connections left");
    }

    /**
     * Each test starts from a pool that holds no dead connection: after the other test, the dead connections its
     * borrowers never happened to take stay until a keepalive or background pass finds them (until then the server
     * counts more connections than the database has sessions, and holding max at once would take them).
     */
    private void awaitNoDeadConnectionsHeld() {
        // Payara creates a pool, and its monitoring, at the first lookup of its resource: the probe looks it up
        // when first called, not when deployed.
        Probe.query("SELECT 1");
        if (!facts.dropsDeadIdleConnections()) {
            // Liberty's count drops only when borrowers take the dead connections (and it replaces them).
            Probe.failedQueries(4 * MAX, "SELECT 1");
        }
        Await.value("connections the server holds but the database no longer has", this::deadConnectionsHeld, 0,
                Duration.ofSeconds(30));
    }

    private int deadConnectionsHeld() {
        return (int) server.poolStatistics().held() - database.poolSessions();
    }
}
