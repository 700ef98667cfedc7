package org.jdbcpoolra.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Payara under test: src-deploy/payara/configure.sh and remove.sh with a properties file built from
 * src-deploy/payara/pool.properties, the example EAR deployed with asadmin (it brings its own pool), statistics
 * from {@code asadmin get -m}.
 */
public final class PayaraServer implements ServerControl {
    private static final int PORT_BASE = Integer.getInteger("payara.portbase", 20000);
    static final int HTTP_PORT = PORT_BASE + 80;
    static final int ADMIN_PORT = PORT_BASE + 48;
    /**
     * Payara's monitoring stays silent for a pool whose resource was deleted and created again in the same server
     * run, so a test class that reads statistics ({@link ReadsPoolStatistics}) after the first starts with a
     * restarted domain, and each configuration gets a fresh pool name for good measure (the JNDI name applications
     * use stays jdbc/Pool).
     */
    private static int generation;
    private static String poolName = "Pool";
    private static PoolSettings current;

    @Override
    public String name() {
        return "payara";
    }

    @Override
    public int httpPort() {
        return HTTP_PORT;
    }

    @Override
    public String jndiName() {
        return "jdbc/Pool";
    }

    @Override
    public Duration idleTimeout() {
        return Duration.ofSeconds(20);
    }

    @Override
    public String exhaustedText() {
        return "expired max-wait-time";
    }

    @Override
    public boolean exampleUsesTestDatabase() {
        return false;
    }

    @Override
    public List<String> exampleStatisticsMarkers() {
        return List.of("\"resources/" + poolName + "\"", "\"numconnfree\"");
    }

    @Override
    public boolean prefillsOnActivation() {
        return false;
    }

