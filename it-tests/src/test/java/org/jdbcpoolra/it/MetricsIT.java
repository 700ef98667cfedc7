package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.Metrics;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.Probe;
import org.jdbcpoolra.it.support.ReadsPoolStatistics;
import org.jdbcpoolra.it.support.ServerControl;
import org.jdbcpoolra.it.support.TestEnvironment;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The example's /api/metrics scraped as Prometheus scrapes it, before and after load put on the pool through the
 * probe: the adapter's own counters and the server's own statistics move with what the pool did. And the example's
 * live page opened in a real headless Chromium (Debian's package) while borrowers hold connections: the page itself
 * must have sampled the pool, seen connections in use and drawn its chart. That test is tagged browser: the plain
 * test command leaves it out (a machine with only a JDK has no Chromium); .ci/run installs Chromium.
 */
@PoolSettings.Use("PreparedStatementCacheSize=8")
@ReadsPoolStatistics
@Tag("machinery")
class MetricsIT extends PoolScenario {
    private static final int BORROWERS = 8;
    private static final int BORROWS_EACH = 25;
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int PAGE_BORROWERS = 3;

    @Test
    @DisplayName("8 borrowers x 25 prepared statements move the cache lookups, mostly hits")
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
        // Each physical connection that served the load misses once: at most max were open when it began, and a
        // server may replace some during it (a renewal or a connection it destroyed), each such one opened anew.
        double openedDuring = opened - before.sum("jdbcpool_connections_opened_total", pool);
        assertTrue(hits >= borrows - ServerControl.MAX - openedDuring, hits + " cache hits of " + looked
                + " lookups, with " + openedDuring + " connections opened during the load");
        // Openings are counted exactly where the test makes them happen: IdleTimeoutIT and RefusedSignOnIT.
        assumeTrue(facts.validatesOnBorrow(), facts.name() + " never asks for validation when it lends a "
                + "connection: no validation to count");
        assertTrue(validated >= 1, facts.name() + " validates on borrow, yet no validation was counted");
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

    @Test
    @Tag("browser")
    @DisplayName("Under load the live page samples the pool every second, sees connections in use and draws the chart")
    void livePageChartsThePoolUnderLoad() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: apt-get install chromium (.ci/run does)");
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService borrowers = Executors.newFixedThreadPool(PAGE_BORROWERS);
        try {
            for (int b = 0; b < PAGE_BORROWERS; b++) {
                borrowers.submit(() -> {
                    while (loading.get()) {
                        Http.post(Http.probe("/probe/hold?millis=1000"), "");
                    }
                });
            }
            // The page runs on Chromium's virtual time and may take all its samples within a second or two of real
            // time: it opens once the server itself reports the held connections (on Payara a loaded CI machine
            // took longer than that to start the holders, and the page saw 0 in use in each of its 4 samples).
            Await.value("a pool in use in the scrape", () -> Metrics.scrape().mostInUse() >= 1 ? 1 : 0, 1,
                    Duration.ofSeconds(30));
            String page = Http.example("/").toString();
            String dom = chromium(List.of("--dump-dom", page));
            int samples = figure(dom, "samples");
            int peakInUse = figure(dom, "peakInUse");
            System.out.println(facts.name() + ": the live page took " + samples + " samples, most in use " + peakInUse
                    + "; " + status(dom));
            assertTrue(samples >= 3, samples + " samples in 8 s of the page's time; " + status(dom));
            assertTrue(peakInUse >= 1, "the page never saw a connection in use; " + status(dom));
            assertTrue(dom.contains("<canvas"), "the chart drew no canvas");

            Path screenshot = TestEnvironment.work().resolve("live-page-" + facts.name() + ".png");
            chromium(List.of("--screenshot=" + screenshot, "--window-size=1200,820", "--hide-scrollbars", page));
            assertTrue(Files.size(screenshot) > 0, "no screenshot at " + screenshot);
        } finally {
            loading.set(false);
            borrowers.shutdown();
            borrowers.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** Runs Chromium headless for 8 s of the page's (virtual) time; returns what it printed. */
    private static String chromium(List<String> arguments) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
                "--virtual-time-budget=8000"));
        command.addAll(arguments);
        Path out = Files.createTempFile("chromium", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish within 120 s: " + command);
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static int figure(String dom, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\"[^>]*>(\\d+)<").matcher(dom);
        assertTrue(m.find(), "no #" + id + " in the page:\n" + dom);
        return Integer.parseInt(m.group(1));
    }

    private static String status(String dom) {
        Matcher m = Pattern.compile("id=\"status\"[^>]*>([^<]*)<").matcher(dom);
        return m.find() ? "the page says: " + m.group(1) : "no status in the page";
    }
}
