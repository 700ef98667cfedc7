package org.jdbcpoolra.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The database the pool under test talks to, and the test's independent view of it through an administrator
 * connection of its own: sessions of the pool's user as the database counts them, rows as the database holds them,
 * and the faults an operator meets (killed sessions, a restart). Chosen by the system property {@code it.db}:
 * {@code h2} (the default: an H2 TCP server inside the test JVM), {@code postgresql} or {@code mariadb} (the
 * machine's servers, prepared by it-tests/src/test/databases/prepare.sh). A real database that cannot be reached
 * fails the suite; it is never skipped.
 */
public abstract class TestDatabase {
    /** Distinctive so a test can grep the server log for it: it must never appear there. */
    public static final String POOL_PASSWORD = "pool-Secret-4711";

    private static final java.util.Map<String, TestDatabase> INSTANCES = new java.util.HashMap<>();

    private Connection admin;
    private FaultProxy faultProxy;
    private FaultProxy silentListener;

    /** The database the pool under test uses: system property {@code it.db}. */
    public static TestDatabase get() {
        return named(System.getProperty("it.db", "h2"));
    }

    /** One of the databases by name (the XA scenarios use two at once). */
    public static synchronized TestDatabase named(String name) {
        TestDatabase database = INSTANCES.get(name);
        if (database == null) {
            database = switch (name) {
                case "h2" -> new H2Database(Integer.getInteger("it.h2.port", 19092));
                case "postgresql" -> new PostgresDatabase();
                case "mariadb" -> new MariaDbDatabase();
                default -> throw new IllegalArgumentException("it.db=" + name + ": expected h2, postgresql or mariadb");
            };
            database.createTables();
            INSTANCES.put(name, database);
        }
        return database;
    }

    /** h2, postgresql or mariadb. */
    public abstract String name();

    /** The JDBC URL the pool uses. */
    public abstract String url();

    /** A URL of the same kind that no database listens on. */
    public abstract String unreachableUrl();

    /** The TCP port the database listens on (in {@link #url()}). */
    public abstract int port();

    /** The relay the fault scenarios put between the server and this database (one per test run, started lazily). */
    public synchronized FaultProxy faultProxy() {
        if (faultProxy == null) {
            faultProxy = FaultProxy.to("127.0.0.1", port());
        }
        return faultProxy;
    }

    /** The pool's URL with the fault proxy in between. */
    public String urlThroughFaultProxy() {
        return urlThrough(faultProxy());
    }

    /**
     * A URL of the same kind whose listener accepts connections and never says a word (the fault proxy, silenced
     * for good by {@link #silentListener()}).
     */
    public String silentUrl() {
        return urlThrough(silentListener());
    }

    /** The pool's URL with the given relay in between (a scenario's own, which it may silence and close). */
    public String urlThrough(FaultProxy proxy) {
        return url().replace("127.0.0.1:" + port() + "/", "127.0.0.1:" + proxy.port() + "/");
    }

    /** The listener {@link #silentUrl()} points at: it accepts connections and never answers. */
    public synchronized FaultProxy silentListener() {
        if (silentListener == null) {
            silentListener = FaultProxy.to("127.0.0.1", port());
            silentListener.silence();
        }
        return silentListener;
    }

    public abstract String user();

    public String password() {
        return POOL_PASSWORD;
    }

    public abstract String driverClass();

    /**
     * The driver JAR a server must be given (null: the RAR brings it); a JBoss module name goes with it. Both come
     * from the build (it.driver.jar).
     */
    public Path driverJar() {
        String jar = System.getProperty("it.driver.jar." + name());
        return jar == null ? null : Path.of(jar);
    }

    public abstract String driverModule();

    /** This database's javax.sql.XADataSource class. */
    public abstract String xaDataSourceClass();

    /** Branches prepared in the pool's database and not yet committed or rolled back (in doubt). */
    public abstract int preparedBranches();

    /** A query returning the id the database gives the session that runs it. */
    public abstract String sessionIdSql();

    /** The URL with a password of its own, as the driver reads it there. */
    public String urlWithPassword(String password) {
        return url() + (url().contains("?") ? "&" : "?") + "password=" + password;
    }

    /** Changes the pool user's password in the database (sessions already open stay). */
    public abstract void changePassword(String password);

    /** Whether the session with this id (as {@link #sessionIdSql()} gives it) is still open in the database. */
    public abstract boolean sessionAlive(String id);

    /**
     * A statement that sets something of the session's own, and the query that reads it back (PostgreSQL:
     * application_name, which pg_stat_activity shows; the others: a user variable).
     */
    public String sessionSettingSql() {
        return "SET @pool_init = 'pool-init-sql'";
    }

    public String sessionSettingQuery() {
        return "SELECT @pool_init";
    }

    /**
     * Where the database does not show when a session started (MariaDB, H2), InitSql remembers it in the session;
     * {@link #sessionAgeQuery()} then gives the age in milliseconds, by the database's clock.
     */
    public String sessionBornSql() {
        return "SET @pool_born = CURRENT_TIMESTAMP(3)";
    }

    public String sessionAgeQuery() {
        return "SELECT DATEDIFF(MILLISECOND, @pool_born, CURRENT_TIMESTAMP(3))";
    }

    /**
     * What {initRow} tags its rows with, before the session id: unique to this test JVM, since session ids come back
     * (PostgreSQL's are process ids, which wrap at 32768; MariaDB's and H2's count again from 1 after a restart) and
     * rows of an earlier run's session must not count for a new one.
     */
    public static final String INIT_ROW_PREFIX = "init-" + Long.toString(System.currentTimeMillis(), 36) + "-";

    /**
     * Pool settings may name these instead of spelling a database's SQL: {initRow} (a row in probe_rows tagged
     * {@link #INIT_ROW_PREFIX}&lt;session id&gt;), {sessionSetting}, {sessionBorn}, {passwordFile},
     * {throughFaultProxy} (the URL through {@link #faultProxy()}) and {silentUrl} ({@link #silentUrl()}).
     */
    public String expand(String value) {
        return value.replace("{initRow}", "INSERT INTO probe_rows (tag) SELECT CONCAT('" + INIT_ROW_PREFIX + "', "
                        + sessionIdSql().substring("SELECT ".length()) + ")")
                .replace("{sessionSetting}", sessionSettingSql())
                .replace("{sessionBorn}", sessionBornSql())
                .replace("{passwordFile}", passwordFile().toString())
                .replace("{throughFaultProxy}", value.contains("{throughFaultProxy}") ? urlThroughFaultProxy() : "")
                .replace("{silentUrl}", value.contains("{silentUrl}") ? silentUrl() : "");
    }

    /** A file holding the pool user's password, as a mounted secret would (written afresh for every class). */
    public Path passwordFile() {
        try {
            Path file = TestEnvironment.work().resolve("pool-password");
            Files.writeString(file, password() + "\n");
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the password file", e);
        }
    }

    /** The isolation level a fresh connection of this database has. */
    public abstract int defaultIsolation();

    /** A statement that runs for at least the given number of seconds unless it is cancelled. */
    public abstract String sleepSql(int seconds);

    /**
     * A query for what the database itself says of the session's read-only mode, and its answers for read-only and
     * read-write; null where setReadOnly does not reach the database (H2 ignores it; MariaDB Connector/J keeps it to
     * itself outside replication setups).
     */
    public String[] readOnlyQuery() {
        return null;
    }

    /**
     * Objects a borrower can get from the driver that could reach the physical connection: kind (blob, array, or
     * object for getObject), setup statement (or empty) and query, for the probe's /keep.
     */
    public List<List<String>> driverObjects() {
        return List.of(List.of("blob", "", "SELECT CAST(X'0102' AS BLOB)"),
                List.of("clob", "", "SELECT CAST('ab' AS CLOB)"),
                List.of("nclob", "", "SELECT CAST('ab' AS NCLOB)"),
                List.of("sqlxml", "", "SELECT CAST('<a/>' AS CLOB)"),
                List.of("array", "", "SELECT ARRAY[1, 2, 3]"));
    }

    /** The SQLState the database gives a statement its query timeout cancelled (not a fatal one). */
    public String cancelSqlState() {
        return "57014";
    }


    /** Sessions of the pool's user that have a transaction open (work neither committed nor rolled back). */
    public abstract int poolSessionsInTransaction();

    /** Sessions the pool's user holds open right now. */
    public abstract int poolSessions();

    /** Ends every session of the pool's user from the database side; returns how many. */
    public abstract int killPoolSessions();

    /** Stops the database server (every session ends); {@link #start} brings it back with its data. */
    public abstract void stop();

    public abstract void start();

    protected abstract Connection openAdmin() throws SQLException;

    /** The pool's user must be able to write the tables the scenarios count rows in. */
    protected void createTables() {
        execute("CREATE TABLE IF NOT EXISTS probe_rows (tag VARCHAR(100) NOT NULL)");
    }

    /** Notes the example EJB wrote: proof that it wrote through this pool into this database. */
    public int notesWithBody(String body) {
        return queryInt("SELECT COUNT(*) FROM notes WHERE body = ?", body);
    }

    public int rowsTagged(String tag) {
        return queryInt("SELECT COUNT(*) FROM probe_rows WHERE tag = ?", tag);
    }

    /** Rows grouped by tag, for tags starting with the prefix: tag -> count. */
    public java.util.Map<String, Integer> rowsByTag(String prefix) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (List<String> row : query("SELECT tag, COUNT(*) FROM probe_rows WHERE tag LIKE ? GROUP BY tag",
                prefix + "%")) {
            counts.put(row.get(0), Integer.parseInt(row.get(1)));
        }
        return counts;
    }

    public synchronized void execute(String sql) {
        try (Statement s = admin().createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            dropAdmin();
            throw new IllegalStateException(name() + ": admin statement failed: " + sql, e);
        }
    }

    /** The observer's answer to a query returning one number. */
    public synchronized int queryInt(String sql, String... parameters) {
        return Integer.parseInt(query(sql, parameters).get(0).get(0));
    }

    public synchronized List<List<String>> query(String sql, String... parameters) {
        try (PreparedStatement ps = admin().prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int c = 1; c <= columns; c++) {
                        row.add(rs.getString(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            dropAdmin();
            throw new IllegalStateException(name() + ": observer query failed: " + sql, e);
        }
    }

    /** The observer's own connection, opened again after a restart. */
    protected synchronized Connection admin() throws SQLException {
        if (admin == null || admin.isClosed()) {
            admin = openAdmin();
        }
        return admin;
    }

    private void dropAdmin() {
        try {
            if (admin != null) {
                admin.close();
            }
        } catch (SQLException ignored) {
            // it was broken anyway
        }
        admin = null;
    }

    /** Forgets the observer connection (the database went away under it). */
    protected synchronized void resetAdmin() {
        dropAdmin();
    }

    /** Runs an operator's command (a service start or stop) and fails with its output if it fails. */
    protected static void run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("failed: " + String.join(" ", command) + "\n" + output);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether an operator's command (a status query) exits with 0. */
    protected static boolean succeeds(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the admin connection works again (a restarted server accepts logins). */
    protected void awaitUp() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                resetAdmin();
                queryInt("SELECT 1");
                return;
            } catch (IllegalStateException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name() + " did not come back within 60 s", notYet);
                }
                Http.sleep(100);
            }
        }
    }

    /** Fails loudly, naming the fix, when a real database is not there. */
    protected static Connection connectOrExplain(String what, java.util.concurrent.Callable<Connection> open) {
        try {
            return open.call();
        } catch (Exception e) {
            throw new IllegalStateException(what + " is not reachable (" + e.getMessage() + "); run "
                    + "it-tests/src/test/databases/prepare.sh first", e);
        }
    }
}
