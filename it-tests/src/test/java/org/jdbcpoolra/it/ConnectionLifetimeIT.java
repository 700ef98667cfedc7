package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.jdbcpoolra.it.support.ServerControl.MIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Metrics;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.Probe;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * MaxLifetime of 3 s under steady load: each borrow asks the database how old its session is (PostgreSQL:
 * pg_stat_activity.backend_start; MariaDB and H2: a timestamp InitSql left in the session when it was opened).
 */
@PoolSettings.Use({"MaxLifetime=3", "InitSql={sessionBorn}"})
@Tag("adds")
class ConnectionLifetimeIT extends PoolScenario {
    private static final long LIFETIME_MILLIS = 3000;
    /**
     * How long past its lifetime a session may still serve: a retired connection serves on until its renewal, opened
     * ahead on the adapter's timer and one at a time per pool, is ready and the connection idle;
     * plus the probe's own work between borrow and query.
     */
    private static final long BOUND_MILLIS = 1000;
    private static final int BORROWERS = 4;
    private static final long LOAD_MILLIS = 4 * LIFETIME_MILLIS;

    record Borrow(boolean ok, String session, long ageMillis, String body) {
    }

    @Test
    @DisplayName("4 borrowers for 4 lifetimes: no session older than the lifetime serves, none fails, min kept, "
            + "the server logs no warning")
    void noSessionServesBeyondItsLifetime() throws Exception {
        long logLinesBefore = Files.readAllLines(facts.serverLog()).size();
        Metrics before = Metrics.scrape();
        URI ageQuery = Http.probe("/probe/value?sql="
                + URLEncoder.encode(database.sessionAgeQuery(), StandardCharsets.UTF_8));
        List<Borrow> all = Probe.steadyLoad(BORROWERS, LOAD_MILLIS, () -> Http.get(ageQuery)).stream()
                .map(timed -> {
                    String[] parts = timed.reply().body().split("\\|", 2);
                    return timed.reply().ok() ? new Borrow(true, parts[0], Long.parseLong(parts[1].trim()), "")
                            : new Borrow(false, parts[0], -1, timed.reply().body());
                }).toList();

        List<String> failed = all.stream().filter(b -> !b.ok()).map(Borrow::body).toList();
        long oldest = all.stream().filter(Borrow::ok).mapToLong(Borrow::ageMillis).max().orElse(-1);
        long sessions = all.stream().filter(Borrow::ok).map(Borrow::session).distinct().count();
        System.out.println(facts.name() + "/" + database.name() + ": " + all.size() + " borrows, " + failed.size()
                + " failed, " + sessions + " sessions, oldest session seen " + oldest + " ms with MaxLifetime "
                + LIFETIME_MILLIS + " ms");
        assertEquals(List.of(), failed, "borrows that failed");
        assertTrue(oldest >= 0 && oldest <= LIFETIME_MILLIS + BOUND_MILLIS, "a session of " + oldest + " ms served");
        assertTrue(sessions > MAX, "only " + sessions + " sessions over " + LOAD_MILLIS / LIFETIME_MILLIS
                + " lifetimes: nothing was retired");
        Metrics after = Metrics.scrape();
        String retirements = "jdbcpool_retirements_total";
        double byLifetime = after.sum(retirements, facts.jndiName(), "reason=lifetime")
                - before.sum(retirements, facts.jndiName(), "reason=lifetime");
        System.out.println(facts.name() + "/" + database.name() + ": " + byLifetime + " retirements by lifetime");
        // Every session seen beyond the pool's max replaced one that retired.
        assertTrue(byLifetime >= sessions - MAX, byLifetime + " retirements by lifetime for " + sessions + " sessions");
        assertEquals(0.0, after.sum(retirements, facts.jndiName(), "reason=uses")
                - before.sum(retirements, facts.jndiName(), "reason=uses"), "retirements by uses with no MaxUses");
        // A renewal opens its new session before the retired one closes: max + 1 for that moment, and with a 3 s
        // lifetime the next one is never far off.
        int left = Await.atMost(database::poolSessions, MAX, Duration.ofSeconds(10));
        assertTrue(left >= MIN && left <= MAX, "pool sessions within 10 s of the load: " + left);
        // Retirement renews the physical connection under the same managed connection: the server, which warns
        // about every connection it finds invalid (WildFly's IJ000621), never learns of it.
        List<String> warnings = Files.readAllLines(facts.serverLog()).stream().skip(logLinesBefore)
                .filter(facts::warns).toList();
        assertEquals(List.of(), warnings, "what the server logged at warning level or worse during the load");
    }
}
