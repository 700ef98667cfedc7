package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PostgresDatabase;
import org.jdbcpoolra.it.support.TestDatabase;
import org.jdbcpoolra.it.support.WildFlyDomain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two servers of a WildFly managed domain on one PostgreSQL, configured by src-deploy/wildfly's scripts with the
 * domain's profile and server group: each server's pool is its own (min and max per server), seen from the database
 * by the application_name each server gives its sessions (the Url carries ${jboss.server.name}, which each server
 * resolves for itself).
 */
@Tag("domain")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("A managed domain: two servers, one database")
class ManagedDomainIT {
    static final int MIN = 2;
    static final int MAX = 5;
    private static final String ONE = "server-one";
    private static final String TWO = "server-two";

    private static PostgresDatabase db;
    private static WildFlyDomain domain;

    @BeforeAll
    static void startDomain() throws Exception {
        db = (PostgresDatabase) TestDatabase.named("postgresql");
        db.killPoolSessions();
        domain = WildFlyDomain.start();
        domain.addDriver(db);
        domain.cli("configure.cli", poolSettings(db, db.url() + "?ApplicationName=$${jboss.server.name}"));
        for (String server : WildFlyDomain.SERVERS) {
            Http.awaitOk(domain.uri(server, "/jdbc-pool-example/api/notes"));
        }
    }

