package org.jdbcpoolra.outbound;

import java.sql.SQLException;

import jakarta.resource.spi.ResourceAllocationException;

import org.jdbcpoolra.config.PoolProperty;
import org.jdbcpoolra.config.Redaction;

/**
 * What a deployer sees when a physical connection cannot be opened: the pool, the source, the user and the driver's
 * reason, with the password and the secrets of any URL the driver quotes taken out, down the whole cause chain.
 */
final class OpenFailures {
    private OpenFailures() {
    }

    /** Fails at once with the refusal the database gave these same credentials moments ago (HikariCP#2298). */
    static ResourceAllocationException refusedRecently(SignOn signOn, SignOn.Refusal refusal) {
        long agoMillis = (System.nanoTime() - refusal.atNanos()) / 1_000_000;
        return new ResourceAllocationException(refusal.reason() + " [refused " + agoMillis + " ms ago; "
                + PoolProperty.AUTH_FAILURE_BACKOFF + ": no new attempt with the same credentials for "
                + signOn.backoffMillis() + " ms]", refusal.sqlState());
    }

    static ResourceAllocationException openFailed(String poolName, String source, Credentials credentials,
            SQLException e) {
        String message = poolName + ": cannot open a connection to " + source
                + (credentials.user() != null ? " as user '" + credentials.user() + "'" : "") + ": "
                + Redaction.message(e.getMessage(), credentials.password());
        ResourceAllocationException failure = new ResourceAllocationException(message, e.getSQLState());
        failure.initCause(sanitized(e, credentials.password(), 0));
        return failure;
    }

    /**
     * A copy of the driver's exception chain with the password removed from every message, and any URL a message
     * quotes masked.
     */
    private static SQLException sanitized(SQLException e, String password, int depth) {
        SQLException copy = new SQLException(Redaction.message(e.getMessage(), password), e.getSQLState(),
                e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        Throwable cause = e.getCause();
        if (cause instanceof SQLException sql && depth < 4) {
            copy.initCause(sanitized(sql, password, depth + 1));
        } else if (cause != null && depth < 4) {
            Exception plain = new Exception(cause.getClass().getName() + ": "
                    + Redaction.message(cause.getMessage(), password));
            plain.setStackTrace(cause.getStackTrace());
            copy.initCause(plain);
        }
        return copy;
    }
}
