package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.Metrics;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.Probe;
import org.jdbcpoolra.it.support.ReadsPoolStatistics;
import org.jdbcpoolra.it.support.ServerControl;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The example's /api/metrics scraped as Prometheus scrapes it, before and after load put on the pool through the
 * probe: the adapter's own counters and the server's own statistics move with what the pool did.
 */
@PoolSettings.Use("PreparedStatementCacheSize=8")
@ReadsPoolStatistics
@Tag("machinery")
class MetricsIT extends PoolScenario {
    private static final int BORROWERS = 8;
    private static final int BORROWS_EACH = 25;

    @Test
    @DisplayName("8 borrowers x 25 prepared statements move the cache lookups, mostly hits, and the openings counted")
    void adapterCountersMoveUnderLoad() throws Exception {
        String pool = facts.jndiName();
        Metrics before = Metrics.scrape();
        assertTrue(before.contentType().startsWith("application/openmetrics-text"), before.contentType());

        ExecutorService threads = Executors.newFixedThreadPool(BORROWERS);
        try {
            List<CompletableFuture<Void>> borrowers = new ArrayList<>();
            for (int b = 0; b < BORROWERS; b++) {
                borrowers.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < BORROWS_EACH; i++) {
                        Reply reply = Probe.prepared("SELECT 1");
                        assertTrue(reply.ok(), reply.body());
                    }
                }, threads));
            }
            for (CompletableFuture<Void> borrower : borrowers) {
                borrower.get();
            }
        } finally {
            threads.shutdownNow();
        }

        Metrics after = Metrics.scrape();
        String lookups = "jdbcpool_statement_cache_lookups_total";
        double looked = after.sum(lookups, pool) - before.sum(lookups, pool);
        double hits = after.sum(lookups, pool, "result=hit") - before.sum(lookups, pool, "result=hit");
        String validations = "jdbcpool_validations_total";
        double validated = after.sum(validations, pool) - before.sum(validations, pool);
        double opened = after.sum("jdbcpool_connections_opened_total", pool);
        System.out.println(facts.name() + "/" + database.name() + " " + pool + ": " + BORROWERS * BORROWS_EACH
                + " borrows made " + looked + " statement cache lookups (" + hits + " hits), " + validated
                + " validations (" + (after.sum(validations, pool, "result=bypassed")
                - before.sum(validations, pool, "result=bypassed")) + " bypassed); " + opened
                + " connections opened in " + after.sum("jdbcpool_connection_open_seconds_total", pool) + " s");

        int borrows = BORROWERS * BORROWS_EACH;
        assertTrue(looked >= borrows, looked + " statement cache lookups for " + borrows + " prepared statements\n"
                + after.text());
        // Each physical connection misses once per statement; at most max of them serve the load.
        assertTrue(hits >= borrows - ServerControl.MAX, hits + " cache hits of " + looked + " lookups");
        assertTrue(opened >= 1, "connections opened\n" + after.text());
        assertTrue(after.sum("jdbcpool_connection_open_seconds_total", pool) > 0, after.text());
        if (facts.validatesOnBorrow()) {
            assertTrue(validated >= 1, facts.name() + " validates on borrow, yet no validation was counted");
        }
    }

    @Test
    @DisplayName("The server's own statistics are in the scrape: in use rises while connections are held, then falls")
    void serverStatisticsFollowTheLoad() throws Exception {
        List<CompletableFuture<Reply>> holders = new ArrayList<>();
        for (int i = 0; i < ServerControl.MAX; i++) {
            holders.add(Http.postAsync(Http.probe("/probe/hold?millis=4000")));
        }
        Await.value("a pool in use in the scrape", () -> Metrics.scrape().mostInUse() >= 1 ? 1 : 0, 1,
                Duration.ofSeconds(30));
        for (CompletableFuture<Reply> holder : holders) {
            Reply reply = holder.get();
            assertTrue(reply.ok(), reply.body());
        }
        Await.value("connections in use in the scrape once every holder is done", () -> (int) Metrics.scrape()
                .mostInUse(), 0, Duration.ofSeconds(30));

        Metrics scrape = Metrics.scrape();
        System.out.println(facts.name() + ": the server's statistics in the scrape: " + scrape.serverStatistics());
        assertTrue(scrape.serverStatistics().values().stream().anyMatch(s -> s.containsKey(facts.exampleStatistic())),
                facts.exampleStatistic() + " in\n" + scrape.text());
        assertTrue(scrape.text().endsWith("# EOF\n"), "the scrape ends with # EOF");
        assertEquals(scrape.text().indexOf("# EOF"), scrape.text().lastIndexOf("# EOF"), "one # EOF");
    }
}
