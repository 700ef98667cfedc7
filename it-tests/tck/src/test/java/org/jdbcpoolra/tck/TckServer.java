package org.jdbcpoolra.tck;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.spi.event.container.AfterStart;
import org.jboss.arquillian.core.api.annotation.Observes;

/**
 * Configures the DataSource under test once the server of a run is up, before the TCK's first deployment: our RAR
 * through src-deploy/wildfly's scripts exactly as README tells a user (add-driver.cli, configure.cli with
 * pool.properties and the run's overrides), or, for the baseline, WildFly's own datasource at the same JNDI name. Both
 * runs then route the EE default datasource to java:/jdbc/Pool, which is where the TCK's jdbc/DB1 reference lands.
 * The run's name says what it is: {@code <database>-<pool|baseline>[-cache]}.
 */
public final class TckServer {
    /** Big enough that every statement a TCK test prepares stays cached between its borrows. */
    static final int CACHE_SIZE = 16;

    public void configure(@Observes AfterStart started) {
        String run = System.getProperty("tck.run");
        Database database = Database.valueOf(System.getProperty("tck.db").toUpperCase(java.util.Locale.ROOT));
        Path archives = Path.of(System.getProperty("tck.archives"));
        // The module files of an earlier run stay in the unpacked server; add-driver.cli installs them afresh.
        deleteTree(Path.of(System.getProperty("jboss.home"), "modules", database.module.replace('.', '/')));
        cli(srcDeploy("add-driver.cli"), Map.of("driver.jar", archives.resolve(database.driverJar).toString(),
                "driver.module", database.module));
        Map<String, String> pool = new LinkedHashMap<>();
        pool.put("Url", database.url);
        pool.put("User", "tck");
        pool.put("Password", "tck");
        pool.put("DriverClass", database.driverClass);
        pool.put("jndi.name", "java:/jdbc/Pool");
        pool.put("driver.module", database.module);
        if (run.contains("-baseline")) {
            cli(tckScript("baseline.cli"), pool);
        } else {
            pool.put("deployment.path", archives.resolve("jdbc-pool-ra.rar").toString());
            pool.put("deployment.name", "jdbc-pool-ra.rar");
            pool.put("ra.archive", "jdbc-pool-ra.rar");
            pool.put("PreparedStatementCacheSize", run.endsWith("-cache") ? String.valueOf(CACHE_SIZE) : "0");
            cli(srcDeploy("configure.cli"), pool);
        }
        cli(srcDeploy("default-datasource.cli"), pool);
    }

    private static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + directory, e);
        }
    }

    private static Path srcDeploy(String script) {
        return Path.of(System.getProperty("tck.src-deploy"), "wildfly", script);
    }

    private static Path tckScript(String script) {
        return Path.of(System.getProperty("tck.wildfly-scripts"), script);
    }

    /** jboss-cli.sh with src-deploy/wildfly/pool.properties plus these overrides, its output kept in the work dir. */
    private static void cli(Path script, Map<String, String> overrides) {
        try {
            Path work = Files.createDirectories(Path.of(System.getProperty("tck.work")));
            Properties defaults = new Properties();
            try (InputStream in = Files.newInputStream(srcDeploy("pool.properties"))) {
                defaults.load(in);
            }
            Map<String, String> values = new LinkedHashMap<>();
            defaults.stringPropertyNames().forEach(key -> values.put(key, defaults.getProperty(key)));
            values.putAll(overrides);
            StringBuilder text = new StringBuilder();
            values.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
            String name = System.getProperty("tck.run") + "-" + script.getFileName().toString().replace(".cli", "");
            Path properties = work.resolve(name + ".properties");
            Files.writeString(properties, text);
            Path home = Path.of(System.getProperty("jboss.home"));
            List<String> command = new ArrayList<>(List.of(home.resolve("bin/jboss-cli.sh").toString(), "-c",
                    "--controller=remote+http://127.0.0.1:" + System.getProperty("tck.management.port"),
                    "--timeout=120000", "--resolve-parameter-values", "--properties=" + properties,
                    "--file=" + script));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(work.resolve(name + ".out").toFile());
            builder.environment().put("JBOSS_HOME", home.toString());
            Process process = builder.start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(script + " did not finish within 180 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(script + " failed: " + Files.readString(work.resolve(name + ".out")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private enum Database {
        POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/tck", "org.postgresql.Driver", "org.postgresql", "postgresql.jar"),
        MARIADB("jdbc:mariadb://127.0.0.1:3306/tck", "org.mariadb.jdbc.Driver", "org.mariadb", "mariadb.jar");

        final String url;
        final String driverClass;
        final String module;
        final String driverJar;

        Database(String url, String driverClass, String module, String driverJar) {
            this.url = url;
            this.driverClass = driverClass;
            this.module = module;
            this.driverJar = driverJar;
        }
    }
}
