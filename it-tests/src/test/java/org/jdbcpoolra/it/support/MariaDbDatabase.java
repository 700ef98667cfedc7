package org.jdbcpoolra.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's MariaDB: database and user pool_it (with its password); the observer connects as root and reads
 * the process list. Stopped with mariadb-admin shutdown and started as the machine starts it; or, when
 * it.mariadb.instance names an instance prepare.sh made beside it (.ci/run gives each lane its own), on
 * it.mariadb.port with that instance's option file.
 */
public final class MariaDbDatabase extends TestDatabase {
    private static final int PORT = Integer.getInteger("it.mariadb.port", 3306);
    private static final String INSTANCE = System.getProperty("it.mariadb.instance", "");
    private static final String HOST = "127.0.0.1:" + PORT;

    MariaDbDatabase() {
        connectOrExplain("MariaDB at " + HOST, this::admin);
    }

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public String url() {
        return "jdbc:mariadb://" + HOST + "/pool_it";
    }

    @Override
    public int port() {
        return PORT;
    }

    @Override
    public String unreachableUrl() {
        return "jdbc:mariadb://127.0.0.1:1/pool_it";
    }

    @Override
    public String user() {
        return "pool_it";
    }

    @Override
    public String driverClass() {
        return "org.mariadb.jdbc.Driver";
    }

    @Override
    public String driverModule() {
        return "org.mariadb.jdbc";
    }

    @Override
    public String xaDataSourceClass() {
        return "org.mariadb.jdbc.MariaDbDataSource";
    }

    @Override
    public int preparedBranches() {
        return query("XA RECOVER").size();
    }

    @Override
    public String sessionIdSql() {
        return "SELECT CONNECTION_ID()";
    }

    @Override
    public int defaultIsolation() {
        return Connection.TRANSACTION_REPEATABLE_READ;
    }

    @Override
    public String sleepSql(int seconds) {
        return "SELECT SLEEP(" + seconds + ")";
    }

    /** MariaDB has no array type; its Blob is read whole into the driver, but is ours to seal all the same. */
    @Override
    public List<List<String>> driverObjects() {
        // MariaDB Connector/J has no SQLXML.
        return List.of(List.of("blob", "", "SELECT X'0102'"), List.of("clob", "", "SELECT 'ab'"),
                List.of("nclob", "", "SELECT 'ab'"));
    }


    /** The driver sets max_statement_time for the statement; the server stops it with error 1969. */
    @Override
    public String cancelSqlState() {
        return "70100";
    }

    @Override
    public String sessionBornSql() {
        return "SET @pool_born = NOW(6)";
    }

    @Override
    public String sessionAgeQuery() {
        return "SELECT TIMESTAMPDIFF(MICROSECOND, @pool_born, NOW(6)) DIV 1000";
    }

    @Override
    public void changePassword(String password) {
        for (String host : List.of("localhost", "127.0.0.1")) {
            execute("ALTER USER 'pool_it'@'" + host + "' IDENTIFIED BY '" + password + "'");
        }
    }

    @Override
    public boolean sessionAlive(String id) {
        return queryInt("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?", id) > 0;
    }

    @Override
    public int poolSessionsInTransaction() {
        return queryInt("SELECT COUNT(*) FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p "
                + "ON p.ID = t.trx_mysql_thread_id WHERE p.USER = ?", user());
    }

    @Override
    public int poolSessions() {
        return queryInt("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = ?", user());
    }

    @Override
    public int killPoolSessions() {
        List<List<String>> ids = query("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ?", user());
        for (List<String> id : ids) {
            try {
                execute("KILL " + Long.parseLong(id.get(0)));
            } catch (IllegalStateException alreadyGone) {
                // the session ended by itself between the two statements
            }
        }
        return ids.size();
    }

    @Override
    public void stop() {
        run("mariadb-admin", "--protocol=tcp", "-h", "127.0.0.1", "-P", String.valueOf(PORT), "-uroot", "shutdown");
        resetAdmin();
    }

    @Override
    public void start() {
        // By pid file: another lane's instance runs the same executable.
        List<String> command = new ArrayList<>(List.of("start-stop-daemon", "--start", "--oknodo",
                "--background", "--pidfile", INSTANCE.isEmpty() ? "/run/mysqld/mysqld.pid"
                        : "/run/mysqld/mariadb-" + INSTANCE + ".pid", "--exec", "/usr/sbin/mariadbd"));
        if (!INSTANCE.isEmpty()) {
            command.addAll(List.of("--", "--defaults-file=/etc/mysql/mariadb-" + INSTANCE + ".cnf"));
        }
        run(command.toArray(String[]::new));
        awaitUp();
    }

    @Override
    protected Connection openAdmin() throws SQLException {
        return DriverManager.getConnection(url(), "root", "");
    }
}
