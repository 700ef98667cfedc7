package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.Metrics;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.Probe;
import org.jdbcpoolra.it.support.TestDatabase;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The database stops accepting the pool's password while the pool's sessions are ended, as when an operator changes
 * it in the database first: the adapter knocks once, then refuses at once for AuthFailureBackoffMillis instead of
 * logging in again with credentials just refused (HikariCP#2298). Counted by the adapter's own metrics.
 */
@PoolSettings.Use("AuthFailureBackoffMillis=10000")
@Tag("adds")
class RefusedSignOnIT extends PoolScenario {
    private static final Duration BACKOFF = Duration.ofSeconds(10);
    /** Enough to meet every killed connection (a server that does not validate on borrow lends them) and then more. */
    private static final int BORROWS = MAX + 3;
    private static final String OPENED = "jdbcpool_connections_opened_total";
    private static final String OPEN_FAILURES = "jdbcpool_connection_open_failures_total";

    @Test
    @DisplayName("A refused password: one login knocks, later borrowers are refused at once naming the back-off and "
            + "no password; accepted again, the pool heals and counts each opening with its time")
    void refusedPasswordIsNotTriedAgainWithinTheBackoff() throws Exception {
        String pool = facts.jndiName();
        URI borrow = Http.probe("/probe/borrow?name=" + URLEncoder.encode(pool, StandardCharsets.UTF_8));
        Probe.grow(MAX);
        Await.value("sessions before the change", database::poolSessions, MAX, Duration.ofSeconds(10));
        // Idle beyond the validation bypass, so a server that validates on borrow asks the database.
        Http.sleep(1000);
        String changed = "changed-Secret-" + System.nanoTime() % 100_000;
        Metrics before = Metrics.scrape();
        List<Reply> refused = new ArrayList<>();
        Metrics during;
        try {
            database.changePassword(changed);
            assertEquals(MAX, database.killPoolSessions());
            Await.value("sessions after the kill", database::poolSessions, 0, Duration.ofSeconds(10));
            for (int i = 0; i < BORROWS; i++) {
                refused.add(Http.post(borrow, ""));
            }
            during = Metrics.scrape();
        } finally {
            database.changePassword(TestDatabase.POOL_PASSWORD);
        }
        List<String> bodies = refused.stream().map(Reply::body).toList();
        System.out.println(facts.name() + "/" + database.name() + ": " + BORROWS + " borrows while refused:\n"
                + bodies.stream().map(b -> b.lines().findFirst().orElse("")).collect(Collectors.joining("\n")));
        assertEquals(List.of(), refused.stream().filter(Reply::ok).toList(), "borrows served while the database "
                + "refused the pool's password and held none of its sessions");
        // Once one borrower is told of the back-off, every later one is: no later borrow knocked again.
        int first = 0;
        while (first < bodies.size() && !bodies.get(first).contains("AuthFailureBackoffMillis")) {
            first++;
        }
        assertTrue(first < bodies.size(), "no borrower was refused by the back-off:\n" + String.join("\n", bodies));
        assertEquals(List.of(), bodies.subList(first, bodies.size()).stream()
                .filter(b -> !b.contains("AuthFailureBackoffMillis")).toList(), "borrowers after the first one told "
                + "of the back-off that were refused by the database itself");
        assertEquals(List.of(), bodies.stream().filter(b -> b.contains(changed)
                || b.contains(TestDatabase.POOL_PASSWORD)).toList(), "replies that carry a password");
        assertEquals(0.0, during.sum(OPENED, pool) - before.sum(OPENED, pool), "connections opened while refused");

        Duration healed = Await.value("a borrow served once the password is accepted again",
                () -> Http.post(borrow, "").ok() ? 1 : 0, 1, BACKOFF.plusSeconds(20));
        Probe.grow(MAX);
        Metrics after = Metrics.scrape();
        int sessions = database.poolSessions();
        double opened = after.sum(OPENED, pool) - during.sum(OPENED, pool);
        System.out.println(facts.name() + "/" + database.name() + ": served again " + healed.toMillis()
                + " ms after the password was restored; " + opened + " connections opened, " + sessions
                + " sessions in the database");
        // Every session the database now holds for the pool was opened after the refusal and counted; a server may
        // also have opened one it closed again meanwhile (WildFly on PostgreSQL once counted 6 for 5 sessions).
        assertTrue(sessions >= 1 && opened >= sessions, opened + " connections counted as opened for the pool's "
                + sessions + " sessions");
        assertTrue(after.sum("jdbcpool_connection_open_seconds_total", pool)
                > during.sum("jdbcpool_connection_open_seconds_total", pool), "no time counted for the openings");
        // The first refusal, and a login the server's own filler may have begun at the same moment (H2 delays
        // every answer to a wrong password, so the two overlap); without the back-off each of the borrows above
        // and of the wait for healing would have knocked.
        double knocked = after.sum(OPEN_FAILURES, pool) - before.sum(OPEN_FAILURES, pool);
        System.out.println(facts.name() + "/" + database.name() + ": " + knocked + " logins refused in all");
        assertTrue(knocked >= 1 && knocked <= 2, knocked + " logins refused by the database\n" + after.text());
    }
}
