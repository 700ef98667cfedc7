package org.jdbcpoolra.spi;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Tells whether an idle physical connection still works. Called by the server (validate-on-match or background
 * validation) on connections that no borrower holds, so it must not leave a transaction open behind it.
 */
@FunctionalInterface
public interface ConnectionValidator {
    boolean isValid(Connection connection, int timeoutSeconds) throws SQLException;

    /** {@code Connection.isValid}: the driver's own cheapest check (a protocol ping in PostgreSQL and MariaDB). */
    static ConnectionValidator ping() {
        return Connection::isValid;
    }

    /** Runs a query; its outcome does not matter, only that the round trip succeeds within the timeout. */
    static ConnectionValidator query(String sql) {
        return (connection, timeoutSeconds) -> {
            try (var statement = connection.createStatement()) {
                statement.setQueryTimeout(timeoutSeconds);
                statement.execute(sql);
            }
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            return true;
        };
    }
}
