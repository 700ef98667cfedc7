package org.jdbcpoolra.handle;

import java.sql.SQLException;
import java.util.concurrent.Executor;

/**
 * What a connection handle may ask of the managed connection that handed it out, and nothing more: handles never
 * see the managed connection itself, so they cannot reach its physical connection or its lifecycle. Implementations
 * are on the hot path of every handle method and must stay cheap.
 */
public interface ConnectionOwner {

    /**
     * The one exception check behind every handle method: a fatal error is reported to the server before the
     * application sees it. Returns the exception to throw.
     */
    SQLException fail(SQLException e);

    /** The application closed the handle; {@code statementsLeftOpen} were closed for it. */
    void handleClosed(ConnectionHandle handle, int statementsLeftOpen);

    /** The application aborted the connection: it is broken for good. */
    void handleAborted(ConnectionHandle handle, Executor executor) throws SQLException;

    /** The borrower is about to change one of the {@link BorrowerChanges} attributes. */
    void changing(int attribute) throws SQLException;

    void setAutoCommit(boolean enable) throws SQLException;

    void commit() throws SQLException;

    void rollback() throws SQLException;

    /** The default every new statement gets; 0 means none. */
    int queryTimeoutSeconds();

    /** Prepared statements kept open on this physical connection between borrowers. */
    StatementCache statementCache();
}
