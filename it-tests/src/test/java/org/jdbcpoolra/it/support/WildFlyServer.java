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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WildFly under test. Applies src-deploy/wildfly/*.cli exactly as a user would: jboss-cli.sh with a properties file
 * that starts from src-deploy/wildfly/pool.properties and overrides only what the test needs.
 */
public final class WildFlyServer implements ServerControl {
    public static final int OFFSET = Integer.getInteger("it.port.offset", 100);
    public static final int HTTP_PORT = 8080 + OFFSET;
    public static final int MANAGEMENT_PORT = 9990 + OFFSET;
    static final String RA_NAME = "jdbc-pool-ra";
    static final String POOL_NAME = "Pool";
    /** The properties of the pool configured last, for remove.cli. */
    private Map<String, String> current = Map.of();
    private PoolSettings currentSettings;
    /**
     * Driver modules added in this server run: global modules live as long as the run (read-only configuration),
     * module files in the unpacked server.
     */
    private static final java.util.Set<String> DRIVER_MODULES = new java.util.HashSet<>();

    @Override
    public String name() {
        return "wildfly";
    }

    @Override
    public int httpPort() {
        return HTTP_PORT;
    }

    @Override
    public String jndiName() {
        return "java:/jdbc/Pool";
    }

    @Override
    public Duration idleTimeout() {
        return Duration.ofMinutes(1);
    }

    @Override
    public String exhaustedText() {
        return "blocking timeout";
    }

    @Override
    public void configure(PoolSettings settings) {
        // A global module reaches only deployments deployed after it: every driver before the EAR.
        ensureDriver(settings.database());
        settings.xaDatabases().forEach(WildFlyServer::ensureDriver);
        if (settings.leakDetection()) {
            cli("leak-detection.cli", Map.of());
        }
        currentSettings = settings;
        current = testSettings(settings);
        cli("configure.cli", current);
        for (TestDatabase xa : settings.xaDatabases()) {
            Map<String, String> properties = new LinkedHashMap<>(current);
            properties.put("xa.pool.name", "Xa" + xa.name());
            properties.put("xa.jndi.name", xaJndiName(xa));
            properties.put("xa.pool.max", String.valueOf(MAX));
            properties.put("xa.datasource-class", xa.xaDataSourceClass());
            properties.put("xa.url", xa.url());
            properties.put("xa.user", xa.user());
            properties.put("xa.password", xa.password());
            properties.put("xa.recovery-user", xa.user());
            properties.put("xa.recovery-password", xa.password());
            properties.put("pool.validate-on-match", String.valueOf(settings.xaValidates(xa)));
            cli("configure-xa.cli", properties);
        }
    }