    /**
     * The Payara connector starts the domain only at its first deployment, but the pool must exist before that
     * deployment (it injects it): start the domain here, and stop it when the test JVM ends.
     */
    private static synchronized void ensureStarted() {
        if (asadmin("list-domains").contains(domain() + " running")) {
            return;
        }
        asadmin("start-domain", domain());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> asadmin("stop-domain", domain()), "stop-payara"));
        ensureDriver(TestDatabase.get());
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
        try {
            Path file = WildFlyServer.work().resolve("payara-driver.properties");
            Files.writeString(file, "driver.jar=" + driver + "\n");
            WildFlyServer.run(List.of("bash", WildFlyServer.srcDeploy().resolve("payara/add-driver.sh").toString(),
                    file.toString()), Map.of("PAYARA_HOME", home().toString(), "PAYARA_DOMAIN", domain(),
                    "AS_ADMIN_PORT", String.valueOf(ADMIN_PORT)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot add the driver", e);
        }
    }

    private static String domain() {
        return System.getProperty("payara.domain", "it");
    }

    @Override
    public void beforeTestClass(Class<?> testClass) {
        ensureStarted();
        if (generation > 0 && (testClass == null || testClass.isAnnotationPresent(ReadsPoolStatistics.class))) {
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
        asadmin("deploy", "--name", "jdbc-pool-example", WildFlyServer.archive("jdbc-pool-example.ear").toString());
    }

    /** configure-xa.sh's keys for the XA pool of one database: empty until borrowed from, max as the local pool's. */
    private Map<String, String> xaNames(PoolSettings settings, TestDatabase xa) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("pool.name", poolName);
        names.put("xa.pool.name", "Xa" + xa.name());
        names.put("xa.jndi.name", xaJndiName(xa));
        names.put("xa.pool.min", "0");
        names.put("xa.pool.max", String.valueOf(MAX));
        names.put("xa.validate-on-borrow", String.valueOf(settings.xaValidates(xa)));
        names.put("xa.datasource-class", xa.xaDataSourceClass());
        names.put("xa.url", xa.url());
        names.put("xa.user", xa.user());
        names.put("xa.password", xa.password());
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

    @Override
    public String xaJndiName(TestDatabase database) {
        return "jdbc/Xa" + database.name();
    }

    @Override
    public String transactionManagerName() {
        return "java:appserver/TransactionManager";
    }

    /**
     * kill -9 of the domain's JVM if it still runs, then start-domain: Payara keeps its configuration, deployments
     * and transaction log in the domain directory, so it comes back with the pools and the probe. Its automatic
     * recovery (configure-xa.sh) runs once it has started, in the background; asadmin recover-transactions would not
     * help, as it finishes only transactions the running server still holds in memory, not those of its log.
     */
    @Override
    public void crashAndRestart(org.jboss.shrinkwrap.api.spec.WebArchive probe) {
        try {
            Path pidFile = home().resolve("glassfish/domains/" + domain() + "/config/pid");
            if (Files.exists(pidFile)) {
                // The file outlives a halted server: make sure the pid is still the domain's, not a process reusing it.
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                        .filter(p -> p.info().commandLine().orElse("").contains("glassfish"))
                        .ifPresent(server -> {
                            server.destroyForcibly();
                            server.onExit().join();
                        });
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the domain's pid", e);
        }
        asadmin("start-domain", domain());
        Http.awaitDeployed(Http.probe("/probe/session"));
    }

    @Override
    public String standaloneJndiName() {
        return "jdbc/Standalone";
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
            "pool.name", "Standalone", "jndi.name", "jdbc/Standalone");

    @Override
    public PoolStatistics poolStatistics() {
        String output = asadmin("get", "-m", "server.resources." + poolName + ".*");
        Map<String, Long> values = new LinkedHashMap<>();
        Matcher m = Pattern.compile("server\\.resources\\." + poolName + "\\.([\\w-]+) = (\\d+)").matcher(output);
        while (m.find()) {
            values.put(m.group(1), Long.parseLong(m.group(2)));
        }
        if (!values.containsKey("numconnfree-current")) {
            throw new IllegalStateException("no pool statistics in: " + output);
        }
        return new PoolStatistics(values.get("numconnfree-current") + values.get("numconnused-current"),
                values.get("numconncreated-count"), values.get("numconnused-highwatermark"),
                values.get("connrequestwaittime-highwatermark") > 0 ? 1 : 0, values.get("numconndestroyed-count"),
                values.toString());
    }

    @Override
    public Class<?> directInjectionProbe() {
        return org.jdbcpoolra.it.probe.PayaraDirectLookupProbe.class;
    }

    @Override
    public boolean validatesInBackground() {
        return false;
    }

    @Override
    public List<String> poolSizeSettings() {
        return List.of("pool.min", "pool.max");
    }

    @Override
    public String blockingTimeoutSetting() {
        return "pool.max-wait-millis";
    }

    @Override
    public String leakReportText() {
        return "A potential connection leak detected";
    }

    @Override
    public Path serverLog() {
        return home().resolve("glassfish/domains/" + domain() + "/logs/server.log");
    }

    static Path home() {
        return Path.of(System.getProperty("payara.home"));
    }

    private static void script(String script, PoolSettings pool, Map<String, String> names) {
        try {
            Properties properties = new Properties();
            Path srcDeploy = WildFlyServer.srcDeploy().resolve("payara");
            try (InputStream in = Files.newInputStream(srcDeploy.resolve("pool.properties"))) {
                properties.load(in);
            }
            properties.put("rar.path", WildFlyServer.archive("jdbc-pool-ra.rar").toString());
            properties.putAll(names);
            properties.put("db.url", pool.url());
            properties.put("db.user", pool.user());
            properties.put("db.password", pool.password());
            properties.put("db.driver-class", pool.driverClass());
            properties.put("pool.min", pool.get("min", String.valueOf(MIN)));
            properties.put("pool.max", pool.get("max", String.valueOf(MAX)));
            properties.put("pool.max-wait-millis", pool.get("blocking-timeout-millis",
                    String.valueOf(BLOCKING_TIMEOUT_MILLIS)));
            properties.put("pool.idle-timeout-seconds", "20");
            properties.put("pool.validate-on-borrow", pool.get("validate-on-borrow", "true"));
            if (pool.leakDetection()) {
                properties.put("pool.leak-timeout-seconds", "1");
            }
            properties.putAll(pool.adapterProperties());
            Path file = WildFlyServer.work().resolve("payara-pool.properties");
            // Written by hand: Properties.store would escape ':' and '=' in values, which the script reads raw.
            StringBuilder text = new StringBuilder();
            properties.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Files.writeString(file, text);
            WildFlyServer.run(List.of("bash", srcDeploy.resolve(script).toString(), file.toString()),
                    Map.of("PAYARA_HOME", home().toString(), "AS_ADMIN_PORT", String.valueOf(ADMIN_PORT)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        }
    }

    static String asadmin(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(home().resolve("bin/asadmin").toString(),
                "--interactive=false"));
        command.addAll(List.of(args));
        return WildFlyServer.run(command, Map.of("AS_ADMIN_PORT", String.valueOf(ADMIN_PORT)));
    }
}
