package org.jdbcpoolra.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Applies src-deploy/wildfly/*.cli to the WildFly the tests run, exactly as a user would: jboss-cli.sh with a
 * properties file that starts from src-deploy/wildfly/pool.properties and overrides only what the test needs.
 */
public final class WildFlyServer {
    public static final int OFFSET = Integer.getInteger("it.port.offset", 100);
    public static final int HTTP_PORT = 8080 + OFFSET;
    public static final int MANAGEMENT_PORT = 9990 + OFFSET;
    public static final String JNDI_NAME = "java:/jdbc/Pool";
    public static final String RA_NAME = "jdbc-pool-ra";
    public static final String POOL_NAME = "Pool";

    /** Pool settings every test class starts from; tests assert against these numbers. */
    public static final int MIN = 2;
    public static final int MAX = 5;
    public static final int BLOCKING_TIMEOUT_MILLIS = 3000;
    public static final int IDLE_TIMEOUT_MINUTES = 1;

    private WildFlyServer() {
    }

    public static Path home() {
        return Path.of(System.getProperty("jboss.home"));
    }

    static Path srcDeploy() {
        return Path.of(System.getProperty("it.src-deploy"));
    }

    static Path work() throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("it.work")));
    }

    public static Path archive(String name) {
        return Path.of(System.getProperty("it.archives")).resolve(name);
    }

    /** The properties the tests pass to configure.cli / remove.cli: the shipped defaults plus these overrides. */
    public static Map<String, String> testSettings(String dbUrl) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("deployment.path", archive("jdbc-pool-example.ear").toString());
        settings.put("db.url", dbUrl);
        settings.put("db.user", H2Database.POOL_USER);
        settings.put("db.password", H2Database.POOL_PASSWORD);
        settings.put("pool.min", String.valueOf(MIN));
        settings.put("pool.max", String.valueOf(MAX));
        settings.put("pool.blocking-timeout-millis", String.valueOf(BLOCKING_TIMEOUT_MILLIS));
        settings.put("pool.idle-timeout-minutes", String.valueOf(IDLE_TIMEOUT_MINUTES));
        return settings;
    }

    public static void configure(Map<String, String> overrides) {
        cli("configure.cli", overrides);
    }

    public static void remove(Map<String, String> overrides) {
        cli("remove.cli", overrides);
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

    /** Runs a single CLI command (e.g. reading statistics) and returns its output. */
    public static String command(String command) {
        return run(List.of(home().resolve("bin/jboss-cli.sh").toString(), "-c",
                "--controller=remote+http://127.0.0.1:" + MANAGEMENT_PORT, "--command=" + command));
    }

    private static String run(List<String> commandLine) {
        try {
            ProcessBuilder builder = new ProcessBuilder(commandLine).redirectErrorStream(true);
            builder.environment().put("JBOSS_HOME", home().toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("jboss-cli timed out: " + commandLine);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("jboss-cli failed (" + process.exitValue() + "): " + commandLine
                        + "\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run jboss-cli", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server's pool statistics for our connection definition, as attribute name to number. */
    public static Map<String, Long> poolStatistics() {
        String output = command("/subsystem=resource-adapters/resource-adapter=" + RA_NAME
                + "/connection-definitions=" + POOL_NAME + "/statistics=pool:read-resource(include-runtime=true)");
        Map<String, Long> values = new LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(\\w+)\" => (\\d+)L?").matcher(output);
        while (m.find()) {
            values.put(m.group(1), Long.parseLong(m.group(2)));
        }
        if (values.isEmpty()) {
            throw new IllegalStateException("no pool statistics in: " + output);
        }
        return values;
    }

    public static Path serverLog() {
        return home().resolve("standalone/log/server.log");
    }
}
