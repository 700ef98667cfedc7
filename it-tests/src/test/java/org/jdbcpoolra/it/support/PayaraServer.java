package org.jdbcpoolra.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;
import java.util.Map;

import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.probe.PayaraDirectLookupProbe;

/**
 * Payara under test: src-deploy/payara/configure.sh and remove.sh with a properties file built from
 * src-deploy/payara/pool.properties, the example EAR deployed with asadmin (it brings its own pool), statistics
 * from Payara's REST monitoring API.
 */
public final class PayaraServer implements ServerControl {
    private static final int PORT_BASE = Integer.getInteger("payara.portbase", 20000);
    public static final int HTTP_PORT = PORT_BASE + 80;
    static final int ADMIN_PORT = PORT_BASE + 48;
    private static final HttpClient REST = HttpClient.newHttpClient();

    private static final ServerFacts FACTS = new ServerFacts("payara", HTTP_PORT, "jdbc/Pool", "jdbc/Standalone",
            "jdbc/Xa", "java:appserver/TransactionManager", Duration.ofSeconds(20), "expired max-wait-time",
            ServerFacts.Prefill.ON_FIRST_BORROW, false, List.of("pool.min", "pool.max"), "pool.max-wait-millis",
            "A potential connection leak detected", true, true, true, "numconnfree", PayaraDirectLookupProbe.class,
            home().resolve("glassfish/domains/" + domain() + "/logs/server.log"), "\"EJB__TIMER__TBL\"",
            "SELECT \"TIMERID\" FROM \"EJB__TIMER__TBL\" WHERE \"SCHEDULE\" LIKE '*/2 #%'",
            Pattern.compile("\\[(WARNING|SEVERE)\\]"));
    /** Payara's get of an attribute never set fails; the wildcard lists those set. */
    private static final String TIMER_SERVICE = "configs.config.server-config.ejb-container.ejb-timer-service.*";

    /**
     * Payara's monitoring stays silent for a pool whose resource was deleted and created again in the same server
     * run, so a test class that reads statistics starts with a restarted domain, and each configuration gets a
     * fresh pool name for good measure (the JNDI name applications use stays jdbc/Pool).
     */
    private static int generation;
    private static String poolName = "Pool";
    private static PoolSettings current;
    /** Whether this test JVM has seen the domain running (restarts and crashes below end with it running again). */
    private static boolean started;

    @Override
    public ServerFacts facts() {
        return FACTS;
    }

