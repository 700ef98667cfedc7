package org.jdbcpoolra.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.Set;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.dmr.ModelNode;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.probe.WildFlyDirectLookupProbe;

/**
 * WildFly under test. Applies src-deploy/wildfly/*.cli exactly as a user would (jboss-cli.sh with a properties file
 * that starts from src-deploy/wildfly/pool.properties and overrides only what the test needs); everything else
 * (statistics, server state, reload) goes through the management model with WildFly's Java client.
 */
public final class WildFlyServer implements ServerControl {
    public static final int OFFSET = Integer.getInteger("it.port.offset", 100);
    public static final int HTTP_PORT = 8080 + OFFSET;
    public static final int MANAGEMENT_PORT = 9990 + OFFSET;
    /** How long the CLI waits for a connection, and so for a reload to come back: within the run's 180 s. */
    private static final int CLI_TIMEOUT_MILLIS = 120_000;
    private static final String RA_NAME = "jdbc-pool-ra";
    private static final String POOL_NAME = "Pool";
    /**
     * Driver modules added in this server run: global modules live as long as the run (read-only configuration),
     * module files in the unpacked server.
     */
    private static final Set<String> DRIVER_MODULES = new HashSet<>();
    private static ModelControllerClient client;

    private static final ServerFacts FACTS = new ServerFacts("wildfly", HTTP_PORT, "java:/jdbc/Pool",
            "java:/jdbc/Standalone", "java:/jdbc/Xa", "java:/TransactionManager", Duration.ofMinutes(1),
            "blocking timeout", ServerFacts.Prefill.ON_ACTIVATION, true,
            List.of("min-pool-size", "max-pool-size"),
            "blocking-timeout-wait-millis", "IJ000100: Closing a connection for you", true, true, true, "ActiveCount",
            WildFlyDirectLookupProbe.class,
            home().resolve("standalone/log/server.log"), "jboss_ejb_timer",
            "SELECT id FROM jboss_ejb_timer WHERE schedule_expr_second = '*/2'",
            Pattern.compile("^\\S+ \\S+ (WARN|ERROR|FATAL) "));

    /** The properties of the pool configured last, for remove.cli. */
    private Map<String, String> current = Map.of();
    private PoolSettings currentSettings;

