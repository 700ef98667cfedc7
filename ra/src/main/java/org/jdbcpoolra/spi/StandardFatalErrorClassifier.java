package org.jdbcpoolra.spi;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.util.Set;

/**
 * Knows the connection-loss signals of H2, PostgreSQL and MariaDB: SQLState class 08 and the JDBC exception types
 * that mean "this connection is gone", plus vendor codes for an administrator shutdown or a killed session.
 * Walks causes and chained exceptions because drivers often wrap the I/O failure. A deployer adds states and codes
 * of their own (FatalSqlStates, FatalErrorCodes) without writing a class.
 */
public final class StandardFatalErrorClassifier implements FatalErrorClassifier {

    /** PostgreSQL admin/crash shutdown and "cannot connect now"; H2 connection broken / database closed. */
    private static final Set<String> FATAL_STATES = Set.of("57P01", "57P02", "57P03", "90067", "90098", "90121");

    /** MariaDB/MySQL: connection killed, server gone away, lost connection, inactivity disconnect. */
    private static final Set<Integer> FATAL_MARIADB_CODES = Set.of(1927, 2006, 2013, 4031);

    private static final int MAX_DEPTH = 8;

    private final boolean builtIn;
    private final Set<String> extraStates;
    private final Set<Integer> extraCodes;

    /** The built-in rules. */
    public StandardFatalErrorClassifier() {
        this(true, Set.of(), Set.of());
    }

    private StandardFatalErrorClassifier(boolean builtIn, Set<String> extraStates, Set<Integer> extraCodes) {
        this.builtIn = builtIn;
        this.extraStates = Set.copyOf(extraStates);
        this.extraCodes = Set.copyOf(extraCodes);
    }

    /** The built-in rules plus these SQLStates (5 characters) or classes (2) and vendor error codes. */
    public static StandardFatalErrorClassifier withExtra(Set<String> states, Set<Integer> codes) {
        return new StandardFatalErrorClassifier(true, states, codes);
    }

    /**
     * Fatal if {@code own} says so, or the exception carries one of these states or codes: a deployer's classifier
     * with the states and codes of the configuration added.
     */
    public static FatalErrorClassifier either(FatalErrorClassifier own, Set<String> states, Set<Integer> codes) {
        if (states.isEmpty() && codes.isEmpty()) {
            return own;
        }
        StandardFatalErrorClassifier extra = new StandardFatalErrorClassifier(false, states, codes);
        return e -> own.isFatal(e) || extra.isFatal(e);
    }

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

    private boolean isFatalOne(SQLException e) {
        return builtIn && isBuiltInFatal(e) || isExtraFatal(e);
    }

    private boolean isExtraFatal(SQLException e) {
        String state = e.getSQLState();
        if (state != null && !extraStates.isEmpty() && (extraStates.contains(state)
                || state.length() >= 2 && extraStates.contains(state.substring(0, 2)))) {
            return true;
        }
        return e.getErrorCode() != 0 && extraCodes.contains(e.getErrorCode());
    }

    private static boolean isBuiltInFatal(SQLException e) {
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
