package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.jdbcpoolra.it.support.ServerControl.MIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The server starts while the database is down (both restarted after a power cut, the server first). The deployment
 * must not fail for it, a borrower gets an error that says what is wrong, and once the database is up the pool
 * serves and fills itself without an operator.
 */
@Tag("fault")
class DatabaseDownAtStartIT extends PoolScenario {

    @AfterEach
    void databaseUpAgain() {
        database.start();
    }

    @Test
    @DisplayName("Server started with the database down: deployed, clear error to borrowers, heals once it is up")
    void serverStartedWithDatabaseDownRecoversByItself() {
        database.stop();
        server.restart();
        Reply example = Http.get(Http.example("/api/pool"));
        assertEquals(200, example.status(), "the example EAR is deployed and answers: " + example.body());

        Reply down = Probe.query("SELECT 1");
        System.out.println(database.name() + ", borrower while the database is down: " + down.body());
        assertEquals(503, down.status(), down.body());
        assertTrue(down.body().contains(facts.jndiName() + ": could not get a connection"), down.body());
        assertTrue(down.body().contains("cannot open a connection to " + database.url().split("[;?]")[0]),
                "the error names the database it could not reach: " + down.body());
        assertFalse(down.body().contains(database.password()), down.body());

        database.start();
        long upAt = System.nanoTime();
        Reply up;
        do {
            up = Probe.query("SELECT 1");
        } while (!up.ok() && System.nanoTime() - upAt < Duration.ofSeconds(10).toNanos() && sleep());
        System.out.println(database.name() + ": first borrower served " + (System.nanoTime() - upAt) / 1_000_000
                + " ms after the database was up");
        assertTrue(up.ok(), "no borrower was served within 10 s of the database coming up: " + up.body());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int sessions;
        int kept = facts.sessionsAfterFirstBorrow(MIN);
        while ((sessions = database.poolSessions()) < kept && System.nanoTime() < deadline) {
            Probe.query("SELECT 1");
            Http.sleep(200);
        }
        assertTrue(sessions >= kept && sessions <= MAX, "sessions once healed: " + sessions);
    }

    private static boolean sleep() {
        Http.sleep(100);
        return true;
    }
}
