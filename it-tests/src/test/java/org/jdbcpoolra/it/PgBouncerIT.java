package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jdbcpoolra.it.support.Deployments;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.Metrics;
import org.jdbcpoolra.it.support.PgBouncer;
import org.jdbcpoolra.it.support.PostgresDatabase;
import org.jdbcpoolra.it.support.TestDatabase;
import org.jdbcpoolra.it.support.TestEnvironment;
import org.jdbcpoolra.it.support.WildFlyDomain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The two servers of a managed domain behind PgBouncer in transaction mode (src-deploy/pgbouncer/pgbouncer.ini), with a
 * PgBouncer pool smaller than the servers' combined max: the pools set TransactionPooler=true and their Url
 * prepareThreshold=0, as pool.properties says for PgBouncer, and the statement cache is on.
 */
@Tag("domain")
@DisplayName("Two servers behind PgBouncer (transaction pooling)")
class PgBouncerIT {
    static final int MAX = ManagedDomainIT.MAX;
    /** Smaller than the servers' 2 x max. */
    static final int BOUNCER_POOL = 4;

    private static PostgresDatabase db;
    private static PgBouncer bouncer;
    private static WildFlyDomain domain;

    @BeforeAll
    static void start() throws Exception {
        db = (PostgresDatabase) TestDatabase.named("postgresql");
        db.killPoolSessions();
        bouncer = PgBouncer.start(db, 11000 + db.port(), BOUNCER_POOL, Map.of());
        domain = WildFlyDomain.start();
        domain.addDriver(db);
        Map<String, String> settings = poolSettings();
        domain.cli("configure.cli", settings);
        Path probe = TestEnvironment.work().resolve("probe.war");
        Deployments.lookupOnlyProbe().as(ZipExporter.class).exportTo(probe.toFile(), true);
        domain.command("deploy " + probe + " --server-groups=" + WildFlyDomain.GROUP);
        for (String server : WildFlyDomain.SERVERS) {
            Http.awaitOk(domain.uri(server, "/jdbc-pool-example/api/notes"));
            Http.awaitOk(domain.uri(server, "/probe/probe/session"));
        }
    }

    private static Map<String, String> poolSettings() {
        var settings = new java.util.HashMap<>(ManagedDomainIT.poolSettings(db,
                "jdbc:postgresql://127.0.0.1:" + bouncer.port() + "/pool_it?prepareThreshold=0"
                        + "&ApplicationName=$${jboss.server.name}"));
        settings.put("TransactionPooler", "true");
        settings.put("PreparedStatementCacheSize", "8");
        return settings;
    }

    @AfterAll
    static void stop() throws Exception {
        if (domain != null) {
            domain.close();
        }
        if (bouncer != null) {
            bouncer.close();
        }
    }

    @Test
    @DisplayName("both servers at their max in transactions: the database sees no more sessions than PgBouncer's pool")
    void theDatabaseSeesAtMostPgBouncersPool() {
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            for (String server : WildFlyDomain.SERVERS) {
                replies.add(Http.postAsync(domain.uri(server, "/probe/probe/hold-transaction?millis=1500")));
            }
        }
        int most = 0;
        while (!replies.stream().allMatch(CompletableFuture::isDone)) {
            most = Math.max(most, db.poolSessions());
            Http.sleep(50);
        }
        List<String> failures = replies.stream().map(CompletableFuture::join).filter(r -> !r.ok())
                .map(r -> r.status() + " " + r.body()).toList();

