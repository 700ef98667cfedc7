package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.Metrics;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * FatalSqlStates adds states the built-in rules do not know: here "table not found" (PostgreSQL 42P01, MariaDB and
 * H2 42S02), which no real pool would treat as fatal, so that the test can raise it at will.
 */
@PoolSettings.Use("FatalSqlStates=42P01,42S02")
@Tag("adds")
class FatalSqlStatesIT extends PoolScenario {

    @Test
    @DisplayName("An error with a configured SQLState evicts its connection: the session is closed in the database")
    void configuredStateEvictsTheConnection() {
        Metrics before = Metrics.scrape();
        String[] failure = failure("SELECT * FROM no_such_table_fatal");
        String session = failure[0];
        String state = failure[2];

        Await.value("session " + session + " still open", () -> database.sessionAlive(session) ? 1 : 0, 0,
                Duration.ofSeconds(10));
        Reply next = Http.get(Http.probe("/probe/value?sql=SELECT+1"));
        assertEquals(200, next.status(), next.body());
        assertEquals(1.0, evictions(Metrics.scrape(), "sqlstate=" + state)
                - evictions(before, "sqlstate=" + state), "evictions counted for SQLState " + state);
    }

    @Test
    @DisplayName("An error whose SQLState is neither built in nor configured keeps its connection")
    void otherErrorsKeepTheConnection() {
        Metrics before = Metrics.scrape();
        String session = failure("SELEKT 1")[0];

        assertTrue(database.sessionAlive(session), "session " + session + " was closed for a syntax error");
        assertEquals(0.0, evictions(Metrics.scrape()) - evictions(before), "evictions counted");
    }

    /** "session|exception|SQLState|message" of a statement that fails, split. */
    private String[] failure(String sql) {
        Reply reply = Http.get(Http.probe("/probe/value?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)));
        assertEquals(503, reply.status(), reply.body());
        return reply.body().split("\\|", 4);
    }

    private double evictions(Metrics scrape, String... labels) {
        return scrape.sum("jdbcpool_fatal_evictions_total", facts.jndiName(), labels);
    }
}
