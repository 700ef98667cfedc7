package org.jdbcpoolra.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import org.h2.tools.Server;

/**
 * H2 as the default test database: a TCP server in the test JVM with an in-memory database that lives as long as
 * the JVM (DB_CLOSE_DELAY=-1), so "stopping" it means stopping the TCP server, which ends every remote session,
 * and the data survives for the restart. The pool reaches it over loopback as user POOL.
 */
public final class H2Database extends TestDatabase {
    private final int port;
    private Server server;

    H2Database(int port) {
        this.port = port;
        start();
        try (Connection local = DriverManager.getConnection("jdbc:h2:mem:it;DB_CLOSE_DELAY=-1", "SA", "admin")) {
            local.createStatement().execute("CREATE USER IF NOT EXISTS POOL PASSWORD '" + POOL_PASSWORD + "' ADMIN");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the H2 test user", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "h2-tcp-stop"));
    }

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public String url() {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:it;DB_CLOSE_DELAY=-1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String unreachableUrl() {
        return "jdbc:h2:tcp://127.0.0.1:1/mem:it";
    }

    @Override
    public String user() {
        return "POOL";
    }

    @Override
    public String driverClass() {
        return "org.h2.Driver";
    }

    @Override
    public String driverModule() {
        return null;
    }

    @Override
    public String xaDataSourceClass() {
        return "org.h2.jdbcx.JdbcDataSource";
    }

    @Override
    public int preparedBranches() {
        return queryInt("SELECT COUNT(*) FROM INFORMATION_SCHEMA.IN_DOUBT");
    }

    @Override
    public String sessionIdSql() {
        return "SELECT SESSION_ID()";
    }

    @Override
    public int defaultIsolation() {
        return Connection.TRANSACTION_READ_COMMITTED;
    }

    @Override
    public String sleepSql(int seconds) {
        // H2 has no sleep function; a scan of a trillion generated rows outlasts any test and honours cancellation.
        return "SELECT SUM(X % 7) FROM SYSTEM_RANGE(1, 1000000000000)";
    }

    @Override
    public String urlWithPassword(String password) {
        return url() + ";PASSWORD=" + password;
    }

    @Override
    public void changePassword(String password) {
        execute("ALTER USER POOL SET PASSWORD '" + password + "'");
    }

    @Override
    public boolean sessionAlive(String id) {
        return queryInt("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = CAST(? AS INT)", id) > 0;
    }

    @Override
    public int poolSessionsInTransaction() {
        return queryInt("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE USER_NAME = ? AND CONTAINS_UNCOMMITTED",
                user());
    }

    @Override
    public int poolSessions() {
        return queryInt("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE USER_NAME = ?", user());
    }

    @Override
    public int killPoolSessions() {
        List<List<String>> ids = query("SELECT SESSION_ID FROM INFORMATION_SCHEMA.SESSIONS WHERE USER_NAME = ?",
                user());
        for (List<String> id : ids) {
            queryInt("SELECT CASE WHEN ABORT_SESSION(" + Integer.parseInt(id.get(0)) + ") THEN 1 ELSE 0 END");
        }
        return ids.size();
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
            resetAdmin();
        }
    }

    @Override
    public synchronized void start() {
        if (server == null) {
            try {
                server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
            } catch (SQLException e) {
                throw new IllegalStateException("cannot start the H2 TCP server for the tests", e);
            }
        }
    }

    @Override
    protected Connection openAdmin() throws SQLException {
        return DriverManager.getConnection(url(), "SA", "admin");
    }
}