    /** pool.properties with the database, sizes that make 2 x max small, and the timeout of a waiting borrower. */
    static Map<String, String> poolSettings(PostgresDatabase db, String url) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "deployment.path", org.jdbcpoolra.it.support.TestEnvironment.archive("jdbc-pool-example.ear")
                        .toString(),
                "Url", url, "User", db.user(), "Password", db.password(), "DriverClass", db.driverClass(),
                "pool.min", String.valueOf(MIN), "pool.max", String.valueOf(MAX),
                "pool.blocking-timeout-millis", "30000"));
        return settings;
    }

    @AfterAll
    static void stopDomain() {
        if (domain != null) {
            domain.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("each server fills its own min and stops at its own max: the database never sees more than 2 x max")
    void eachServerKeepsItsOwnMinAndMax() {
        Await.value("server-one's sessions at min", () -> sessions(ONE), MIN, Duration.ofSeconds(60));
        Await.value("server-two's sessions at min", () -> sessions(TWO), MIN, Duration.ofSeconds(60));

        Observed seen = underLoad(2 * MAX, 1500);

        assertEquals(List.of(), seen.failures(), "every borrower on both servers was served");
        assertEquals(MAX, seen.most().get(ONE), "server-one's sessions at most: " + seen.most());
        assertEquals(MAX, seen.most().get(TWO), "server-two's sessions at most: " + seen.most());
        assertTrue(seen.mostInAll() <= 2 * MAX, "sessions of both at once: " + seen.mostInAll());
        for (String server : WildFlyDomain.SERVERS) {
            Map<String, Long> statistics = domain.statistics(server);
            assertEquals(MAX, statistics.get("MaxUsedCount"), server + ": " + statistics);
            assertTrue(statistics.get("WaitCount") > 0, server + " queued borrowers beyond max: " + statistics);
        }
        System.out.printf("domain, direct: most sessions server-one %d, server-two %d, both %d (max %d each); "
                + "statistics one %s, two %s%n", seen.most().get(ONE), seen.most().get(TWO), seen.mostInAll(), MAX,
                domain.statistics(ONE), domain.statistics(TWO));
    }

    @Test
    @Order(2)
    @DisplayName("both servers serve the example on the same rows: added through one, counted through the other")
    void bothServersServeTheExample() {
        String body = "domain-" + System.nanoTime();
        Reply added = Http.post(domain.uri(ONE, "/jdbc-pool-example/api/notes"), body);
        assertEquals(201, added.status(), added.body());

        Reply counted = Http.get(domain.uri(TWO, "/jdbc-pool-example/api/notes/count?body="
                + URLEncoder.encode(body, StandardCharsets.UTF_8)));

        assertTrue(counted.ok() && counted.body().contains("\"rows\":1"), counted.body());
    }

    @Test
    @Order(3)
    @DisplayName("a server killed and started again rejoins and refills to min while the other keeps serving")
    void aKilledServerRejoinsWhileTheOtherServes() throws Exception {
        int before = sessions(TWO);
        assertTrue(before >= MIN, "server-two's sessions before the kill: " + before);
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> oneFailures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger oneServed = new java.util.concurrent.atomic.AtomicInteger();
        Thread traffic = new Thread(() -> {
            while (running.get()) {
                Reply reply = Http.outcome(() -> Http.post(domain.uri(ONE,
                        "/jdbc-pool-example/api/load?holdMillis=50"), ""));
                if (reply.ok()) {
                    oneServed.incrementAndGet();
                } else {
                    oneFailures.add(reply.status() + " " + reply.body());
                }
            }
        });
        traffic.start();
        try {
            domain.kill(TWO);
            Duration gone = Await.value("server-two's sessions after the kill", () -> sessions(TWO), 0,
                    Duration.ofSeconds(60));
            assertTrue(!domain.running(TWO), "the host controller leaves a crashed server stopped");
            int servedWhileDown = oneServed.get();

            domain.startServer(TWO);
            Duration refilled = Await.value("server-two's sessions after its restart", () -> sessions(TWO), MIN,
                    Duration.ofSeconds(60));
            Http.awaitOk(domain.uri(TWO, "/jdbc-pool-example/api/notes"));
            Reply load = Http.post(domain.uri(TWO, "/jdbc-pool-example/api/load?holdMillis=10"), "");
            assertTrue(load.ok(), load.body());
            running.set(false);
            traffic.join();

            assertEquals(List.of(), oneFailures, "server-one's borrowers while server-two was down and back");
            assertTrue(oneServed.get() > servedWhileDown, "server-one served throughout: " + oneServed.get());
            assertEquals((long) MIN, domain.statistics(TWO).get("CreatedCount"),
                    "server-two's new pool: " + domain.statistics(TWO));
            System.out.printf("domain, kill: server-two's %d sessions gone %d ms after the kill; back at min %d ms "
                    + "after its start; server-one served %d borrows meanwhile, none failed%n", before, gone.toMillis(),
                    refilled.toMillis(), oneServed.get());
        } finally {
            running.set(false);
            traffic.join();
        }
    }

    private static int sessions(String server) {
        return db.poolSessionsByApplicationName().getOrDefault(server, 0);
    }

    record Observed(List<String> failures, Map<String, Integer> most, int mostInAll) {
    }

    /** {@code perServer} borrowers on each server at once, each holding its connection; the database watched. */
    static Observed underLoad(int perServer, long holdMillis) {
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < perServer; i++) {
            for (String server : WildFlyDomain.SERVERS) {
                URI uri = domain.uri(server, "/jdbc-pool-example/api/load?holdMillis=" + holdMillis);
                replies.add(Http.postAsync(uri));
            }
        }
        Map<String, Integer> most = new HashMap<>(Map.of(ONE, 0, TWO, 0));
        int mostInAll = 0;
        while (!replies.stream().allMatch(CompletableFuture::isDone)) {
            Map<String, Integer> now = db.poolSessionsByApplicationName();
            int all = 0;
            for (String server : WildFlyDomain.SERVERS) {
                int n = now.getOrDefault(server, 0);
                most.merge(server, n, Math::max);
                all += n;
            }
            mostInAll = Math.max(mostInAll, all);
            Http.sleep(50);
        }
        List<String> failures = new ArrayList<>();
        for (CompletableFuture<Reply> reply : replies) {
            Reply r = Http.outcome(reply::join);
            if (!r.ok()) {
                failures.add(r.status() + " " + r.body());
            }
        }
        return new Observed(failures, most, mostInAll);
    }
}
