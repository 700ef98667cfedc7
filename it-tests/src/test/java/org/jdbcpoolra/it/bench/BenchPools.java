package org.jdbcpoolra.it.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.TestEnvironment;
import org.jdbcpoolra.it.support.WildFlyServer;

/**
 * The two pools under comparison in the running WildFly, on one database with one size: ours at java:/jdbc/Pool
 * through src-deploy/wildfly/configure.cli (the RAR alone), WildFly's own datasource at java:/jdbc/Native, and the
 * benchmark application that uses both. The application pins both JNDI names, so it is deployed after the pools
 * and undeployed before them; otherwise WildFly refuses to remove a pool in use.
 */
final class BenchPools {
    /**
     * The same check as ours by default (Connection.isValid, ValidationQuery unset). Without a checker WildFly's
     * validate-on-match is a no-op (IronJacamar reports every connection valid untouched), while ours validates on
     * every borrow: on a networked database that alone is one round trip per getConnection.
     */
    private static final String NATIVE_CHECKER =
            "org.jboss.jca.adapters.jdbc.extensions.novendor.JDBC4ValidConnectionChecker";
    /** ra.name and pool.name as pool.properties has them. */
    private static final String OURS_STATISTICS =
            "/subsystem=resource-adapters/resource-adapter=jdbc-pool-ra/connection-definitions=Pool/statistics=pool";
    private static final String NATIVE_STATISTICS = "/subsystem=datasources/data-source=Native/statistics=pool";

    private final Path war;
    /** Database name to the driver name WildFly's datasource uses; each driver is installed once per server run. */
    private final Map<String, String> nativeDrivers = new HashMap<>();
    /** The properties configure.cli was given last, for remove.cli. */
    private Map<String, String> current;

    BenchPools(Path work) {
        war = work.resolve("bench.war");
        ShrinkWrap.create(WebArchive.class, "bench.war").addClasses(BenchServlet.class, BenchBean.class)
                .as(ZipExporter.class).exportTo(war.toFile(), true);
    }

    void open(BenchDatabase db, int size) {
        String driver = nativeDrivers.computeIfAbsent(db.name(), name -> installDriver(db));
        current = oursSettings(db, size);
        WildFlyServer.cli("configure.cli", current);
        WildFlyServer.command("data-source add --name=Native --jndi-name=java:/jdbc/Native --driver-name=" + driver
                + " --connection-url=" + db.nativeUrl() + " --user-name=" + db.user() + " --password="
                + db.password() + " --min-pool-size=" + size + " --initial-pool-size=" + size + " --max-pool-size="
                + size + " --pool-prefill=true --blocking-timeout-wait-millis=5000 --validate-on-match=true"
                + " --valid-connection-checker-class-name=" + NATIVE_CHECKER
                + " --background-validation=false --statistics-enabled=true --enabled=true");
        // Without this the server may go on with a datasource of the same name and its former settings.
        if (WildFlyServer.command(":read-attribute(name=server-state)").contains("reload-required")) {
            WildFlyServer.command("reload");
        }
        WildFlyServer.command("deploy " + war);
        verify(db, size);
    }

    void close() {
        WildFlyServer.command("undeploy " + war.getFileName());
        // Removed at once; a plain remove would leave it running until the next reload.
        WildFlyServer.command("/subsystem=datasources/data-source=Native:remove{allow-resource-service-restart=true}");
        WildFlyServer.cli("remove.cli", current);
    }

    /**
     * What the pools run with, asked of the running server rather than of its configuration: a datasource whose
     * removal waits for a reload keeps serving its old database and size under the new configuration.
     */
    private static void verify(BenchDatabase db, int size) {
        URI pools = URI.create("http://127.0.0.1:" + WildFlyServer.HTTP_PORT + "/bench/pools");
        Http.awaitOk(pools);
        String[] urls = Http.get(pools).body().split("\n");
        check("ours", urls[0], db.oursUrl());
        check("WildFly's", urls[1], db.nativeUrl());
        check("ours", available(OURS_STATISTICS), size);
        check("WildFly's", available(NATIVE_STATISTICS), size);
    }

    /** Connections the pool could hand out now: its maximum while nothing is borrowed. */
    private static int available(String statistics) {
        Matcher m = Pattern.compile("\"result\" => (\\d+)")
                .matcher(WildFlyServer.command(statistics + ":read-attribute(name=AvailableCount)"));
        if (!m.find()) {
            throw new IllegalStateException("no AvailableCount at " + statistics);
        }
        return Integer.parseInt(m.group(1));
    }

    private static void check(String pool, String actualUrl, String expectedUrl) {
        // H2 may report its URL without the settings after the first semicolon.
        if (!actualUrl.startsWith(expectedUrl.split(";")[0])) {
            throw new IllegalStateException(pool + " pool is connected to " + actualUrl + ", not " + expectedUrl);
        }
    }

    private static void check(String pool, int actualMax, int expectedMax) {
        if (actualMax != expectedMax) {
            throw new IllegalStateException(pool + " pool has " + actualMax + " connections, not " + expectedMax);
        }
    }

    /** The shipped defaults (pool.properties) with this database and size: what a user of the RAR alone writes. */
    private static Map<String, String> oursSettings(BenchDatabase db, int size) {
        Map<String, String> ours = new LinkedHashMap<>();
        ours.put("deployment.path", TestEnvironment.archive("jdbc-pool-ra.rar").toString());
        ours.put("deployment.name", "jdbc-pool-ra.rar");
        ours.put("ra.archive", "jdbc-pool-ra.rar");
        ours.put("Url", db.oursUrl());
        ours.put("User", db.user());
        ours.put("Password", db.password());
        ours.put("DriverClass", db.driverClass());
        ours.put("pool.min", String.valueOf(size));
        ours.put("pool.max", String.valueOf(size));
        return ours;
    }

    /** Gives both pools the database's driver JAR; returns the name WildFly's datasource knows it by. */
    private static String installDriver(BenchDatabase db) {
        if (db.driverModule() == null) {
            WildFlyServer.command("deploy " + db.driverJar());
            return db.driverJar().getFileName().toString();
        }
        deleteModule(db.driverModule());
        WildFlyServer.cli("add-driver.cli", Map.of("driver.jar", db.driverJar().toString(),
                "driver.module", db.driverModule()));
        String name = "bench-" + db.name().toLowerCase(Locale.ROOT);
        WildFlyServer.command("/subsystem=datasources/jdbc-driver=" + name + ":add(driver-module-name="
                + db.driverModule() + ", driver-class-name=" + db.driverClass() + ")");
        return name;
    }

    /**
     * The server's configuration is read-only (nothing of a run persists) but module files are not: the module an
     * earlier run added is still on disk, and "module add" refuses to overwrite it.
     */
    private static void deleteModule(String module) {
        Path folder = WildFlyServer.home().resolve("modules").resolve(module.replace('.', '/'));
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (NoSuchFileException absent) {
            // the first run on this unpacked server
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + folder, e);
        }
    }
}
