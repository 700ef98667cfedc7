package org.jdbcpoolra.spi;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * Tells whether an idle physical connection still works. Called on connections that no borrower holds, by one
 * party at a time (the server's validation or the adapter's keepalive, each under a claim of the connection), so a
 * setting it changes for itself is restored before anyone else can use the connection; it must not leave a
 * transaction open behind it.
 */
@FunctionalInterface
public interface ConnectionValidator {
    boolean isValid(Connection connection, int timeoutSeconds) throws SQLException;

    /** {@code Connection.isValid}: the driver's own cheapest check (a protocol ping in PostgreSQL and MariaDB). */
    static ConnectionValidator ping() {
        return Connection::isValid;
    }

    /**
     * Runs a query; its outcome does not matter, only that the round trip succeeds within the timeout. A query
     * timeout needs a database that answers the cancel, so the driver's network timeout (a second longer) stands
     * behind it for one that went silent; drivers without one rely on the query timeout alone.
     */
    static ConnectionValidator query(String sql) {
        return (connection, timeoutSeconds) -> {
            int previous = timeoutSeconds > 0
                    ? networkTimeout(connection, Math.toIntExact((timeoutSeconds + 1L) * 1000)) : -1;
            try {
                try (var statement = connection.createStatement()) {
                    statement.setQueryTimeout(timeoutSeconds);
                    statement.execute(sql);
                }
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
                return true;
            } finally {
                if (previous >= 0) {
                    connection.setNetworkTimeout(Runnable::run, previous);
                }
            }
        };
    }

    /** Sets the driver's network timeout; returns the one it had, or -1 when the driver has none. */
    private static int networkTimeout(Connection connection, int millis) throws SQLException {
        try {
            int previous = connection.getNetworkTimeout();
            connection.setNetworkTimeout(Runnable::run, millis);
            return previous;
        } catch (SQLFeatureNotSupportedException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
