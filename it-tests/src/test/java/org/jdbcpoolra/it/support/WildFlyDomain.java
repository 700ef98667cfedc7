package org.jdbcpoolra.it.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A WildFly managed domain on this machine: the domain controller and its host's two servers of main-server-group
 * (server-one, server-two) from the unpacked WildFly's own domain configuration, copied to the work folder so that
 * nothing persists between runs. Two changes to that configuration: the group runs the default profile (the example
 * needs nothing from full, and a lighter profile starts faster on a 2-core machine), and the ports move by
 * {@link #OFFSET} and {@link #OFFSET} + 150, clear of the standalone test servers. The src-deploy/wildfly scripts are
 * applied to it as README tells a domain's operator: the same files, with profile.address and server.group.
 */
public final class WildFlyDomain implements AutoCloseable {
    public static final String PROFILE = "default";
    public static final String GROUP = "main-server-group";
    public static final List<String> SERVERS = List.of("server-one", "server-two");
    private static final int OFFSET = 300;
    private static final int MANAGEMENT_PORT = 9990 + OFFSET;

    private final Process hostController;
    private final Path base;

    private WildFlyDomain(Process hostController, Path base) {
        this.hostController = hostController;
        this.base = base;
    }

    /** Starts the domain and returns once both servers run. */
    public static WildFlyDomain start() throws IOException, InterruptedException {
        Path base = TestEnvironment.work().resolve("domain");
        deleteTree(base);
        copyTree(WildFlyServer.home().resolve("domain"), base);
        Path host = base.resolve("configuration/host.xml");
        Files.writeString(host, Files.readString(host)
                .replace("<server name=\"server-one\" group=\"main-server-group\"/>",
                        "<server name=\"server-one\" group=\"main-server-group\">"
                                + "<socket-bindings port-offset=\"" + OFFSET + "\"/></server>")
                .replace("port-offset=\"150\"", "port-offset=\"" + (OFFSET + 150) + "\""));
        Path domain = base.resolve("configuration/domain.xml");
        String xml = Files.readString(domain);
        int group = xml.indexOf("<server-group name=\"" + GROUP + "\" profile=\"full\">");
        if (group < 0) {
            throw new IllegalStateException("no " + GROUP + " with profile full in " + domain);
        }
        Files.writeString(domain, xml.substring(0, group) + xml.substring(group)
                .replaceFirst("profile=\"full\"", "profile=\"" + PROFILE + "\"")
                .replaceFirst("ref=\"full-sockets\"", "ref=\"standard-sockets\""));
        Path log = base.resolve("domain-console.log");
        Process process = new ProcessBuilder(List.of(WildFlyServer.home().resolve("bin/domain.sh").toString(),
                "-Djboss.domain.base.dir=" + base, "-Djboss.management.http.port=" + MANAGEMENT_PORT))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        WildFlyDomain started = new WildFlyDomain(process, base);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(180).toNanos();
        while (!SERVERS.stream().allMatch(started::running)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                started.close();
                throw new IllegalStateException("the domain did not start within 180 s; see " + log);
            }
            Http.sleep(500);
        }
        return started;
    }

    /** The example (or probe) on one server of the group. */
    public URI uri(String server, String path) {
        return URI.create("http://127.0.0.1:" + (8080 + OFFSET + 150 * SERVERS.indexOf(server)) + path);
    }

    /**
     * Installs the driver as src-deploy/wildfly/add-driver.cli says for a domain: the module on the host first, with
     * a CLI that does not connect, then the script.
     */
    public void addDriver(TestDatabase database) throws IOException {
        Path module = WildFlyServer.home().resolve("modules").resolve(database.driverModule().replace('.', '/'));
        deleteTree(module);
        TestEnvironment.run(List.of(WildFlyServer.home().resolve("bin/jboss-cli.sh").toString(),
                "--command=module add --name=" + database.driverModule() + " --resources=" + database.driverJar()
                        + " --dependencies=java.se"),
                Map.of("JBOSS_HOME", WildFlyServer.home().toString(), "JAVA_OPTS", TestEnvironment.SHORT_LIVED_JVM));
        cli("add-driver.cli", Map.of("driver.jar", database.driverJar().toString(),
                "driver.module", database.driverModule()));
    }

    /** A src-deploy/wildfly script with pool.properties, the domain's two keys and these overrides. */
    public String cli(String script, Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(overrides);
        settings.put("profile.address", "/profile=" + PROFILE);
        settings.put("server.group", GROUP);
        Path properties = TestEnvironment.propertiesFile("wildfly", "domain-" + script.replace(".cli", "")
                + ".properties", settings);
        return jbossCli("--resolve-parameter-values", "--properties=" + properties,
                "--file=" + TestEnvironment.srcDeploy().resolve("wildfly/" + script));
    }

    /** One CLI command on the domain controller. */
    public String command(String command) {
        return jbossCli("--command=" + command);
    }

    /** The pool's statistics as one server reports them (the same resource as a standalone server's, per host). */
    public Map<String, Long> statistics(String server) {
        String output = command("/host=primary/server=" + server + "/subsystem=resource-adapters/resource-adapter="
                + "jdbc-pool-ra/connection-definitions=Pool/statistics=pool:read-resource(include-runtime=true)");
        Map<String, Long> values = new HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(\\w+)\" => (\\d+)L?\\b").matcher(output);
        while (m.find()) {
            values.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return values;
    }

    public boolean running(String server) {
        try {
            return command("/host=primary/server=" + server + ":read-attribute(name=server-state)")
                    .contains("\"running\"");
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    /** Kills the server's JVM at once (SIGKILL), as a crash would; the host controller does not restart it. */
    public void kill(String server) {
        ProcessHandle process = serverProcess(server).orElseThrow(() -> new IllegalStateException(
                "no process of " + server));
        process.destroyForcibly();
        process.onExit().join();
    }

    /** What an operator does after a crash: starts the server again through the domain controller. */
    public void startServer(String server) {
        command("/host=primary/server-config=" + server + ":start(blocking=true)");
    }

    private Optional<ProcessHandle> serverProcess(String server) {
        String tag = "-D[Server:" + server + "]";
        return hostController.descendants().filter(p -> p.info().arguments()
                .map(args -> List.of(args).contains(tag)).orElse(false)).findFirst();
    }

    private String jbossCli(String... arguments) {
        List<String> commandLine = new java.util.ArrayList<>(List.of(
                WildFlyServer.home().resolve("bin/jboss-cli.sh").toString(), "-c",
                "--controller=remote+http://127.0.0.1:" + MANAGEMENT_PORT));
        commandLine.addAll(List.of(arguments));
        return TestEnvironment.run(commandLine, Map.of("JBOSS_HOME", WildFlyServer.home().toString(), "JAVA_OPTS",
                TestEnvironment.SHORT_LIVED_JVM));
    }

    /** Stops the servers and the controller; what is left of them is killed. */
    @Override
    public void close() {
        try {
            command("/host=primary:shutdown");
        } catch (IllegalStateException alreadyDown) {
            // ended below
        }
        try {
            if (!hostController.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                hostController.descendants().forEach(ProcessHandle::destroyForcibly);
                hostController.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public Path base() {
        return base;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
