package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.jdbcpoolra.it.support.ServerControl.MIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Metrics;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolStatistics;
import org.jdbcpoolra.it.support.ReadsPoolStatistics;
import org.jdbcpoolra.it.support.Http.Reply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Idle timeout: WildFly counts it in minutes, so there this one test takes one to two minutes. */
@ReadsPoolStatistics
@Tag("machinery")
class IdleTimeoutIT extends PoolScenario {

    @Test
    @DisplayName("Sessions above min are closed once idle longer than the idle timeout; min stay")
    void idleSessionsAboveMinAreClosed() throws Exception {
        List<java.util.concurrent.CompletableFuture<Reply>> holders = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            holders.add(Http.postAsync(Http.probe("/probe/hold?millis=1500")));
        }
        for (var holder : holders) {
            assertEquals(200, holder.get().status());
        }
        assertEquals(MAX, database.poolSessions(), "the pool grew to max");
        PoolStatistics before = server.poolStatistics();
        Metrics idleFrom = Metrics.scrape();

        Duration idle = facts.idleTimeout();
        Duration took = Await.value("POOL sessions after the idle timeout", database::poolSessions, MIN,
                idle.multipliedBy(3).plusSeconds(30));
        // Servers check for idle connections periodically (WildFly every half timeout): allow that much early.
        assertTrue(took.compareTo(idle.dividedBy(2)) >= 0,
                "idle sessions closed after " + took.toSeconds() + " s, long before the idle timeout of " + idle);
        PoolStatistics after = server.poolStatistics();
        double opened = Metrics.scrape().sum("jdbcpool_connections_opened_total", facts.jndiName())
                - idleFrom.sum("jdbcpool_connections_opened_total", facts.jndiName());
        System.out.println(facts.name() + " while idle: " + (after.created() - before.created()) + " created, "
                + (after.destroyed() - before.destroyed()) + " destroyed, " + (after.idleRemoved()
                - before.idleRemoved()) + " removed for idleness; the adapter opened " + opened);
        assertEquals(MIN - MAX, after.held() - before.held(), "connections held by the server's counters (created "
                + "less destroyed) after the idle timeout\n" + before.raw() + "\n" + after.raw());
        // Payara closes every connection idle past the timeout, min included, and opens min anew: at least the
        // ones above min were removed. Payara and Liberty count no idle removals apart from other destructions:
        // nothing was borrowed and nothing failed meanwhile.
        assertTrue(after.idleRemoved() - before.idleRemoved() >= MAX - MIN, "connections removed for idleness\n"
                + before.raw() + "\n" + after.raw());
        assertEquals(after.created() - before.created(), opened, "connections the adapter opened while the pool sat "
                + "idle, against those the server created");
        Reply still = Http.get(Http.probe("/probe/session"));
        assertEquals(200, still.status(), "the pool still serves after shrinking");
    }
}