    @Override
    public ServerFacts facts() {
        return FACTS;
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
            properties.put("xa.jndi.name", FACTS.xaJndiName(xa));
            properties.put("xa.pool.max", String.valueOf(MAX));
            properties.put("xa.validate-on-match", String.valueOf(settings.xaValidates(xa)));
            properties.put("xa.XADataSourceClass", xa.xaDataSourceClass());
            properties.put("xa.Url", xa.url());
            properties.put("xa.User", xa.user());
            properties.put("xa.Password", xa.password());
            properties.put("xa.recovery-user", xa.user());
            properties.put("xa.recovery-password", xa.password());
            cli("configure-xa.cli", properties);
        }
    }

    @Override
    public void remove() {
        cli("remove.cli", current);
    }

    @Override
    public void restart() {
        reload();
        Http.awaitOk(Http.example("/api/pool"));
        Http.awaitDeployed(Http.probe("/probe/session"));
    }

    /**
     * kill -9 of the server's JVM if it still runs, then a new server on the same ports and files (its transaction
     * log included), configured again by the same scripts: the read-only configuration forgets runtime changes, as
     * a server restored from its original configuration would. Arquillian goes on talking to the new server.
     */
    @Override
    public void crashAndRestart(WebArchive probe) {
        try {
            ProcessHandle.of(pid()).ifPresent(server -> {
                server.destroyForcibly();
                server.onExit().join();
            });
        } catch (IllegalStateException alreadyDead) {
            // halted by the scenario itself
        }
        try {
            Process restarted = start(TestEnvironment.work().resolve("restarted-server.out"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(restarted), "stop-restarted-wildfly"));
            synchronized (WildFlyServer.class) {
                DRIVER_MODULES.clear();
            }
            // The recovery listener lets the test ask for the pass the periodic recovery would run within 2 minutes.
            execute(operation("write-attribute", "subsystem", "transactions").apply(op -> {
                op.get("name").set("recovery-listener");
                op.get("value").set(true);
            }));
            reload();
            configure(currentSettings);
            Path file = TestEnvironment.work().resolve("probe.war");
            probe.as(ZipExporter.class).exportTo(file.toFile(), true);
            command("deploy " + file);
            recoveryScan();
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart WildFly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The JVM's runtime name ("pid@host"), as the management model's platform MBeans give it. */
    @Override
    public long pid() {
        String name = execute(operation("read-attribute", "core-service", "platform-mbean", "type", "runtime")
                .apply(op -> op.get("name").set("name"))).asString();
        return Long.parseLong(name.substring(0, name.indexOf('@')));
    }

    /** One recovery pass of the transaction manager, through its recovery listener; returns when it is done. */
    private static void recoveryScan() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", 4712 + OFFSET)) {
            socket.setSoTimeout(120_000);
            socket.getOutputStream().write("SCAN\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            if (!"DONE".equals(reply)) {
                throw new IllegalStateException("recovery scan answered " + reply);
            }
        }
    }

    @Override
    public void storeTimersInPool(TestDatabase database, Path application) {
        cli("ejb-timers.cli", Map.of("timers.database", database.name()));
        command("deploy " + application);
    }

    @Override
    public void storeTimersElsewhere(String application) {
        command("undeploy " + application);
        cli("remove-ejb-timers.cli", Map.of());
    }

    @Override
    public String configureStandalone(PoolSettings settings) {
        try {
            cli("configure.cli", standaloneSettings(settings));
            return null;
        } catch (IllegalStateException refused) {
            // As README tells a deployer: remove.cli cleans up what a refused configure.cli added before the refusal.
            removeStandalone();
            return failures(refused.getMessage());
        }
    }

    /**
     * What the server answered, without what the CLI echoes back: its report of a failed batch repeats every
     * operation with the values it was given ("Operation: ...:add(min-pool-size=6, ...)"), which would name any
     * setting whatever the server said. Only the "Failure:" parts remain (the whole output if there are none).
     */
    static String failures(String cliOutput) {
        java.util.regex.Matcher failure = java.util.regex.Pattern
                .compile("Failure: (.*?)(?=\\s*Step: |\\s*$)", java.util.regex.Pattern.DOTALL).matcher(cliOutput);
        StringBuilder answered = new StringBuilder();
        while (failure.find()) {
            answered.append(failure.group(1).trim()).append('\n');
        }
        return answered.isEmpty() ? cliOutput : answered.toString();
    }

    @Override
    public void removeStandalone() {
        cli("remove.cli", standaloneSettings(PoolSettings.defaults()));
    }

    /** pool.properties as README's "RAR alone" deployment guide has it, under a second adapter name. */
    private static Map<String, String> standaloneSettings(PoolSettings settings) {
        Map<String, String> properties = testSettings(settings);
        properties.put("deployment.path", TestEnvironment.archive("jdbc-pool-ra.rar").toString());
        properties.put("deployment.name", "jdbc-pool-ra.rar");
        properties.put("ra.archive", "jdbc-pool-ra.rar");
        properties.put("ra.name", "jdbc-pool-ra-alone");
        properties.put("jndi.name", FACTS.standaloneJndiName());
        return properties;
    }

    /** The resource-adapters subsystem's statistics of the pool (statistics-enabled in configure.cli). */
    @Override
    public String storeSecret(String password) {
        return storeSecretOnce(password);
    }

    /** The expression secret-store.cli prints, with its $ doubled as pool.properties needs it (README). */
    private static String storeSecretOnce(String password) {
        String output = cli("secret-store.cli", Map.of("secret.store", "pool-secrets", "secret.clear-text", password));
        java.util.regex.Matcher expression = java.util.regex.Pattern.compile("\\$\\{ENC::[^}]+}").matcher(output);
        if (!expression.find()) {
            throw new IllegalStateException("secret-store.cli printed no expression: " + output);
        }
        return "$" + expression.group();
    }

    @Override
    public String configuredProperty(String name) {
        ModelNode value = execute(operation("read-attribute", "subsystem", "resource-adapters", "resource-adapter",
                RA_NAME, "connection-definitions", POOL_NAME, "config-properties", name)
                .apply(op -> op.get("name").set("value")));
        return value.getType() == org.jboss.dmr.ModelType.EXPRESSION ? value.asExpression().getExpressionString()
                : value.asString();
    }

    @Override
    public PoolStatistics poolStatistics() {
        ModelNode stats = execute(operation("read-resource", "subsystem", "resource-adapters", "resource-adapter",
                RA_NAME, "connection-definitions", POOL_NAME, "statistics", "pool")
                .apply(op -> op.get("include-runtime").set(true)));
        return new PoolStatistics(stats.get("ActiveCount").asLong(), stats.get("CreatedCount").asLong(),
                stats.get("MaxUsedCount").asLong(), stats.get("WaitCount").asLong(), stats.get("TimedOut").asLong(),
                stats.get("DestroyedCount").asLong(), stats.toJSONString(true));
    }

    /** The properties the tests pass to configure.cli / remove.cli: the shipped defaults plus these overrides. */
    private static Map<String, String> testSettings(PoolSettings pool) {
        Map<String, String> settings = pool.serverProperties("pool.min", "pool.max", "pool.blocking-timeout-millis",
                "pool.validate-on-match");
        settings.replaceAll((key, value) -> STORED_SECRET.equals(value) ? storeSecretOnce(pool.database().password())
                : value);
        settings.put("deployment.path", TestEnvironment.archive("jdbc-pool-example.ear").toString());
        settings.put("pool.idle-timeout-minutes", String.valueOf((pool.idleTimeout(FACTS.idleTimeout()).toSeconds()
                + 59) / 60));
        String background = pool.get("background-validation-millis", null);
        if (background != null) {
            settings.put("pool.background-validation", "true");
            settings.put("pool.background-validation-millis", background);
        }
        return settings;
    }

    // ---- the unpacked server and its tools ---------------------------------------------------------------------

    public static Path home() {
        return Path.of(System.getProperty("jboss.home"));
    }

    /**
     * Starts the unpacked WildFly with a read-only configuration (nothing persists between runs) and returns once
     * it runs.
     */
    public static Process start(Path log) throws IOException, InterruptedException {
        Process server = new ProcessBuilder(List.of(home().resolve("bin/standalone.sh").toString(),
                "--read-only-server-config=standalone.xml", "-Djboss.socket.binding.port-offset=" + OFFSET))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int i = 0; i < 480; i++) {
            if (!server.isAlive()) {
                throw new IllegalStateException("WildFly exited; see " + log);
            }
            if (running()) {
                return server;
            }
            Thread.sleep(250);
        }
        stop(server);
        throw new IllegalStateException("WildFly did not start within 120 s; see " + log);
    }

    public static void stop(Process server) {
        try {
            execute(operation("shutdown"));
        } catch (RuntimeException alreadyDown) {
            // fall through to ending the processes
        }
        server.descendants().forEach(ProcessHandle::destroy);
        server.destroy();
    }

    /** Reloads the server and returns once it runs again; the read-only configuration keeps runtime changes. */
    private static void reload() {
        execute(operation("reload"));
        for (int i = 0; i < 480; i++) {
            Http.sleep(250);
            if (running()) {
                return;
            }
        }
        throw new IllegalStateException("WildFly did not come back from reload within 120 s");
    }

    private static boolean running() {
        try {
            return "running".equals(execute(operation("read-attribute").apply(op -> op.get("name")
                    .set("server-state"))).asString());
        } catch (IllegalStateException notYet) {
            return false;
        }
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
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (NoSuchFileException absent) {
            // a fresh server
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + module, e);
        }
        cli("add-driver.cli", Map.of("driver.jar", database.driverJar().toString(),
                "driver.module", database.driverModule()));
        DRIVER_MODULES.add(database.driverModule());
    }

    /** Runs a src-deploy/wildfly script as README tells a user to, with pool.properties plus these overrides. */
    public static String cli(String script, Map<String, String> overrides) {
        Path properties = TestEnvironment.propertiesFile("wildfly", "cli-" + script.replace(".cli", "")
                + ".properties", overrides);
        return jbossCli("--resolve-parameter-values", "--properties=" + properties,
                "--file=" + TestEnvironment.srcDeploy().resolve("wildfly/" + script));
    }

    /** Runs a single CLI command (what a user would type, e.g. a deploy) and returns its output. */
    public static String command(String command) {
        return jbossCli("--command=" + command);
    }

    private static String jbossCli(String... arguments) {
        // --timeout also bounds how long a script's reload waits for the server to come back: the CLI's default (5 s,
        // and 1 more) gave up in a busy CI run ("Failed to establish connection in 6069ms").
        List<String> commandLine = new java.util.ArrayList<>(List.of(home().resolve("bin/jboss-cli.sh").toString(),
                "-c", "--controller=remote+http://127.0.0.1:" + MANAGEMENT_PORT, "--timeout=" + CLI_TIMEOUT_MILLIS));
        commandLine.addAll(List.of(arguments));
        return TestEnvironment.run(commandLine, Map.of("JBOSS_HOME", home().toString(), "JAVA_OPTS",
                TestEnvironment.SHORT_LIVED_JVM));
    }

    // ---- the management model, through WildFly's Java client (local authentication, as the CLI's) -------------

    /** An operation on the resource at {@code address} (pairs of type and name); customize it with apply. */
    private static Operation operation(String name, String... address) {
        ModelNode op = new ModelNode();
        op.get("operation").set(name);
        ModelNode path = op.get("address").setEmptyList();
        for (int i = 0; i < address.length; i += 2) {
            path.add(address[i], address[i + 1]);
        }
        return new Operation(op);
    }

    private record Operation(ModelNode node) {
        Operation apply(java.util.function.Consumer<ModelNode> change) {
            change.accept(node);
            return this;
        }
    }

    /** Runs an operation and returns its result; a failed operation or a server that does not answer throws. */
    private static synchronized ModelNode execute(Operation operation) {
        try {
            if (client == null) {
                client = ModelControllerClient.Factory.create("remote+http", "127.0.0.1", MANAGEMENT_PORT);
            }
            ModelNode outcome = client.execute(operation.node());
            if (!"success".equals(outcome.get("outcome").asString())) {
                throw new IllegalStateException(operation.node() + " failed: " + outcome.get("failure-description"));
            }
            return outcome.get("result");
        } catch (IOException e) {
            // The server went away (restart, crash): the next call connects afresh.
            try {
                client.close();
            } catch (IOException ignored) {
                // already broken
            }
            client = null;
            throw new IllegalStateException("WildFly's management interface does not answer: " + e, e);
        }
    }
}
