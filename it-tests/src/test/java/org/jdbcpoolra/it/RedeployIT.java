package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jdbcpoolra.it.support.Deployments;
import org.jdbcpoolra.it.support.FaultProxy;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.Probe;
import org.jdbcpoolra.it.support.ServerJvm;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * After the adapter is undeployed nothing of it stays in the server: no thread runs its code, none of its MBeans is
 * registered, no class loader of its deployments is still held (its classes would stay loaded) and no object of its
 * classes is reachable. Each cycle first gives the adapter every kind of work that outlives a borrower: connections
 * retired and renewed in place (MaxLifetime=2), keepalive checks every second, and a login to a database that
 * accepts the connection and never answers (a second adapter deployment, the RAR alone, whose Url points at a
 * silenced FaultProxy, LoginTimeout=2; H2's driver has no login timeout, so the adapter's own bounded login runs it
 * on a thread of its own and gives up on it). Then both pools are removed and both adapter deployments undeployed
 * (the example EAR, which embeds the RAR, with them), and the silent listener stops: before the undeploy in odd
 * cycles, after it in even ones (then the abandoned login is still waiting inside the adapter's thread while the
 * adapter goes, and returns only after). Then the server's JVM is observed from outside (ServerJvm: jcmd and a local
 * JMX agent). A leak of this kind depends on timing (a login thread still inside the adapter at undeploy), so the
 * cycle runs 3 times, each asserted on its own.
 * <p>
 * Some of what a server keeps, it keeps once, of whichever deployment came first, and for as long as it runs; that is
 * left out, loader by loader, and object counts above it count: a first cycle runs unobserved, what is held after it
 * is the baseline, and each of the 3 cycles after must leave nothing beyond it. Seen so: WildFly's request threads
 * keep the first request each served for as long as they live (jboss-threads' ThreadBody.run holds its initial task
 * in a local), so the example EAR that a new thread's first request went to stays; Payara's own H2 driver (Payara's
 * class loader, parent of the RAR's) keeps a static SQLException whose stack trace holds the adapter class that first
 * opened an H2 connection, and an AMX thread started during the first EAR deployment keeps that EAR's class loader as
 * its context class loader. The cycles after the first send the example no request. The probe WAR stays deployed:
 * its classes ({@code org.jdbcpoolra.it.}) are not the adapter's, and it holds nothing of the pool between requests
 * (the lookup-only probe; its beans look the pool up per instance). Open Liberty keeps nothing, not even of the first
 * cycle, since the adapter erases what the JVM registered of it (DriverManager, java.beans' caches) and the tests'
 * HTTP client stopped asking for HTTP/2 (an upgraded connection keeps its web module while it is open); what each
 * held was found with a heap dump taken when a cycle failed (GC.heap_dump, the path from a GC root).
 */
@PoolSettings.Use({"MaxLifetime=2", "KeepaliveSeconds=1"})
@Deployments.Uses(Deployments.Probe.LOOKUP_ONLY)
@Tag("machinery")
class RedeployIT extends PoolScenario {
    private static final int CYCLES = 3;
    private static final int BORROWERS = 3;
    /** Long enough for renewals (MaxLifetime 2 s, each up to a tenth sooner) and keepalive passes (1 s). */
    private static final long LOAD_MILLIS = 4000;
    private static final int LOGIN_TIMEOUT_SECONDS = 2;
    /**
     * Open Liberty keeps the log records of its first 5 minutes for log handlers that start late (BaseTraceService's
     * early messages, under soft references, dropped by a timer 5 minutes after the start); a record the adapter
     * logged then names the adapter's class (a heap dump after cycle 1: WsLogRecord.ivTraceClass). The observed cycles
     * start after that.
     */
    private static final Map<String, Duration> KEEPS_EARLY_LOG_RECORDS = Map.of("liberty", Duration.ofMinutes(5));
    /** How long the server may take to let go after an undeploy: collections, threads ending. */
    private static final Duration SETTLE = Duration.ofSeconds(60);

    /**
     * What of the adapter the server's JVM holds: threads with a frame in its code, live objects per class, its
     * classes per class loader (named with the loader's identity), its MBeans.
     */
    record Held(List<String> threads, Map<String, Long> instances, Map<String, Set<String>> classes,
            Set<String> mbeans) {

        /**
         * What this holds beyond {@code before}: every thread and MBean (there must be none whatever came before),
         * class loaders {@code before} did not have, and objects of a class above {@code before}'s count.
         */
        Held beyond(Held before) {
            Map<String, Long> moreInstances = new TreeMap<>();
            instances.forEach((name, count) -> {
                long more = count - before.instances().getOrDefault(name, 0L);
                if (more > 0) {
                    moreInstances.put(name, more);
                }
            });
            Map<String, Set<String>> newLoaders = new TreeMap<>(classes);
            newLoaders.keySet().removeAll(before.classes().keySet());
            return new Held(threads, moreInstances, newLoaders, mbeans);
        }

        boolean none() {
            return threads.isEmpty() && instances.isEmpty() && classes.isEmpty() && mbeans.isEmpty();
        }

        String summary() {
            Map<String, Integer> classesByLoader = new TreeMap<>();
            classes.forEach((loader, names) -> classesByLoader.put(loader, names.size()));
            return threads.size() + " threads in its code, " + instances.values().stream().mapToLong(Long::longValue)
                    .sum() + " live objects " + instances + ", classes by loader " + classesByLoader + ", MBeans "
                    + mbeans;
        }
    }

    /** Whether the class's pool is removed now, so that it must be configured again for the class's end. */
    private boolean removed;

    @Test
    @DisplayName("Undeployed after renewals, keepalives and a login that got no answer, 3 times after a first: no "
            + "thread runs the adapter's code, no MBean, class loader or object of it remains")
    void undeployLeavesNothingOfTheAdapter() throws Exception {
        PoolSettings pool = PoolSettings.forClass(getClass());
        try {
            cycle(0, null);
            ServerJvm jvm = new ServerJvm(server.pid());
            Duration keeps = KEEPS_EARLY_LOG_RECORDS.getOrDefault(facts.name(), Duration.ZERO);
            Duration wait = keeps.minus(jvm.uptime()).plusSeconds(keeps.isZero() ? 0 : 10);
            if (!wait.isNegative()) {
                System.out.println("redeploy: " + facts.name() + " keeps the log records of its first "
                        + keeps.toMinutes() + " minutes; waiting " + wait.toSeconds() + " s for it to let them go");
                Http.sleep(wait.toMillis());
            }
            Held before = settled(jvm);
            System.out.println("redeploy: " + facts.name() + "/" + database.name() + " held after the first cycle, "
                    + "left out of the cycles after it: " + before.summary());
            assertEquals(List.of(), before.threads(), "threads running the adapter's code after the first cycle");
            assertEquals(Set.of(), before.mbeans(), "the adapter's MBeans after the first cycle");
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                server.configure(pool);
                removed = false;
                cycle(cycle, before);
            }
        } finally {
            // The class's pool is removed after it, as for every class: give it one to remove.
            if (removed) {
                server.configure(PoolSettings.defaults());
            }
        }
    }

    /**
     * One cycle: the pool under load, a silent login on a second pool, both removed; then, unless it is the first
     * ({@code before} null), the server observed.
     */
    private void cycle(int cycle, Held before) throws Exception {
        List<String> failed = Probe.steadyLoad(BORROWERS, LOAD_MILLIS, () -> Probe.query("SELECT 1")).stream()
                .filter(timed -> !timed.reply().ok()).map(timed -> timed.reply().body()).toList();
        assertEquals(List.of(), failed, "cycle " + cycle + ": borrowers of the pool that failed");

        // Odd cycles stop the silent listener before the undeploy, even ones undeploy while the login still hangs.
        boolean hungAtUndeploy = cycle % 2 == 0;
        FaultProxy silent = FaultProxy.to("127.0.0.1", database.port());
        silent.silence();
        Reply login;
        long loginMillis;
        int threadsAtUndeploy = -1;
        try {
            String refused = server.configureStandalone(PoolSettings.defaults()
                    .with("Url", database.urlThrough(silent))
                    .with("LoginTimeout", String.valueOf(LOGIN_TIMEOUT_SECONDS)));
            assertNull(refused, "cycle " + cycle + ": the second pool was refused");
            long start = System.nanoTime();
            login = Http.post(Http.probe("/probe/borrow?name="
                    + URLEncoder.encode(facts.standaloneJndiName(), StandardCharsets.UTF_8)), "");
            loginMillis = (System.nanoTime() - start) / 1_000_000;
        } finally {
            // Stopping the silent listener closes the connections it held: a login waiting on one returns.
            if (!hungAtUndeploy) {
                silent.close();
            }
            server.removeStandalone();
            server.remove();
            removed = true;
            if (hungAtUndeploy) {
                threadsAtUndeploy = new ServerJvm(server.pid()).threadsRunning(RedeployIT::adapterClass).size();
                silent.close();
            }
        }
        assertEquals(503, login.status(), "cycle " + cycle + ": a borrower of the silent database was served: "
                + login.body());
        assertTrue(silent.accepted() > 0, "cycle " + cycle + ": no login reached the silent database");
        if (before == null) {
            return;
        }

        long removedAt = System.nanoTime();
        Held left = awaitNothingBeyond(new ServerJvm(server.pid()), before);
        long settledMillis = (System.nanoTime() - removedAt) / 1_000_000;
        System.out.println("redeploy: " + facts.name() + "/" + database.name() + " cycle " + cycle + ": "
                + silent.accepted() + " connections to the silent database, its borrower failed after " + loginMillis
                + " ms, " + (hungAtUndeploy ? "undeployed while the login hung (" + threadsAtUndeploy + " threads in "
                + "the adapter's code then), the listener stopped after" : "the listener stopped before the undeploy")
                + "; " + (left.none() ? "nothing of the cycle's deployments left, seen " + settledMillis
                + " ms after the removal" : "after " + settledMillis + " ms still " + left.summary()));
        left.threads().forEach(thread -> System.out.println("redeploy: thread in the adapter's code:\n" + thread));

        assertEquals(List.of(), left.threads(), "cycle " + cycle + ": threads running the adapter's code "
                + SETTLE.toSeconds() + " s after it was undeployed");
        assertEquals(Set.of(), left.mbeans(), "cycle " + cycle + ": the adapter's MBeans after it was undeployed");
        assertEquals(Map.of(), left.classes(), "cycle " + cycle + ": class loaders still holding the adapter's "
                + "classes " + SETTLE.toSeconds() + " s after it was undeployed (loader: classes)");
        assertEquals(Map.of(), left.instances(), "cycle " + cycle + ": live objects of the adapter's classes "
                + SETTLE.toSeconds() + " s after it was undeployed, beyond those held before the cycles "
                + "(class=objects)");
    }

    /** What the server holds once it holds the same twice in a row (or {@link #SETTLE} has passed). */
    private static Held settled(ServerJvm jvm) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Held last = look(jvm);
        while (System.nanoTime() < deadline) {
            Http.sleep(1000);
            Held now = look(jvm);
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /**
     * Looks at the server's JVM until it holds nothing of the adapter beyond {@code before}, or {@link #SETTLE} has
     * passed; what it held beyond that at the last look.
     */
    private static Held awaitNothingBeyond(ServerJvm jvm, Held before) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            Held beyond = look(jvm).beyond(before);
            if (beyond.none() || System.nanoTime() > deadline) {
                return beyond;
            }
            Http.sleep(1000);
        }
    }

    /**
     * One look; the histogram and the class loader tree each collect garbage first (objects and classes nothing
     * reaches are gone before they are counted).
     */
    private static Held look(ServerJvm jvm) throws Exception {
        return new Held(jvm.threadsRunning(RedeployIT::adapterClass), jvm.liveInstances(RedeployIT::adapterClass),
                jvm.loadedClasses(RedeployIT::adapterClass), jvm.mbeans("org.jdbcpoolra:*"));
    }

    /**
     * The adapter's classes, and those of the example EAR that embeds it; not the probe's ({@code org.jdbcpoolra.it.}),
     * which stays deployed.
     */
    private static boolean adapterClass(String name) {
        return name.startsWith("org.jdbcpoolra.") && !name.startsWith("org.jdbcpoolra.it.");
    }
}
