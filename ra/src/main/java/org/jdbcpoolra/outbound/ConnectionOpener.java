package org.jdbcpoolra.outbound;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ResourceAllocationException;

import org.jdbcpoolra.config.ConfigException;
import org.jdbcpoolra.config.PoolConfig;
import org.jdbcpoolra.config.PoolProperty;
import org.jdbcpoolra.stats.PoolCounters;

/**
 * The opening path of a physical connection, for a new managed connection and for the renewal of a retired one
 * alike: the pool's current sign-on (a rotated password), the back-off after the database refused it, the window
 * after a login went unanswered, the login itself (bounded by LoginTimeout), and the preparation every borrower
 * expects (autocommit, isolation, network timeout, InitSql). The hazard it guards against: a connection opened and
 * then leaked because something after the login threw; whatever fails after the login, the connection is closed
 * before the failure leaves.
 */
final class ConnectionOpener {
    private static final Logger LOG = Logger.getLogger("org.jdbcpoolra");
    private static final Pattern FIRST_WORD = Pattern.compile("^\\s*([A-Za-z_]+)");
    /** A literal in a database's message may be the literal of an InitSql statement, which may be a key. */
    private static final Pattern QUOTED = Pattern.compile("'[^']*'");

    /** A physical connection just opened and prepared, with who it is logged in as and when it was opened. */
    record Opened(Credentials credentials, Physical physical, long openedNanos) {
        Connection connection() {
            return physical.connection();
        }
    }

    private final PoolConfig config;
    private final ConnectionSource source;
    private final SignOn signOn;
    private final UnansweredLogins unansweredLogins;
    private final PoolCounters counters;
    private final AtomicBoolean announced = new AtomicBoolean();

    ConnectionOpener(PoolConfig config, ConnectionSource source, SignOn signOn, UnansweredLogins unansweredLogins,
            PoolCounters counters) {
        this.config = config;
        this.source = source;
        this.signOn = signOn;
        this.unansweredLogins = unansweredLogins;
        this.counters = counters;
    }

    /**
     * A new physical connection, prepared. {@code wanted}: the pool's own sign-on (read again now, so a rotated
     * password is used) or credentials an application or the container supplied.
     */
    Opened open(Credentials wanted) throws ResourceException {
        Credentials credentials = wanted.configured() ? signOn() : wanted;
        long start = System.nanoTime();
        Physical physical = login(credentials, start);
        try {
            prepare(physical.connection());
            announce(physical.connection());
        } catch (SQLException e) {
            counters.openFailed();
            closeQuietly(physical);
            throw failure(credentials, e);
        } catch (RuntimeException e) {
            counters.openFailed();
            closeQuietly(physical);
            throw failure(credentials, new SQLException(e.toString(), "08001"));
        } catch (Error e) {
            closeQuietly(physical);
            throw e;
        }
        counters.opened(System.nanoTime() - start);
        return new Opened(credentials, physical, System.nanoTime());
    }

    /** The pool's own credentials fail at once during the back-off after a refusal. */
    private Physical login(Credentials credentials, long start) throws ResourceException {
        if (credentials.configured()) {
            SignOn.Refusal refusal = signOn.refusalOf(credentials);
            if (refusal != null) {
                throw OpenFailures.refusedRecently(signOn, refusal);
            }
        }
        String unanswered = unansweredLogins.refusal();
        if (unanswered != null) {
            throw failure(credentials, new SQLException(unanswered, "08001"));
        }
        Physical physical;
        try {
            physical = source.open(credentials);
        } catch (SQLException e) {
            counters.openFailed();
            unansweredLogins.failed(start);
            ResourceAllocationException failure = failure(credentials, e);
            if (credentials.configured() && e.getSQLState() != null && e.getSQLState().startsWith("28")) {
                signOn.refused(credentials, failure.getMessage(), e.getSQLState());
            }
            throw failure;
        } catch (RuntimeException e) {
            counters.openFailed();
            throw failure(credentials, new SQLException(e.toString(), "08001"));
        }
        unansweredLogins.answered();
        if (credentials.configured()) {
            signOn.accepted();
        }
        return physical;
    }

