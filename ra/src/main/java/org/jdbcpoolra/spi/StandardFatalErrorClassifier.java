package org.jdbcpoolra.spi;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.util.Set;

/**
 * Knows the connection-loss signals of H2, PostgreSQL and MariaDB: SQLState class 08 and the JDBC exception types
 * that mean "this connection is gone", plus vendor codes for an administrator shutdown or a killed session.
 * Walks causes and chained exceptions because drivers often wrap the I/O failure.
 */
public final class StandardFatalErrorClassifier implements FatalErrorClassifier {

    /** PostgreSQL admin/crash shutdown and "cannot connect now"; H2 connection broken / database closed. */
    private static final Set<String> FATAL_STATES = Set.of("57P01", "57P02", "57P03", "90067", "90098", "90121");

    /** MariaDB/MySQL: connection killed, server gone away, lost connection, inactivity disconnect. */
    private static final Set<Integer> FATAL_MARIADB_CODES = Set.of(1927, 2006, 2013, 4031);

    private static final int MAX_DEPTH = 8;

    @Override
    public boolean isFatal(SQLException e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++) {
            if (t instanceof SQLException s && isFatalOne(s)) {
                return true;
            }
            Throwable next = t instanceof SQLException s ? s.getNextException() : null;
            t = next != null ? next : t.getCause();
        }
        return false;
    }

    private static boolean isFatalOne(SQLException e) {
        if (e instanceof SQLNonTransientConnectionException || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || FATAL_STATES.contains(state))) {
            return true;
        }
        return FATAL_MARIADB_CODES.contains(e.getErrorCode())
                && (state == null || state.startsWith("HY") || state.startsWith("70") || state.startsWith("08"));
    }
}
