package org.jdbcpoolra.tx;

/**
 * What the transaction logic tells the managed connection, which turns it into connection events for the server.
 */
public interface TransactionEvents {

    /** The application turned autocommit off: {@code LOCAL_TRANSACTION_STARTED}. */
    void localTransactionStarted();

    /** The application committed, or turned autocommit back on: {@code LOCAL_TRANSACTION_COMMITTED}. */
    void localTransactionCommitted();

    /** The application rolled back: {@code LOCAL_TRANSACTION_ROLLEDBACK}. */
    void localTransactionRolledBack();

    /** The connection just became unusable: {@code CONNECTION_ERROR_OCCURRED}, once, before the caller sees it. */
    void broken(Exception cause);

    /** Whether a borrower holds a handle right now (read from the transaction manager's thread). */
    boolean borrowed();

    /** The transaction manager rolled back under a borrower who still holds the connection (a timeout). */
    void abortedUnderBorrower();

    /**
     * The borrower's handles must stop reaching the physical connection now (an XA branch timed out under them); they
     * fail from then on, saying the server took the connection back.
     */
    void takeHandlesBack();

    /**
     * Closes the physical connection now, whatever is in flight on it: the database then discards its open
     * transaction. For an XA branch rolled back under its borrower (see TransactionControl.xaRollingBack).
     */
    void closePhysical();
}