        assertEquals(List.of(), failures, "every borrower's transaction was served, waiting at PgBouncer if need be");
        assertEquals(BOUNCER_POOL, most, "the database's sessions at most, with " + 2 * MAX + " borrowers");
        for (String server : WildFlyDomain.SERVERS) {
            assertEquals((long) MAX, domain.statistics(server).get("MaxUsedCount"), server + "'s pool reached max");
        }
        System.out.printf("domain behind PgBouncer: %d borrowers in transactions (max %d per server, both servers at "
                + "max), the database saw at most %d sessions (PgBouncer pool %d)%n", 2 * MAX, MAX, most,
                BOUNCER_POOL);
    }

    @Test
    @DisplayName("what a borrower sets for its session never reaches the next borrower of the same server session")
    void sessionStateNeverReachesAnotherBorrower() {
        // Each setting is made by a statement that also names its server session: through a transaction pooler the
        // borrower's next statement may run on another one.
        Set<String> changed = new TreeSet<>();
        for (String setting : List.of("set_config('search_path', 'leaked_schema, public', false)",
                "set_config('default_transaction_isolation', 'serializable', false)",
                "set_config('statement_timeout', '4711', false)")) {
            changed.add(value("server-one", "SELECT pg_backend_pid() || ';' || " + setting).split(";")[0]);
        }
        Reply readOnly = Http.post(domain.uri("server-one", "/probe/probe/read-only?sql="
                + encode("SHOW transaction_read_only")), "");
        assertTrue(readOnly.ok() && readOnly.body().endsWith("|on"), "read-only inside its transaction: "
                + readOnly.body());

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4 * BOUNCER_POOL; i++) {
            String server = WildFlyDomain.SERVERS.get(i % 2);
            seen.add(value(server, "SELECT pg_backend_pid() || ';' || current_setting('search_path') || ';' || "
                    + "current_setting('transaction_isolation') || ';' || current_setting('statement_timeout') || ';' "
                    + "|| current_setting('transaction_read_only')"));
        }
        System.out.println("behind PgBouncer: settings changed on server sessions " + changed + "; later borrowers "
                + "saw " + seen);
        List<String> leaked = seen.stream().filter(v -> !v.substring(v.indexOf(';') + 1)
                .equals("\"$user\", public;read committed;0;off")).toList();
        assertEquals(List.of(), leaked, "settings seen by later borrowers (of " + seen.size() + ")");
        List<String> sameSession = seen.stream().filter(v -> changed.contains(v.split(";")[0])).toList();
        assertTrue(!sameSession.isEmpty(), "no later borrower ran on a server session " + changed + " where the "
                + "settings were changed: the test proves nothing");
    }

    @Test
    @DisplayName("setTransactionIsolation is refused with a message that says why and what to do instead")
    void isolationThroughJdbcIsRefused() {
        for (String server : WildFlyDomain.SERVERS) {
            Reply refused = Http.post(domain.uri(server, "/probe/probe/isolation?level=8"), "");
            assertEquals(503, refused.status(), refused.body());
            assertTrue(refused.body().contains("|0A000|") && refused.body().contains("TransactionPooler=true")
                    && refused.body().contains("SET TRANSACTION ISOLATION LEVEL"), refused.body());
            assertTrue(!refused.body().contains(db.password()), "no password in " + refused.body());
        }
    }

    @Test
    @DisplayName("prepared statements from the statement cache and validated borrows work through PgBouncer")
    void cachedStatementsAndValidationWork() {
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String server = WildFlyDomain.SERVERS.get(i % 2);
            Reply reply = Http.post(domain.uri(server, "/probe/probe/prepared?sql=" + encode("SELECT 1")), "");
            if (!reply.ok()) {
                failures.add(server + ": " + reply.body());
            }
        }
        assertEquals(List.of(), failures);
        for (String server : WildFlyDomain.SERVERS) {
            Metrics metrics = Metrics.scrape(domain.uri(server, "/jdbc-pool-example/api/metrics"));
            double hits = metrics.sum("jdbcpool_statement_cache_lookups_total", "java:/jdbc/Pool", "result=hit");
            double validations = metrics.sum("jdbcpool_validations_total", "java:/jdbc/Pool");
            assertTrue(hits >= 10, server + ": " + hits + " cache hits\n" + metrics.text());
            assertTrue(validations >= 20, server + ": " + validations + " validations\n" + metrics.text());
            System.out.printf("behind PgBouncer, %s: %.0f statement cache hits, %.0f validations%n", server, hits,
                    validations);
        }
    }


    /** What one borrower on that server reads: the first column of the first row. */
    private static String value(String server, String sql) {
        Reply reply = Http.get(domain.uri(server, "/probe/probe/value?sql=" + encode(sql)));
        assertTrue(reply.ok(), reply.body());
        return reply.body().substring(reply.body().indexOf('|') + 1);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
