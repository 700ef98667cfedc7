package org.jdbcpoolra.it.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

import org.jdbcpoolra.it.support.TestDatabase;

/**
 * The database both pools use in one phase of the benchmark, and the one driver JAR both get. driverModule is the
 * JBoss module the JAR is installed as with src-deploy/wildfly/add-driver.cli; null when the RAR brings the driver
 * itself (H2) and WildFly's datasource gets the same JAR deployed instead.
 */
record BenchDatabase(String name, String setup, String oursUrl, String nativeUrl, String user, String password,
        String driverClass, Path driverJar, String driverModule) {

    /**
     * Not org.postgresql, the name the integration tests install: they delete that module folder (and everything
     * under it) before they add it, and a test run may share this unpacked server.
     */
    private static final String POSTGRES_MODULE = "org.jdbcpoolra.bench.postgresql";
    private static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/pool_it";

    static BenchDatabase h2(Path jar) {
        return new BenchDatabase("H2", jar.getFileName() + " in memory, one database per pool; the RAR brings this"
                + " H2 version, WildFly's datasource gets the JAR deployed as a driver",
                "jdbc:h2:mem:ours;DB_CLOSE_DELAY=-1", "jdbc:h2:mem:native;DB_CLOSE_DELAY=-1", "sa", "sa",
                "org.h2.Driver", jar, null);
    }

    /** The machine's PostgreSQL as it-tests/src/test/databases/prepare.sh leaves it; both pools share pool_it. */
    static BenchDatabase postgresql(Path jar) {
        return new BenchDatabase("PostgreSQL", jar.getFileName() + " as the global JBoss module " + POSTGRES_MODULE
                + " (add-driver.cli), the same module as WildFly's jdbc-driver; both pools on " + POSTGRES_URL,
                POSTGRES_URL, POSTGRES_URL, "pool_it", TestDatabase.POOL_PASSWORD, "org.postgresql.Driver", jar,
                POSTGRES_MODULE);
    }

    /**
     * Logs in once from the benchmark's own JVM, with the driver from its classpath, and returns the server's
     * version; the SQLException says why the database cannot be used (down, wrong password, no database).
     */
    String serverVersion() throws SQLException {
        Driver driver;
        try {
            driver = (Driver) Class.forName(driverClass).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new SQLException("no " + driverClass + " on the benchmark's classpath", e);
        }
        Properties login = new Properties();
        login.setProperty("user", user);
        login.setProperty("password", password);
        // A database that is not there must not hold the run up for the driver's default of minutes.
        login.setProperty("loginTimeout", "5");
        login.setProperty("connectTimeout", "5");
        try (Connection c = driver.connect(oursUrl, login)) {
            return c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion();
        }
    }
}
