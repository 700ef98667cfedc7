package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MIN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.ReadsPoolStatistics;
import org.jdbcpoolra.it.support.ServerFacts;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Min, seen from a pool nobody has borrowed from yet: a class of its own, so that no other test touches it first. */
@ReadsPoolStatistics
@Tag("machinery")
class PoolPrefillIT extends PoolScenario {

    @Test
    @DisplayName("The pool is filled to min (WildFly on activation, Payara on first use; Liberty never), not beyond")
    void prefillsToMin() {
        if (facts.prefill() != ServerFacts.Prefill.ON_ACTIVATION) {
            assertEquals(0, database.poolSessions(), facts.name() + " opens nothing before the first borrower");
            assertEquals(200, Http.get(Http.probe("/probe/session")).status());
        }
        int expected = facts.sessionsAfterFirstBorrow(MIN);
        Await.value("POOL sessions after prefill", database::poolSessions, expected, Duration.ofSeconds(20));
        assertEquals(expected, server.poolStatistics().open());
    }
}
