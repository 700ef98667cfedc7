package org.jdbcpoolra.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * The machine's PostgreSQL: database and user pool_it (the user must give its password); the observer connects as
 * the superuser postgres and reads pg_stat_activity. Stopped and started with pg_ctlcluster, as an operator would.
 * The cluster and its port are the machine's (main, 5432) unless it.postgresql.cluster and it.postgresql.port name
 * another one prepare.sh made (.ci/run gives each lane its own).
 */
public final class PostgresDatabase extends TestDatabase {
    private static final int PORT = Integer.getInteger("it.postgresql.port", 5432);
    private static final String CLUSTER = System.getProperty("it.postgresql.cluster", "main");
    private static final String HOST = "127.0.0.1:" + PORT;

    PostgresDatabase() {
        connectOrExplain("PostgreSQL at " + HOST, this::admin);
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String url() {
        return "jdbc:postgresql://" + HOST + "/pool_it";
    }

    @Override
    public int port() {
        return PORT;
    }

    @Override
    public String unreachableUrl() {
        return "jdbc:postgresql://127.0.0.1:1/pool_it";
    }

    @Override
    public String user() {
        return "pool_it";
    }

    @Override
    public String driverClass() {
        return "org.postgresql.Driver";
    }

    @Override
    public String driverModule() {
        return "org.postgresql";
    }

    @Override
    public String xaDataSourceClass() {
        return "org.postgresql.xa.PGXADataSource";
    }

    @Override
    public int preparedBranches() {
        return queryInt("SELECT COUNT(*) FROM pg_prepared_xacts WHERE database = 'pool_it'");
    }

    @Override
    public String sessionIdSql() {
        return "SELECT pg_backend_pid()";
    }

    @Override
    public int defaultIsolation() {
        return Connection.TRANSACTION_READ_COMMITTED;
    }

    @Override
    public String sleepSql(int seconds) {
        return "SELECT pg_sleep(" + seconds + ")";
    }

    @Override
    protected void createTables() {
        super.createTables();
        execute("ALTER TABLE probe_rows OWNER TO pool_it");
        // A check that PostgreSQL defers to commit: in an XA branch it fails at prepare.
        execute("CREATE TABLE IF NOT EXISTS xa_deferred (id INT, CONSTRAINT xa_deferred_unique UNIQUE (id) "
                + "DEFERRABLE INITIALLY DEFERRED)");
        execute("ALTER TABLE xa_deferred OWNER TO pool_it");
    }

    @Override
    public void changePassword(String password) {
        execute("ALTER ROLE pool_it PASSWORD '" + password + "'");
    }

    @Override
    public boolean sessionAlive(String id) {
        return queryInt("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = CAST(? AS INT)", id) > 0;
    }

    /** A large object (PostgreSQL's LOB API works through the connection), an array and a refcursor. */
    @Override
    public List<List<String>> driverObjects() {
        // pgjdbc has no NClob.
        return List.of(List.of("blob", "", "SELECT lo_from_bytea(0, '\\x0102'::bytea)"),
                List.of("clob", "", "SELECT lo_from_bytea(0, 'ab'::bytea)"),
                List.of("sqlxml", "", "SELECT XMLPARSE(DOCUMENT '<a/>')"),
                List.of("array", "", "SELECT ARRAY[1, 2, 3]"),
                List.of("object", "CREATE OR REPLACE FUNCTION pg_temp.probe_cursor() RETURNS refcursor AS $$ "
                        + "DECLARE c refcursor; BEGIN OPEN c FOR SELECT 1 UNION ALL SELECT 2; RETURN c; END; $$ "
                        + "LANGUAGE plpgsql", "SELECT pg_temp.probe_cursor()"));
    }

    @Override
    public String[] readOnlyQuery() {
        return new String[] {"SHOW transaction_read_only", "on", "off"};
    }

    /** PostgreSQL shows it: pg_stat_activity.backend_start. */
    @Override
    public String sessionBornSql() {
        return "SELECT 1";
    }

    @Override
    public String sessionAgeQuery() {
        return "SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp() - backend_start) * 1000 AS BIGINT) "
                + "FROM pg_stat_activity WHERE pid = pg_backend_pid()";
    }

    @Override
    public String sessionSettingSql() {
        return "SET application_name = 'pool-init-sql'";
    }

    @Override
    public String sessionSettingQuery() {
        return "SELECT current_setting('application_name')";
    }

    /** The pool's sessions by the application_name pg_stat_activity shows for them: name -> count. */
    public java.util.Map<String, Integer> poolSessionsByApplicationName() {
        java.util.Map<String, Integer> names = new java.util.TreeMap<>();
        for (List<String> row : query("SELECT application_name, COUNT(*) FROM pg_stat_activity WHERE usename = ? "
                + "GROUP BY application_name", user())) {
            names.put(row.get(0), Integer.parseInt(row.get(1)));
        }
        return names;
    }

    @Override
    public int poolSessionsInTransaction() {
        return queryInt("SELECT COUNT(*) FROM pg_stat_activity WHERE usename = ? AND state LIKE 'idle in transaction%'",
                user());
    }

    @Override
    public int poolSessions() {
        return queryInt("SELECT COUNT(*) FROM pg_stat_activity WHERE usename = ?", user());
    }

    @Override
    public int killPoolSessions() {
        return queryInt("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = ?", user());
    }

    @Override
    public void stop() {
        run("pg_ctlcluster", "--skip-systemctl-redirect", version(), CLUSTER, "stop", "-m", "fast");
        resetAdmin();
    }

    @Override
    public void start() {
        if (!succeeds("pg_ctlcluster", "--skip-systemctl-redirect", version(), CLUSTER, "status")) {
            run("pg_ctlcluster", "--skip-systemctl-redirect", version(), CLUSTER, "start");
        }
        awaitUp();
    }

    private static String version() {
        String[] versions = new java.io.File("/etc/postgresql").list();
        if (versions == null || versions.length == 0) {
            throw new IllegalStateException("no PostgreSQL cluster under /etc/postgresql");
        }
        java.util.Arrays.sort(versions);
        return versions[versions.length - 1];
    }

    @Override
    protected Connection openAdmin() throws SQLException {
        return DriverManager.getConnection(url(), "postgres", "");
    }
}
