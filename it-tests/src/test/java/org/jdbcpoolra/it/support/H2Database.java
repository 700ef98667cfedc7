package org.jdbcpoolra.it.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.h2.tools.Server;

/**
 * The database the pool under test talks to, and the test's independent view of it: an H2 TCP server in the test
 * JVM, with an in-memory database the pool reaches over loopback as user POOL. The test counts POOL's sessions in
 * INFORMATION_SCHEMA.SESSIONS through its own admin connection, so what it sees is the database's truth, not the
 * server's bookkeeping.
 */
public final class H2Database {
    public static final String POOL_USER = "POOL";
    /** Distinctive so a test can grep the server log for it: it must never appear there. */
    public static final String POOL_PASSWORD = "pool-Secret-4711";

    private static H2Database instance;

    private final int port;
    private final Server server;
    private final Connection admin;

    private H2Database(int port) throws SQLException {
        this.port = port;
        this.server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        this.admin = DriverManager.getConnection(url() , "SA", "admin");
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE USER IF NOT EXISTS " + POOL_USER + " PASSWORD '" + POOL_PASSWORD + "' ADMIN");
            s.execute("CREATE TABLE IF NOT EXISTS probe_rows (tag VARCHAR(100) NOT NULL)");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "h2-tcp-stop"));
    }

    /** Starts the server on first use (before the pool is configured) and keeps it for the whole test run. */
    public static synchronized H2Database get() {
        if (instance == null) {
            try {
                instance = new H2Database(Integer.getInteger("it.h2.port", 19092));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot start the H2 TCP server for the tests", e);
            }
        }
        return instance;
    }

    /** The URL the pool uses; the in-memory database lives as long as the TCP server. */
    public String url() {
        return "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:it;DB_CLOSE_DELAY=-1";
    }

    /** Sessions the pool holds open in the database right now. */
    public synchronized int poolSessions() {
        return queryInt("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE USER_NAME = ?", POOL_USER);
    }

    /** Notes the example EJB wrote: proof that it wrote through this pool into this database. */
    public synchronized int notesWithBody(String body) {
        return queryInt("SELECT COUNT(*) FROM notes WHERE body = ?", body);
    }

    public synchronized int rowsTagged(String tag) {
        return queryInt("SELECT COUNT(*) FROM probe_rows WHERE tag = ?", tag);
    }

    private int queryInt(String sql, String parameter) {
        try (PreparedStatement ps = admin.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("observer query failed: " + sql, e);
        }
    }
}
