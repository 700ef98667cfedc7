package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.SharedPool;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sessions killed in the middle of container-managed transactions: each transaction is all or nothing in the
 * database, every transaction the server reported committed is there in full, and the pool goes on serving.
 */
@SharedPool
@Tag("fault")
class AtomicityUnderFaultIT extends PoolScenario {
    private static final int ROWS = 5;
    private static final int PAUSE_MILLIS = 200;
    private static final int ROUNDS = 3;


    @Test
    @DisplayName("Sessions killed mid-transaction: no partial rows, every committed transaction complete")
    void killedTransactionsLeaveNoPartialRows() throws Exception {
        String prefix = "atom-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Map<String, Reply> outcomes = new LinkedHashMap<>();
        int killed = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, CompletableFuture<Reply>> calls = new LinkedHashMap<>();
            // One more transaction than max: one waits for a connection and starts after the kill.
            for (int i = 0; i <= MAX; i++) {
                String tag = prefix + round + "-" + i;
                calls.put(tag, Http.postAsync(Http.probe("/probe/tx/rows?tag=" + tag + "&rows=" + ROWS
                        + "&pauseMillis=" + PAUSE_MILLIS)));
            }
            Http.sleep(ROWS * PAUSE_MILLIS / 2);
            killed += database.killPoolSessions();
            for (Map.Entry<String, CompletableFuture<Reply>> call : calls.entrySet()) {
                outcomes.put(call.getKey(), call.getValue().get());
            }
        }

        Map<String, Integer> rows = database.rowsByTag(prefix);
        List<String> wrong = new ArrayList<>();
        int committed = 0;
        for (Map.Entry<String, Reply> outcome : outcomes.entrySet()) {
            int found = rows.getOrDefault(outcome.getKey(), 0);
            boolean ok = outcome.getValue().ok();
            committed += ok ? 1 : 0;
            if (ok ? found != ROWS : found != 0) {
                wrong.add(outcome.getKey() + " " + (ok ? "committed" : "failed (" + outcome.getValue().body() + ")")
                        + " but has " + found + " rows");
            }
        }
        System.out.println(database.name() + ": " + outcomes.size() + " transactions, " + killed
                + " sessions killed, " + committed + " committed, " + (outcomes.size() - committed) + " rolled back");
        assertEquals(List.of(), wrong, "transactions whose rows in the database do not match their outcome");
        assertTrue(committed < outcomes.size(), "no transaction was interrupted: the kill did not hit any");
        assertTrue(killed >= ROUNDS, "sessions killed: " + killed);

        String after = prefix + "after";
        Reply healthy = Http.post(Http.probe("/probe/tx/rows?tag=" + after + "&rows=" + ROWS + "&pauseMillis=0"), "");
        assertEquals(200, healthy.status(), healthy.body());
        assertEquals(ROWS, database.rowsTagged(after));
    }
}
