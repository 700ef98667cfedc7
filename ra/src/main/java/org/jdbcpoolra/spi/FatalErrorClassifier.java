package org.jdbcpoolra.spi;

import java.sql.SQLException;

/**
 * Decides whether an exception means the physical connection is unusable. A fatal error makes the adapter fire
 * {@code CONNECTION_ERROR_OCCURRED} so the server destroys the connection instead of handing it out again.
 * Implementations must be cheap and side-effect free: this runs on every failing JDBC call.
 */
@FunctionalInterface
public interface FatalErrorClassifier {
    boolean isFatal(SQLException e);
}
