package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.ReadsPoolStatistics;
import org.jdbcpoolra.it.support.TestEnvironment;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The example's live page opened in a real headless Chromium (Debian's package) while borrowers hold connections:
 * the page itself must have sampled the pool, seen connections in use and drawn its chart. Tagged browser: the plain
 * test command leaves it out (a machine with only a JDK has no Chromium); .ci/run installs Chromium.
 */
@ReadsPoolStatistics
@Tag("browser")
class LivePageIT extends PoolScenario {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final int BORROWERS = 3;

    @Test
    @DisplayName("Under load the live page samples the pool every second, sees connections in use and draws the chart")
    void livePageChartsThePoolUnderLoad() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: apt-get install chromium (.ci/run does)");
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService borrowers = Executors.newFixedThreadPool(BORROWERS);
        try {
            for (int b = 0; b < BORROWERS; b++) {
                borrowers.submit(() -> {
                    while (loading.get()) {
                        Http.post(Http.probe("/probe/hold?millis=300"), "");
                    }
                });
            }
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
