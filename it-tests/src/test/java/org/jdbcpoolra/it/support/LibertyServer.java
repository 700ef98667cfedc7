package org.jdbcpoolra.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.probe.PayaraDirectLookupProbe;

/**
 * Open Liberty under test: src-deploy/liberty/configure.sh and remove.sh with a properties file built from
 * src-deploy/liberty/pool.properties (they render the pool into configDropins/overrides, which the running server
 * applies), the example EAR deployed by dropping it into dropins, statistics from Liberty's ConnectionPoolStats
 * MBean through its local JMX connector, as a person attaching JConsole would read them.
 */
public final class LibertyServer implements ServerControl {
    public static final int HTTP_PORT = Integer.getInteger("liberty.http.port", 9380);

    /**
     * Liberty removes idle connections above minPoolSize when its reaper runs (reapTime, here half the idle time).
     * Liberty has no high-water mark of connections in use and no validation when a connection is handed out
     * (the adapter's own checks only), so those facts differ from the other servers.
     */
    private static final ServerFacts FACTS = new ServerFacts("liberty", HTTP_PORT, "jdbc/Pool", "jdbc/Standalone",
            "jdbc/Xa", null, Duration.ofSeconds(20), "J2CA0045E",
            ServerFacts.Prefill.NEVER, false, List.of("pool.min", "pool.max"), "pool.connection-timeout", null,
            false, false, false, "CreateCount",
            PayaraDirectLookupProbe.class, serverDir().resolve("logs/messages.log"), null, null,
            Pattern.compile("^\\[[^\\]]+\\] \\S+ \\S+\\s+[WEF] "));

    private static final String EXAMPLE = "jdbc-pool-example.ear";
    private static PoolSettings current;
    private static boolean started;
    private static JMXConnector jmx;

    @Override
    public ServerFacts facts() {
        return FACTS;
    }