    /** One recovery pass of the transaction manager, through its recovery listener; returns when it is done. */
    private static void recoveryScan() throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", 4712 + OFFSET)) {
            socket.setSoTimeout(120_000);
            socket.getOutputStream().write("SCAN\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String reply = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            if (!"DONE".equals(reply)) {
                throw new IllegalStateException("recovery scan answered " + reply);
            }
        }
    }

    @Override
    public String xaJndiName(TestDatabase database) {
        return "java:/jdbc/Xa" + database.name();
    }

    @Override
    public String transactionManagerName() {
        return "java:/TransactionManager";
    }

    /**
     * kill -9 of the server's JVM if it still runs, then a new server on the same ports and files (its transaction
     * log included), configured again by the same scripts: the read-only configuration forgets runtime changes, as
     * a server restored from its original configuration would. Arquillian goes on talking to the new server.
     */
    @Override
    public void crashAndRestart(org.jboss.shrinkwrap.api.spec.WebArchive probe) {
        String name;
        try {
            name = command("/core-service=platform-mbean/type=runtime:read-attribute(name=name)");
        } catch (IllegalStateException alreadyDead) {
            name = "";
        }
        Matcher pid = Pattern.compile("\"result\" => \"(\\d+)@").matcher(name);
        if (pid.find()) {
            ProcessHandle.of(Long.parseLong(pid.group(1))).ifPresent(server -> {
                server.destroyForcibly();
                server.onExit().join();
            });
        }
        try {
            Process restarted = start(work().resolve("restarted-server.out"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(restarted), "stop-restarted-wildfly"));
            synchronized (WildFlyServer.class) {
                DRIVER_MODULES.clear();
            }
            // The recovery listener lets the test ask for the pass the periodic recovery would run within 2 minutes.
            command("/subsystem=transactions:write-attribute(name=recovery-listener, value=true)");
            command("reload");
            configure(currentSettings);
            Path file = work().resolve("probe.war");
            probe.as(org.jboss.shrinkwrap.api.exporter.ZipExporter.class).exportTo(file.toFile(), true);
            command("deploy " + file);
            recoveryScan();
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart WildFly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void remove() {
        cli("remove.cli", current);
    }

    @Override
    public void restart() {
        // The CLI's reload waits until the server runs again; the read-only configuration keeps the runtime changes.
        command("reload");
        Http.awaitOk(Http.example("/api/pool"));
        Http.awaitDeployed(Http.probe("/probe/session"));
    }

    @Override
    public String standaloneJndiName() {
        return "java:/jdbc/Standalone";
    }

    @Override
    public String configureStandalone(PoolSettings settings) {
        try {
            cli("configure.cli", standaloneSettings(settings));
            return null;
        } catch (IllegalStateException refused) {
            return refused.getMessage();
        }
    }

    @Override
    public void removeStandalone() {
        cli("remove.cli", standaloneSettings(PoolSettings.defaults()));
    }

    /** pool.properties as README's "RAR alone" deployment guide has it, under a second adapter name. */
    private static Map<String, String> standaloneSettings(PoolSettings settings) {
        Map<String, String> properties = testSettings(settings);
        properties.put("deployment.path", archive("jdbc-pool-ra.rar").toString());
        properties.put("deployment.name", "jdbc-pool-ra.rar");
        properties.put("ra.archive", "jdbc-pool-ra.rar");
        properties.put("ra.name", "jdbc-pool-ra-alone");
        properties.put("jndi.name", "java:/jdbc/Standalone");
        return properties;
    }

    @Override
    public PoolStatistics poolStatistics() {
        String output = command("/subsystem=resource-adapters/resource-adapter=" + RA_NAME
                + "/connection-definitions=" + POOL_NAME + "/statistics=pool:read-resource(include-runtime=true)");
        Map<String, Long> values = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\" => (\\d+)L?").matcher(output);
        while (m.find()) {
            values.put(m.group(1), Long.parseLong(m.group(2)));
        }
        if (values.isEmpty()) {
            throw new IllegalStateException("no pool statistics in: " + output);
        }
        return new PoolStatistics(values.get("ActiveCount"), values.get("CreatedCount"), values.get("MaxUsedCount"),
                values.get("WaitCount"), values.get("TimedOut"), values.toString());
    }

    @Override
    public boolean exampleUsesTestDatabase() {
        return true;
    }

    @Override
    public List<String> exampleStatisticsMarkers() {
        return List.of("\"jdbc-pool-ra/Pool\"", "\"ActiveCount\"");
    }

    @Override
    public boolean prefillsOnActivation() {
        return true;
    }

    @Override
    public Class<?> directInjectionProbe() {
        return org.jdbcpoolra.it.probe.WildFlyDirectLookupProbe.class;
    }

    @Override
    public boolean validatesInBackground() {
        return true;
    }

    @Override
    public List<String> poolSizeSettings() {
        return List.of("min-pool-size", "max-pool-size");
    }

    @Override
    public String blockingTimeoutSetting() {
        return "blocking-timeout-wait-millis";
    }

    @Override
    public String leakReportText() {
        return "IJ000100: Closing a connection for you";
    }

    @Override
    public Path serverLog() {
        return home().resolve("standalone/log/server.log");
    }

    /**
     * Starts the unpacked WildFly with a read-only configuration (nothing persists between runs) and returns once
     * its management interface answers.
     */
    public static Process start(Path log) throws IOException, InterruptedException {
        Process server = new ProcessBuilder(List.of(home().resolve("bin/standalone.sh").toString(),
                "--read-only-server-config=standalone.xml", "-Djboss.socket.binding.port-offset=" + OFFSET))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 240; i++) {
            if (!server.isAlive()) {
                throw new IllegalStateException("WildFly exited; see " + log);
            }
            try {
                if (command(":read-attribute(name=server-state)").contains("running")) {
                    return server;
                }
            } catch (IllegalStateException notYet) {
                // management interface not listening yet
            }
            Thread.sleep(500);
        }
        stop(server);
        throw new IllegalStateException("WildFly did not start within 120 s; see " + log);
    }

    public static void stop(Process server) {
        try {
            command("shutdown");
        } catch (RuntimeException alreadyDown) {
            // fall through to ending the processes
        }
        server.descendants().forEach(ProcessHandle::destroy);
        server.destroy();
    }

    public static Path home() {
        return Path.of(System.getProperty("jboss.home"));
    }

    static Path srcDeploy() {
        return Path.of(System.getProperty("it.src-deploy"));
    }

    public static Path work() throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("it.work")));
    }

    public static Path archive(String name) {
        return Path.of(System.getProperty("it.archives")).resolve(name);
    }

    /**
     * A driver the RAR does not bring is installed with src-deploy/wildfly/add-driver.cli, once per server run. The
     * module files from an earlier run of the same unpacked server are deleted first, as on a fresh server.
     */
    private static synchronized void ensureDriver(TestDatabase database) {
        if (database.driverJar() == null || DRIVER_MODULES.contains(database.driverModule())) {
            return;
        }
        Path module = home().resolve("modules").resolve(database.driverModule().replace('.', '/'));
        try (var files = Files.walk(module)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.nio.file.NoSuchFileException absent) {
            // a fresh server
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + module, e);
        }
        cli("add-driver.cli", Map.of("driver.jar", database.driverJar().toString(),
                "driver.module", database.driverModule()));
        DRIVER_MODULES.add(database.driverModule());
    }

    /** The properties the tests pass to configure.cli / remove.cli: the shipped defaults plus these overrides. */
    static Map<String, String> testSettings(PoolSettings pool) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("deployment.path", archive("jdbc-pool-example.ear").toString());
        settings.put("db.url", pool.url());
        settings.put("db.user", pool.user());
        settings.put("db.password", pool.password());
        settings.put("db.driver-class", pool.driverClass());
        settings.put("pool.min", pool.get("min", String.valueOf(MIN)));
        settings.put("pool.max", pool.get("max", String.valueOf(MAX)));
        settings.put("pool.blocking-timeout-millis", pool.get("blocking-timeout-millis",
                String.valueOf(BLOCKING_TIMEOUT_MILLIS)));
        settings.put("pool.idle-timeout-minutes", "1");
        settings.put("pool.validate-on-match", pool.get("validate-on-borrow", "true"));
        String background = pool.get("background-validation-millis", null);
        if (background != null) {
            settings.put("pool.background-validation", "true");
            settings.put("pool.background-validation-millis", background);
        }
        settings.putAll(pool.adapterProperties());
        return settings;
    }

    public static String cli(String script, Map<String, String> overrides) {
        try {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(srcDeploy().resolve("wildfly/pool.properties"))) {
                properties.load(in);
            }
            properties.putAll(overrides);
            Path file = work().resolve("cli-" + script.replace(".cli", "") + ".properties");
            try (OutputStream out = Files.newOutputStream(file)) {
                properties.store(out, "written by the integration tests from src-deploy/wildfly/pool.properties");
            }
            return run(List.of(home().resolve("bin/jboss-cli.sh").toString(), "-c",
                    "--controller=remote+http://127.0.0.1:" + MANAGEMENT_PORT, "--resolve-parameter-values",
                    "--properties=" + file, "--file=" + srcDeploy().resolve("wildfly/" + script)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        }
    }

    /** Runs a single CLI command and returns its output. */
    public static String command(String command) {
        return run(List.of(home().resolve("bin/jboss-cli.sh").toString(), "-c",
                "--controller=remote+http://127.0.0.1:" + MANAGEMENT_PORT, "--command=" + command));
    }

    static String run(List<String> commandLine) {
        return run(commandLine, Map.of("JBOSS_HOME", home().toString()));
    }

    /** Runs a deployer's command line (jboss-cli, asadmin, a src-deploy script) and returns its output. */
    static String run(List<String> commandLine, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(commandLine).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + commandLine);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("failed (" + process.exitValue() + "): " + commandLine + "\n"
                        + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + commandLine, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