    private ResourceAllocationException failure(Credentials credentials, SQLException e) {
        return OpenFailures.openFailed(config.poolName(), source.describe(), credentials, e);
    }

    private Credentials signOn() throws ResourceException {
        try {
            return signOn.current();
        } catch (ConfigException e) {
            ResourceAllocationException failure = new ResourceAllocationException(config.poolName()
                    + ": cannot read the credentials: " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }

    /** A new physical connection as every borrower expects it: autocommit on, the configured isolation, InitSql. */
    private void prepare(Connection physical) throws SQLException {
        if (!physical.getAutoCommit()) {
            physical.setAutoCommit(true);
        }
        if (config.transactionIsolation() >= 0) {
            physical.setTransactionIsolation(config.transactionIsolation());
        }
        if (config.networkTimeoutSeconds() > 0) {
            setNetworkTimeout(physical, Math.toIntExact(config.networkTimeoutSeconds() * 1000L));
        }
        runInitSql(physical);
    }

    /**
     * Without it a borrower waiting for a reply from a database that went silent (a dropped route, a hung host)
     * waits until the operating system gives the socket up, which for a read is never. The driver then fails the
     * call with a connection error, which is fatal, so the server destroys the connection.
     */
    private static void setNetworkTimeout(Connection physical, int millis) throws SQLException {
        try {
            physical.setNetworkTimeout(Runnable::run, millis);
        } catch (SQLFeatureNotSupportedException | AbstractMethodError | UnsupportedOperationException e) {
            // JDBC 4.1 optional: such a driver is bounded only by its own socket timeout property.
        }
    }

    /**
     * Before any borrower: what InitSql sets is then the connection's own state, which cleanup never touches. A
     * failure names the statement by its number and first word only, and masks the literals the database's reason
     * quotes: InitSql may hold a key.
     */
    private void runInitSql(Connection physical) throws SQLException {
        List<String> statements = config.initSql();
        if (statements.isEmpty()) {
            return;
        }
        try (var statement = physical.createStatement()) {
            for (int i = 0; i < statements.size(); i++) {
                String sql = statements.get(i);
                try {
                    statement.execute(sql);
                } catch (SQLException e) {
                    var word = FIRST_WORD.matcher(sql);
                    String reason = e.getMessage() == null ? "" : QUOTED.matcher(e.getMessage().replace(sql, "..."))
                            .replaceAll("'***'");
                    SQLException failed = new SQLException(PoolProperty.INIT_SQL + " failed at statement " + (i + 1)
                            + " of " + statements.size() + " (" + (word.find() ? word.group(1) + " " : "") + "...): "
                            + reason, e.getSQLState(), e.getErrorCode());
                    throw failed;
                }
            }
        }
    }

    /** The first connection says what it reached, and proves the configured isolation is one the driver has. */
    private void announce(Connection physical) throws SQLException {
        if (announced.get()) {
            return;
        }
        DatabaseMetaData md = physical.getMetaData();
        int isolation = config.transactionIsolation();
        if (isolation >= 0 && !md.supportsTransactionIsolationLevel(isolation)) {
            throw new SQLException(PoolProperty.TRANSACTION_ISOLATION + ": " + md.getDatabaseProductName()
                    + " does not support the configured level (" + isolation + ")", "0A000");
        }
        if (announced.compareAndSet(false, true)) {
            LOG.info(config.poolName() + ": first connection to " + md.getDatabaseProductName() + " "
                    + md.getDatabaseProductVersion() + " with driver " + md.getDriverName() + " "
                    + md.getDriverVersion());
        }
    }

    static void closeQuietly(Physical physical) {
        try {
            physical.close();
        } catch (SQLException | RuntimeException ignored) {
            // Already failing, or no longer needed: the original problem is what matters.
        }
    }
}