    /** The server must run before the pool is configured: the pool is there before the first deployment. */
    private static synchronized void ensureStarted() {
        if (started) {
            return;
        }
        if (!running()) {
            server("start");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server("stop"), "stop-liberty"));
        }
        started = true;
    }

    @Override
    public void configure(PoolSettings settings) {
        ensureStarted();
        current = settings;
        script("configure.sh", settings, Map.of());
        for (TestDatabase xa : settings.xaDatabases()) {
            script("configure-xa.sh", settings, xaNames(xa));
        }
        deployExample();
    }

    /** configure-xa.sh's keys for the XA factory of one database: empty until borrowed from, max as the pool's. */
    private static Map<String, String> xaNames(TestDatabase xa) {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("xa.pool.name", "Xa" + xa.name());
        names.put("xa.jndi.name", FACTS.xaJndiName(xa));
        names.put("xa.pool.min", "0");
        names.put("xa.pool.max", String.valueOf(MAX));
        names.put("xa.XADataSourceClass", xa.xaDataSourceClass());
        names.put("xa.Url", xa.url());
        names.put("xa.User", xa.user());
        names.put("xa.Password", xa.password());
        return names;
    }

    @Override
    public void remove() {
        undeployExample();
        for (TestDatabase xa : current.xaDatabases()) {
            script("remove-xa.sh", current, xaNames(xa));
        }
        script("remove.sh", current, Map.of());
    }

    /** Liberty's own stop and start; it keeps dropins and configDropins, so the pool and the apps come back. */
    @Override
    public void restart() {
        closeJmx();
        server("stop");
        server("start");
        Http.awaitOk(Http.example("/api/pool"));
        Http.awaitDeployed(Http.probe("/probe/session"));
    }

    /** kill -9 of the server's JVM, then Liberty's start: it keeps dropins, so the pool and the probe come back. */
    @Override
    public void crashAndRestart(WebArchive probe) {
        closeJmx();
        try {
            ProcessHandle.of(pid()).ifPresent(process -> {
                process.destroyForcibly();
                process.onExit().join();
            });
        } catch (IllegalStateException notRunning) {
            // halted by the scenario itself
        }
        server("start");
        Http.awaitDeployed(Http.probe("/probe/session"));
    }

    /** As Liberty's own status command reports it. */
    @Override
    public long pid() {
        Matcher pid = Pattern.compile("process ID (\\d+)").matcher(status());
        if (!pid.find()) {
            throw new IllegalStateException("Liberty does not run: " + status());
        }
        return Long.parseLong(pid.group(1));
    }

    @Override
    public String configureStandalone(PoolSettings settings) {
        try {
            script("configure.sh", settings, STANDALONE);
            return null;
        } catch (IllegalStateException refused) {
            script("remove.sh", settings, STANDALONE);
            return refused.getMessage();
        }
    }

    @Override
    public void removeStandalone() {
        script("remove.sh", PoolSettings.defaults(), STANDALONE);
    }

    /** A second installation of the same RAR, its own id, factory and JNDI name. */
    private static final Map<String, String> STANDALONE = Map.of("ra.name", "jdbc-pool-ra-alone",
            "pool.name", "Standalone", "jndi.name", FACTS.standaloneJndiName());

    /**
     * Liberty's ConnectionPoolStats (monitor-1.0), registered once the pool has created a connection. It counts
     * creations and destructions and the connections there are now; it keeps no high-water mark of connections in
     * use (peakInUse is reported as -1) and counts a borrower that waited in WaitTimeDetails.
     */
    @Override
    public PoolStatistics poolStatistics() {
        try {
            MBeanServerConnection server = jmx().getMBeanServerConnection();
            ObjectName name = new ObjectName("WebSphere:type=ConnectionPoolStats,name=" + FACTS.jndiName());
            if (!server.isRegistered(name)) {
                return new PoolStatistics(0, 0, 0, 0, 0, 0, name + " not registered (no connection created yet)");
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (String attribute : List.of("ManagedConnectionCount", "FreeConnectionCount", "ConnectionHandleCount",
                    "CreateCount", "DestroyCount", "WaitTime", "WaitTimeDetails")) {
                Object value = server.getAttribute(name, attribute);
                values.put(attribute, value instanceof CompositeData meter ? meter.get("count") : value);
            }
            long destroyed = ((Number) values.get("DestroyCount")).longValue();
            return new PoolStatistics(((Number) values.get("ManagedConnectionCount")).longValue(),
                    ((Number) values.get("CreateCount")).longValue(), -1,
                    ((Number) values.get("WaitTime")).doubleValue() > 0 ? 1 : 0, destroyed, destroyed,
                    values.toString());
        } catch (IOException | JMException e) {
            closeJmx();
            throw new IllegalStateException("Liberty's JMX connector does not answer", e);
        }
    }

    /**
     * Liberty decodes an {aes}-encoded value of a property whose name says password: the pool's properties file then
     * holds only what securityUtility printed.
     */
    @Override
    public String storeSecret(String password) {
        String output = TestEnvironment.run(List.of(home().resolve("bin/securityUtility").toString(), "encode",
                "--encoding=aes", "--key=" + encryptionKey(), password), Map.of());
        return output.lines().filter(line -> line.startsWith("{aes}")).findFirst()
                .orElseThrow(() -> new IllegalStateException("securityUtility printed no {aes} value"));
    }

    /** The server's AES key (prepare-server.sh made one up): Liberty decodes {aes} values with it. */
    private static String encryptionKey() {
        Properties bootstrap = new Properties();
        try (var in = Files.newInputStream(serverDir().resolve("bootstrap.properties"))) {
            bootstrap.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Liberty server's bootstrap.properties", e);
        }
        return bootstrap.getProperty("wlp.password.encryption.key");
    }

    /** The rendered configuration file's attribute: the adapter property with a lower-case first letter. */
    @Override
    public String configuredProperty(String name) {
        try {
            String file = Files.readString(serverDir().resolve("configDropins/overrides/jdbc-pool-ra.xml"));
            String attribute = Character.toLowerCase(name.charAt(0)) + name.substring(1);
            Matcher value = Pattern.compile("\\s" + attribute + "=\"([^\"]*)\"").matcher(file);
            if (!value.find()) {
                throw new IllegalStateException("the pool's configuration has no " + attribute);
            }
            return value.group(1).replace("&quot;", "\"").replace("&lt;", "<").replace("&amp;", "&");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the pool's configuration", e);
        }
    }

    @Override
    public void storeTimersInPool(TestDatabase database, Path application) {
        throw new UnsupportedOperationException("Liberty keeps persistent EJB timers only in a Liberty dataSource");
    }

    @Override
    public void storeTimersElsewhere(String application) {
        throw new UnsupportedOperationException("Liberty keeps persistent EJB timers only in a Liberty dataSource");
    }

    /**
     * The run command: the server started, src-deploy/liberty/configure.sh with its default pool.properties (H2 in
     * memory, bundled in the RAR), the example EAR in dropins.
     */
    static void serveExample() {
        System.out.println("Starting Liberty from " + home() + " (server " + serverName() + ")");
        ensureStarted();
        Path file = TestEnvironment.propertiesFile("liberty", "liberty-run.properties",
                Map.of("rar.path", TestEnvironment.archive("jdbc-pool-ra.rar").toString()));
        TestEnvironment.run(List.of("bash", TestEnvironment.srcDeploy().resolve("liberty/configure.sh").toString(),
                file.toString()), Map.of("WLP_HOME", home().toString(), "LIBERTY_SERVER", serverName()));
        deployExample();
        Http.awaitOk(Http.example("/api/notes"));
    }

    public static Path home() {
        return Path.of(System.getProperty("liberty.home"));
    }

    private static String serverName() {
        return System.getProperty("liberty.server", "it");
    }

    static Path serverDir() {
        return home().resolve("usr/servers").resolve(serverName());
    }

    /** The example EAR into dropins; returns once Liberty has started it. */
    private static void deployExample() {
        long from = logSize();
        try {
            Path target = serverDir().resolve("dropins").resolve(EXAMPLE);
            Path staged = serverDir().resolve(EXAMPLE + ".part");
            Files.copy(TestEnvironment.archive(EXAMPLE), staged, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(staged, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot deploy " + EXAMPLE, e);
        }
        awaitLog(from, "CWWKZ000[13]I: .*jdbc-pool-example|CWWKZ00(02|04)E: .*jdbc-pool-example",
                Duration.ofMinutes(2));
    }

    /** Out of dropins; returns once Liberty has stopped it. */
    private static void undeployExample() {
        long from = logSize();
        try {
            if (!Files.deleteIfExists(serverDir().resolve("dropins").resolve(EXAMPLE))) {
                return;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot undeploy " + EXAMPLE, e);
        }
        awaitLog(from, "CWWKZ0009I: .*jdbc-pool-example", Duration.ofMinutes(2));
    }

    /** Runs a src-deploy/liberty script as README tells a user to, with pool.properties plus the test's values. */
    private static void script(String script, PoolSettings pool, Map<String, String> names) {
        Map<String, String> properties = pool.serverProperties("pool.min", "pool.max", "pool.connection-timeout",
                "pool.validate-on-borrow");
        // Liberty has no validate-on-borrow setting; its durations carry their unit.
        properties.remove("pool.validate-on-borrow");
        properties.compute("pool.connection-timeout", (key, millis) -> millis + "ms");
        properties.replaceAll((key, value) -> STORED_SECRET.equals(value) ? new LibertyServer().storeSecret(
                pool.database().password()) : value);
        long idle = pool.idleTimeout(FACTS.idleTimeout()).toSeconds();
        properties.put("pool.max-idle-time", idle + "s");
        properties.put("pool.reap-time", Math.max(1, idle / 2) + "s");
        properties.put("rar.path", TestEnvironment.archive("jdbc-pool-ra.rar").toString());
        // One class path for the adapter: the pool's driver and those of the XA factories.
        List<String> drivers = new ArrayList<>();
        for (TestDatabase database : Stream.concat(Stream.of(pool.database()), pool.xaDatabases().stream())
                .distinct().toList()) {
            Path driver = database.driverJar();
            if (driver != null) {
                drivers.add(driver.toString());
            }
        }
        properties.put("driver.jar", String.join(",", drivers));
        properties.putAll(names);
        Path file = TestEnvironment.propertiesFile("liberty", "liberty-pool.properties", properties);
        TestEnvironment.run(List.of("bash", TestEnvironment.srcDeploy().resolve("liberty").resolve(script).toString(),
                file.toString()), Map.of("WLP_HOME", home().toString(), "LIBERTY_SERVER", serverName()));
    }

    static long logSize() {
        try {
            Path log = FACTS.serverLog();
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Liberty's messages.log", e);
        }
    }

    /** The first line of messages.log after {@code from} (a size) that matches, once it is there. */
    static String awaitLog(long from, String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (var in = new java.io.RandomAccessFile(FACTS.serverLog().toFile(), "r")) {
                in.seek(Math.min(from, in.length()));
                byte[] news = new byte[(int) (in.length() - in.getFilePointer())];
                in.readFully(news);
                for (String line : new String(news, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                    if (pattern.matcher(line).find()) {
                        return line;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read Liberty's messages.log", e);
            }
            Http.sleep(200);
        }
        throw new IllegalStateException("Liberty did not log /" + regex + "/ within " + timeout.toSeconds() + " s");
    }

    private static boolean running() {
        try {
            server("status");
            return true;
        } catch (IllegalStateException notRunning) {
            return false;
        }
    }

    private static String status() {
        try {
            return server("status");
        } catch (IllegalStateException notRunning) {
            return notRunning.getMessage();
        }
    }

    private static String server(String action) {
        return TestEnvironment.run(List.of(home().resolve("bin/server").toString(), action, serverName()), Map.of());
    }

    private static synchronized JMXConnector jmx() throws IOException {
        if (jmx == null) {
            Path address = serverDir().resolve("logs/state/com.ibm.ws.jmx.local.address");
            jmx = JMXConnectorFactory.connect(new JMXServiceURL(Files.readAllLines(address).get(0)));
        }
        return jmx;
    }

    private static synchronized void closeJmx() {
        if (jmx != null) {
            try {
                jmx.close();
            } catch (IOException ignored) {
                // the server is going away anyway
            }
            jmx = null;
        }
    }
}
