package org.jdbcpoolra.handle;

import java.sql.SQLException;

/**
 * Thrown by a handle used after it was closed (by the application, or by the server returning its connection to the
 * pool). A type of its own so that fatal-error classification never mistakes it for a broken physical connection.
 */
public final class ClosedHandleException extends SQLException {
    private static final long serialVersionUID = 1L;

    ClosedHandleException(String what) {
        super(what + " is closed", "08003");
    }
}
