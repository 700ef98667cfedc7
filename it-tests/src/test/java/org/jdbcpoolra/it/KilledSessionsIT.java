package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;

import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.SharedPool;
import org.jdbcpoolra.it.support.Probe;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A firewall or a DBA ends every pooled session while the pool is idle. With validation when a borrower takes a
 * connection (the shipped default), no borrower notices: each dead connection fails validation and is replaced.
 */
@SharedPool
@Tag("fault")
class KilledSessionsIT extends PoolScenario {

    @Test
    @DisplayName("Every idle pooled session killed in the database: the next 50 borrowers all succeed")
    void killedIdleSessionsAreReplacedUnnoticed() throws Exception {
        // Liberty never validates when it lends: there KilledSessionsWithoutBorrowValidationIT is the scenario.
        assumeTrue(facts.validatesOnBorrow(), facts.name() + " never asks for validation when it lends a connection");
        Probe.grow(MAX);
        Await.value("sessions before the kill", database::poolSessions, MAX, Duration.ofSeconds(10));
        // Killed while idle, as the scenario says: idle longer than ValidationBypassMillis (500 ms), so the server's
        // validation asks the database (a session killed within the window is left to its borrower's fatal error).
        Http.sleep(1000);

        assertEquals(MAX, database.killPoolSessions());
        Await.value("sessions after the kill", database::poolSessions, 0, Duration.ofSeconds(10));

        List<String> failures = Probe.failedQueries(50, "SELECT 1");
        assertEquals(List.of(), failures, "borrowers that failed after the kill");
        int sessions = database.poolSessions();
        assertTrue(sessions >= 1 && sessions <= MAX, "sessions after healing: " + sessions);
    }
}
