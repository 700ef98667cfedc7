package org.jdbcpoolra.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Where the test run keeps its things (set by the build as system properties) and how it runs a deployer's command
 * line. Shared by every server's support class.
 */
public final class TestEnvironment {
    private TestEnvironment() {
    }

    /** The project's src-deploy folder: the files a user applies, which the tests apply too. */
    public static Path srcDeploy() {
        return Path.of(System.getProperty("it.src-deploy"));
    }

    /** A scratch folder of this build. */
    public static Path work() throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("it.work")));
    }

    /** The archives under test, as the build copied them: jdbc-pool-ra.rar, jdbc-pool-example.ear. */
    public static Path archive(String name) {
        return Path.of(System.getProperty("it.archives")).resolve(name);
    }

    /**
     * src-deploy/&lt;server&gt;/pool.properties with the given keys replaced, written to the work folder under
     * {@code name} as plain key=value lines (the scripts read values raw: no escaping of ':' or '=').
     */
    public static Path propertiesFile(String server, String name, Map<String, String> overrides) {
        try {
            Properties defaults = new Properties();
            try (InputStream in = Files.newInputStream(srcDeploy().resolve(server).resolve("pool.properties"))) {
                defaults.load(in);
            }
            Map<String, String> values = new LinkedHashMap<>();
            defaults.stringPropertyNames().forEach(key -> values.put(key, defaults.getProperty(key)));
            values.putAll(overrides);
            StringBuilder text = new StringBuilder();
            values.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
            Path file = work().resolve(name);
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + name, e);
        }
    }

    /**
     * JVM options for the deployers' tools the tests start hundreds of times (jboss-cli, asadmin): each runs for a
     * second or two, so the optimising compiler and a parallel collector would only take CPU from the servers.
     */
    public static final String SHORT_LIVED_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    /** Runs a deployer's command line (jboss-cli, asadmin, a src-deploy script) and returns its output. */
    public static String run(List<String> commandLine, Map<String, String> environment) {
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
