package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.Metrics;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The most common bug in code that uses a pool: a connection taken and never closed. With src-deploy's leak
 * detection on, the server takes each one back (WildFly: its cached connection manager when the EJB call ends;
 * Payara: after the leak timeout) and reports it with the stack of the code that took it, so the pool is never
 * exhausted and the report points at the line to fix. Liberty reports none: the adapter's cleanup takes the connection
 * back when the container's transaction ends, so there the test proves the pool survives.
 */
@PoolSettings.Use("leak-detection=true")
@Tag("machinery")
class ConnectionLeakIT extends PoolScenario {
    private static final String ACQUIRING_METHOD = "ProbeTransactions.leakConnection";


    @Test
    @DisplayName("10 x max calls that never close their connection: all served, the pool survives, each leak "
            + "reported with its acquirer")
    void leakedConnectionsAreReclaimedAndReported() throws Exception {
        long logBefore = Files.size(facts.serverLog());
        int calls = 10 * MAX;
        Metrics before = Metrics.scrape();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            Reply reply = Http.post(Http.probe("/probe/tx/leak"), "");
            if (!reply.ok()) {
                failures.add(reply.status() + " " + reply.body());
            }
        }
        assertEquals(List.of(), failures, "leaking calls that could not get a connection");
        Reply after = Http.post(Http.probe("/probe/query?sql=SELECT%201"), "");
        assertTrue(after.ok(), "a well-behaved borrower after the leaks: " + after.body());
        int sessions = database.poolSessions();
        assertTrue(sessions <= MAX, "sessions after the leaks: " + sessions);
        String closedFor = "jdbcpool_handles_closed_for_application_total";
        double closedByPool = Metrics.scrape().sum(closedFor, facts.jndiName()) - before.sum(closedFor,
                facts.jndiName());
        System.out.println(facts.name() + ": " + closedByPool + " of " + calls + " leaked handles still open when "
                + "the server took the connection back");
        // A server that reports leaks closes the handle itself (WildFly's cached connection manager, Payara's leak
        // reclaim); where it reports none (Liberty), the adapter finds every leaked handle open when the transaction
        // ends and closes it for the application.
        assertEquals(facts.leakReportText() == null ? calls : 0, closedByPool, "leaked handles counted in "
                + closedFor);

        assumeTrue(facts.leakReportText() != null, facts.name() + " reports no leak (" + calls + " leaked "
                + "connections taken back): the reports are not proven there");
        String log = awaitReports(logBefore, calls);
        List<String> reports = reports(log);
        System.out.println(facts.name() + " leak reports: " + reports.size() + " for " + calls + " leaked "
                + "connections; first:\n" + (reports.isEmpty() ? "-" : reports.get(0)));
        assertEquals(calls, reports.size(), "one report per leaked connection");
        for (String report : reports) {
            assertTrue(report.contains(ACQUIRING_METHOD), "the report names the acquiring code:\n" + report);
        }
    }

    /** The server log written since the test began, once it holds a report for every leak (Payara reports late). */
    private String awaitReports(long offset, int expected) throws Exception {
        String log = "";
        for (int i = 0; i < 100 && reports(log).size() < expected; i++) {
            byte[] all = Files.readAllBytes(facts.serverLog());
            log = new String(all, (int) offset, all.length - (int) offset);
            Http.sleep(100);
        }
        return log;
    }

    /** Each report with the stack trace that follows it, up to the next report. */
    private List<String> reports(String log) {
        List<String> reports = new ArrayList<>();
        String marker = facts.leakReportText();
        int at = log.indexOf(marker);
        while (at >= 0) {
            int next = log.indexOf(marker, at + marker.length());
            reports.add(log.substring(at, next < 0 ? Math.min(log.length(), at + 20_000) : next));
            at = next;
        }
        return reports;
    }
}
