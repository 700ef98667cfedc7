package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jdbcpoolra.support.Script;
import org.jdbcpoolra.support.ScriptedDriver;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A driver's message may quote the password (or a URL holding one): whatever path it takes to the server's log, the
 * server's validation, the keepalive check or a failed background task, the password never gets there.
 */
@DisplayName("No password in any log line")
class SecretsInLogsTest {
    private static final String PASSWORD = "l0g-Secret-99";
    private static final Logger LOG = Logger.getLogger("org.jdbcpoolra");

    private TestDatabase db;
    private Script script;
    private JdbcManagedConnectionFactory factory;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                line.append(" | ").append(t);
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level level;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.withUser("APP", PASSWORD);
        script = ScriptedDriver.script(db.url());
        factory = new JdbcManagedConnectionFactory();
        factory.setDriverClass(ScriptedDriver.class.getName());
        factory.setUrl(script.url());
        factory.setUser("APP");
        factory.setPassword(PASSWORD);
        factory.setValidationBypassMillis("0");
        factory.setLoginTimeout("0");
        level = LOG.getLevel();
        LOG.setLevel(Level.ALL);
        LOG.addHandler(capture);
    }

    @AfterEach
    void close() throws Exception {
        LOG.removeHandler(capture);
        LOG.setLevel(level);
        db.close();
    }

    private void driverQuotesThePassword(String method) {
        script.on(method, (target, physical, name, args) -> {
            throw new SQLException("I/O error on jdbc:scripted://APP:" + PASSWORD + "@db for password " + PASSWORD,
                    "08006");
        });
    }

    private void assertNoPasswordLogged() {
        assertTrue(!lines.isEmpty(), "nothing was logged: the test saw no path");
        for (String line : lines) {
            assertFalse(line.contains(PASSWORD), line);
        }
    }

    @Test
    @DisplayName("the server's validation of a dead connection")
    void serverValidation() throws Exception {
        JdbcManagedConnection mc = (JdbcManagedConnection) factory.createManagedConnection(null, null);
        driverQuotesThePassword("isValid");

        factory.getInvalidConnections(Set.of(mc));

        assertNoPasswordLogged();
    }

    @Test
    @DisplayName("the keepalive check of a dead connection")
    void keepaliveCheck() throws Exception {
        JdbcManagedConnection mc = (JdbcManagedConnection) factory.createManagedConnection(null, null);
        driverQuotesThePassword("isValid");

        mc.keepAlive(0);

        assertNoPasswordLogged();
    }

    @Test
    @DisplayName("a connection broken under its borrower")
    void brokenUnderBorrower() throws Exception {
        JdbcManagedConnection mc = (JdbcManagedConnection) factory.createManagedConnection(null, null);
        Connection handle = (Connection) mc.getConnection(null, null);
        driverQuotesThePassword("execute");

        try {
            handle.createStatement().execute("SELECT 1");
        } catch (SQLException expected) {
            // the borrower's own exception is the driver's; the log line is ours
        }

        assertNoPasswordLogged();
    }

    /** A driver that refuses a URL quoting it, password and all, as some do. */
    public static final class QuotingDriver implements java.sql.Driver {
        @Override
        public Connection connect(String url, java.util.Properties info) {
            return null;
        }

        @Override
        public boolean acceptsURL(String url) throws SQLException {
            throw new SQLException("malformed URL " + url);
        }

        @Override
        public java.sql.DriverPropertyInfo[] getPropertyInfo(String url, java.util.Properties info) {
            return new java.sql.DriverPropertyInfo[0];
        }

        @Override
        public int getMajorVersion() {
            return 1;
        }

        @Override
        public int getMinorVersion() {
            return 0;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public Logger getParentLogger() {
            return LOG;
        }
    }

    @Test
    @DisplayName("a driver's refusal of the URL, which quotes it, in the deployment error")
    void driverRefusingTheUrl() {
        JdbcManagedConnectionFactory quoting = new JdbcManagedConnectionFactory();
        quoting.setDriverClass(QuotingDriver.class.getName());
        quoting.setUrl("jdbc:quoting://db/shop?user=app&password=" + PASSWORD);

        jakarta.resource.ResourceException e = org.junit.jupiter.api.Assertions.assertThrows(
                jakarta.resource.ResourceException.class, () -> quoting.createManagedConnection(null, null));

        assertTrue(e.getMessage().contains("was rejected by"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }
}