    /**
     * The Payara connector starts the domain only at its first deployment, but the pool must exist before that
     * deployment (it injects it): start the domain here, and stop it when the test JVM ends.
     */
    private static synchronized void ensureStarted() {
        if (started) {
            return;
        }
        if (!asadmin("list-domains").contains(domain() + " running")) {
            asadmin("start-domain", domain());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> asadmin("stop-domain", domain()), "stop-payara"));
        }
        ensureDriver(TestDatabase.get());
        started = true;
    }

    /**
     * A driver the RAR does not bring goes onto the domain's common class path with src-deploy/payara/add-driver.sh,
     * once per domain: the test executions of one build share the domain, and its libraries stay.
     */
    private static void ensureDriver(TestDatabase database) {
        Path driver = database.driverJar();
        if (driver == null || asadmin("list-libraries", "--type", "common").lines()
                .anyMatch(driver.getFileName().toString()::equals)) {
            return;
        }
        Path file = TestEnvironment.propertiesFile("payara", "payara-driver.properties",
                Map.of("driver.jar", driver.toString()));
        TestEnvironment.run(List.of("bash", TestEnvironment.srcDeploy().resolve("payara/add-driver.sh").toString(),
                file.toString()), adminEnvironment());
    }

    private static String domain() {
        return System.getProperty("payara.domain", "it");
    }

    @Override
    public void beforeTestClass(boolean freshServer) {
        ensureStarted();
        if (generation > 0 && freshServer) {
            asadmin("restart-domain", domain());
        }
    }

    @Override
    public void configure(PoolSettings settings) {
        ensureStarted();
        settings.xaDatabases().forEach(PayaraServer::ensureDriver);
        poolName = "Pool" + (++generation);
        current = settings;
        script("configure.sh", settings, Map.of("pool.name", poolName));
        for (TestDatabase xa : settings.xaDatabases()) {
            script("configure-xa.sh", settings, xaNames(settings, xa));
        }
        asadmin("deploy", "--name", "jdbc-pool-example",
                TestEnvironment.archive("jdbc-pool-example.ear").toString());
    }

    /** The README's run command: the pool as pool.properties has it (H2 in memory), its XA sibling, the example. */
    static void serveExample() {
        asadmin("start-domain", domain());
        Path file = TestEnvironment.propertiesFile("payara", "payara-run.properties",
                Map.of("rar.path", TestEnvironment.archive("jdbc-pool-ra.rar").toString()));
        for (String script : List.of("configure.sh", "configure-xa.sh")) {
            TestEnvironment.run(List.of("bash", TestEnvironment.srcDeploy().resolve("payara").resolve(script)
                    .toString(), file.toString()), adminEnvironment());
        }
        asadmin("deploy", "--force=true", "--name", "jdbc-pool-example",
                TestEnvironment.archive("jdbc-pool-example.ear").toString());
        Http.awaitOk(Http.example("/api/notes"));
    }

    /** configure-xa.sh's keys for the XA pool of one database: empty until borrowed from, max as the local pool's. */
    private Map<String, String> xaNames(PoolSettings settings, TestDatabase xa) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("pool.name", poolName);
        names.put("xa.pool.name", "Xa" + xa.name());
        names.put("xa.jndi.name", FACTS.xaJndiName(xa));
        names.put("xa.pool.min", "0");
        names.put("xa.pool.max", String.valueOf(MAX));
        names.put("xa.validate-on-borrow", String.valueOf(settings.xaValidates(xa)));
        names.put("xa.XADataSourceClass", xa.xaDataSourceClass());
        names.put("xa.Url", xa.url());
        names.put("xa.User", xa.user());
        names.put("xa.Password", xa.password());
        return names;
    }

    @Override
    public void remove() {
        asadmin("undeploy", "jdbc-pool-example");
        for (TestDatabase xa : current.xaDatabases()) {
            script("remove-xa.sh", current, xaNames(current, xa));
        }
        script("remove.sh", current, Map.of("pool.name", poolName));
    }

    @Override
    public void restart() {
        asadmin("restart-domain", domain());
        Http.awaitOk(Http.example("/api/pool"));
        Http.awaitDeployed(Http.probe("/probe/session"));
    }

    /**
     * kill -9 of the domain's JVM if it still runs, then start-domain: Payara keeps its configuration, deployments
     * and transaction log in the domain directory, so it comes back with the pools and the probe. Its automatic
     * recovery (configure-xa.sh) runs once it has started, in the background; asadmin recover-transactions would not
     * help, as it finishes only transactions the running server still holds in memory, not those of its log.
     */
    @Override
    public void crashAndRestart(WebArchive probe) {
        try {
            ProcessHandle.of(pid()).ifPresent(server -> {
                server.destroyForcibly();
                server.onExit().join();
            });
        } catch (IllegalStateException notRunning) {
            // halted by the scenario itself
        }
        asadmin("start-domain", domain());
        Http.awaitDeployed(Http.probe("/probe/session"));
    }

    /**
     * The domain's pid file. It outlives a halted server: the pid counts only while it is still the domain's
     * process, not one reusing the number.
     */
    @Override
    public long pid() {
        Path pidFile = home().resolve("glassfish/domains/" + domain() + "/config/pid");
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                        .filter(p -> p.info().commandLine().orElse("").contains("glassfish")).isPresent()) {
                    return pid;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the domain's pid", e);
        }
        throw new IllegalStateException("the domain " + domain() + " does not run");
    }

    /** Payara keeps both across a crash: only what is not there yet is done. */
    @Override
    public void storeTimersInPool(TestDatabase database, Path application) {
        if (!asadmin("get", TIMER_SERVICE).contains("timer-datasource=" + FACTS.jndiName())) {
            script("ejb-timers.sh", current, Map.of("pool.name", poolName));
        }
        String name = application.getFileName().toString().replaceFirst("\\.war$", "");
        if (!asadmin("list-applications").contains(name)) {
            asadmin("deploy", "--name", name, application.toString());
        }
    }

    @Override
    public void storeTimersElsewhere(String application) {
        asadmin("undeploy", application.replaceFirst("\\.war$", ""));
        script("remove-ejb-timers.sh", current, Map.of("pool.name", poolName));
    }

    @Override
    public String configureStandalone(PoolSettings settings) {
        try {
            script("configure.sh", settings, STANDALONE);
            return null;
        } catch (IllegalStateException refused) {
            // configure.sh stops at the first refused command: take back what the commands before it did.
            script("remove.sh", settings, STANDALONE);
            return refused.getMessage();
        }
    }

    @Override
    public void removeStandalone() {
        script("remove.sh", PoolSettings.defaults(), STANDALONE);
    }

    /** A second adapter deployment of the same RAR, its own pool and resource. */
    private static final Map<String, String> STANDALONE = Map.of("ra.name", "jdbc-pool-ra-alone",
            "pool.name", "Standalone", "jndi.name", FACTS.standaloneJndiName());

    /**
     * Payara's REST monitoring of the pool (switched on by configure.sh): counts are CountStatistics, sizes
     * RangeStatistics with current and high-water mark.
     */
    @Override
    public PoolStatistics poolStatistics() {
        URI uri = URI.create("http://127.0.0.1:" + ADMIN_PORT + "/monitoring/domain/server/resources/" + poolName);
        ModelNode stats;
        try {
            HttpResponse<String> response = REST.send(HttpRequest.newBuilder(uri).header("Accept", "application/json")
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
            }
            stats = ModelNode.fromJSONString(response.body()).get("extraProperties", "entity");
        } catch (IOException e) {
            throw new IllegalStateException("Payara's monitoring does not answer at " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (!stats.hasDefined("numconnfree")) {
            throw new IllegalStateException("no pool statistics at " + uri + ": " + stats.toJSONString(true));
        }
        return new PoolStatistics(
                stats.get("numconnfree", "current").asLong() + stats.get("numconnused", "current").asLong(),
                stats.get("numconncreated", "count").asLong(), stats.get("numconnused", "highwatermark").asLong(),
                stats.get("connrequestwaittime", "highwatermark").asLong() > 0 ? 1 : 0,
                stats.get("numconndestroyed", "count").asLong(), stats.get("numconndestroyed", "count").asLong(),
                stats.toJSONString(true));
    }

    @Override
    public String storeSecret(String password) {
        return passwordAlias(password);
    }

    /** Runs src-deploy/payara/password-alias.sh as README shows and returns the reference it prints. */
    private static String passwordAlias(String password) {
        Path file = TestEnvironment.propertiesFile("payara", "payara-secret.properties",
                Map.of("secret.alias", "pool-password", "secret.clear-text", password, "pool.name", poolName));
        String output = TestEnvironment.run(List.of("bash",
                TestEnvironment.srcDeploy().resolve("payara/password-alias.sh").toString(), file.toString()),
                adminEnvironment());
        return output.lines().filter(line -> line.startsWith("${ALIAS=")).findFirst()
                .orElseThrow(() -> new IllegalStateException("password-alias.sh printed no reference: " + output));
    }

    @Override
    public String configuredProperty(String name) {
        String key = "resources.connector-connection-pool." + poolName + ".property." + name;
        return asadmin("get", key).lines().filter(line -> line.startsWith(key + "=")).findFirst()
                .map(line -> line.substring(key.length() + 1))
                .orElseThrow(() -> new IllegalStateException("Payara has no " + key));
    }

    public static Path home() {
        return Path.of(System.getProperty("payara.home"));
    }

    /** Runs a src-deploy/payara script as README tells a user to, with pool.properties plus the test's values. */
    private static void script(String script, PoolSettings pool, Map<String, String> names) {
        Map<String, String> properties = pool.serverProperties("pool.min", "pool.max", "pool.max-wait-millis",
                "pool.validate-on-borrow");
        properties.replaceAll((key, value) -> STORED_SECRET.equals(value) ? passwordAlias(pool.database().password())
                : value);
        properties.put("rar.path", TestEnvironment.archive("jdbc-pool-ra.rar").toString());
        properties.putAll(names);
        properties.put("pool.idle-timeout-seconds",
                String.valueOf(pool.idleTimeout(FACTS.idleTimeout()).toSeconds()));
        if (pool.leakDetection()) {
            properties.put("pool.leak-timeout-seconds", "1");
        }
        Path file = TestEnvironment.propertiesFile("payara", "payara-pool.properties", properties);
        TestEnvironment.run(List.of("bash", TestEnvironment.srcDeploy().resolve("payara").resolve(script).toString(),
                file.toString()), adminEnvironment());
    }

    public static String asadmin(String... args) {
        List<String> command = new ArrayList<>(List.of(home().resolve("bin/asadmin").toString(),
                "--interactive=false"));
        command.addAll(List.of(args));
        return TestEnvironment.run(command, adminEnvironment());
    }

    /** What asadmin and src-deploy's scripts run with: the domain, its admin port, a client JVM that starts fast. */
    private static Map<String, String> adminEnvironment() {
        return Map.of("PAYARA_HOME", home().toString(), "PAYARA_DOMAIN", domain(), "AS_ADMIN_PORT",
                String.valueOf(ADMIN_PORT), "AS_EXTRA_JAVA_OPTS", TestEnvironment.SHORT_LIVED_JVM);
    }
}
