package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.BLOCKING_TIMEOUT_MILLIS;
import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.jdbcpoolra.it.support.ServerControl.MIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.ReadsPoolStatistics;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolStatistics;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Min, max, the wait queue and its blocking timeout, and reuse, observed from the database (sessions of user POOL)
 * and from the server's pool statistics. Each test stands alone (PoolPrefillIT has the one that needs an untouched
 * pool).
 */
@ReadsPoolStatistics
@Tag("machinery")
class PoolSizingIT extends PoolScenario {

    @Test
    @DisplayName("Sequential borrowers reuse the pooled physical connections: no new sessions, no new creations")
    void sequentialBorrowersReusePhysicalConnections() {
        assertEquals(200, Http.get(Http.probe("/probe/session")).status(), "a first borrower opens the pool");
        int kept = facts.sessionsAfterFirstBorrow(MIN);
        Await.value("POOL sessions at min or more", () -> Math.min(database.poolSessions(), kept), kept,
                Duration.ofSeconds(20));
        int sessionsBefore = database.poolSessions();
        long createdBefore = server.poolStatistics().created();
        Set<String> sessions = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Reply reply = Http.get(Http.probe("/probe/session"));
            assertEquals(200, reply.status(), reply.body());
            sessions.add(reply.body());
        }
        assertTrue(sessions.size() <= sessionsBefore, "20 sequential borrowers used sessions " + sessions + " of "
                + sessionsBefore);
        assertEquals(sessionsBefore, database.poolSessions());
        assertEquals(createdBefore, server.poolStatistics().created());
    }

    @Test
    @DisplayName("More concurrent borrowers than max: never more than max sessions, the extra ones wait and are served")
    void moreBorrowersThanMaxWaitAndAreServed() throws Exception {
        int borrowers = MAX + 3;
        AtomicInteger peak = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(database.poolSessions(), Math::max);
                Http.sleep(20);
            }
        });
        sampler.start();
        List<CompletableFuture<Reply>> calls = new ArrayList<>();
        for (int i = 0; i < borrowers; i++) {
            calls.add(Http.postAsync(Http.probe("/probe/hold?millis=1500")));
        }
        List<Long> waits = new ArrayList<>();
        for (CompletableFuture<Reply> call : calls) {
            Reply reply = call.get();
            assertEquals(200, reply.status(), "every borrower is served within the blocking timeout: " + reply);
            waits.add(Long.parseLong(reply.body().split("\\|")[1]));
        }
        sampling.set(false);
        sampler.join();

        assertEquals(MAX, peak.get(), "peak of POOL sessions seen by the database");
        long waited = waits.stream().filter(w -> w >= 1000).count();
        assertTrue(waited >= borrowers - MAX, "borrowers that waited for a returned connection: " + waits);
        PoolStatistics stats = server.poolStatistics();
        assertTrue(stats.waited() >= 1, stats.raw());
        assumeTrue(stats.peakInUse() >= 0, facts.name() + " keeps no high-water mark of connections in use (the "
                + "database's peak above stands for it)");
        assertEquals(MAX, stats.peakInUse(), stats.raw());
    }

    @Test
    @DisplayName("With all max connections held, the next borrower gets a clear SQLException after the blocking "
            + "timeout")
    void borrowerBeyondMaxFailsAfterBlockingTimeout() throws Exception {
        List<CompletableFuture<Reply>> holders = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            holders.add(Http.postAsync(Http.probe("/probe/hold?millis=" + (BLOCKING_TIMEOUT_MILLIS + 4000))));
        }
        Await.value("POOL sessions while all are held", database::poolSessions, MAX, Duration.ofSeconds(10));
        Http.sleep(300);

        Reply late = Http.post(Http.probe("/probe/hold?millis=0"), "");
        assertEquals(503, late.status(), late.body());
        String[] parts = late.body().split("\\|", 4);
        long waited = Long.parseLong(parts[0]);
        assertTrue(waited >= BLOCKING_TIMEOUT_MILLIS - 100 && waited < BLOCKING_TIMEOUT_MILLIS + 2500,
                "failed after " + waited + " ms; blocking timeout is " + BLOCKING_TIMEOUT_MILLIS);
        assertTrue(parts[1].startsWith("java.sql.SQL"), late.body());
        assertTrue(parts[3].startsWith(facts.jndiName() + ": could not get a connection"), late.body());
        assertTrue(parts[3].contains(facts.exhaustedText()), late.body());

        for (CompletableFuture<Reply> holder : holders) {
            assertEquals(200, holder.get().status());
        }
        assertTrue(database.poolSessions() <= MAX);
    }
}
