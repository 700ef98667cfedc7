package org.jdbcpoolra.tx;

/**
 * What a managed connection is doing, as one value: the only record of whether it is pooled, lent out, inside a
 * transaction (and whose), broken or gone. Autocommit follows from it: on while {@code IDLE} or {@code IN_USE}, off
 * inside a local or container transaction, the driver's business inside an XA branch. {@link #canMoveTo} lists the
 * allowed moves; {@link TransactionControl} is the one place that makes them.
 */
public enum ConnectionState {
    /** In the pool, clean, autocommit on. */
    IDLE,
    /**
     * In the pool, owned for a moment by one check or swap: the adapter's keepalive check, the server's validation or
     * matching, or the swap of a renewed physical connection. Whoever else wants the connection waits until the owner
     * gives it back, at most one validation long; a claim is never held across a login.
     */
    CLAIMED,
    /** Lent to a borrower since the last cleanup, autocommit on. */
    IN_USE,
    /** The application turned autocommit off and drives the transaction itself. */
    LOCAL_TRANSACTION,
    /** The container began its resource-local transaction; handles may not end it. */
    CONTAINER_TRANSACTION,
    /**
     * The container's transaction is being committed or rolled back, by one party: the borrower's thread, or the
     * transaction manager's reaper on a timeout. Whoever else ends it meanwhile finds it ended.
     */
    ENDING,
    /** An XA branch is associated; the transaction manager ends it, not the handles. */
    XA_BRANCH,
    /**
     * The transaction manager rolled the transaction back from a thread of its own (a transaction timeout) while the
     * borrower still works in it: autocommit stays off, so nothing the borrower still does can commit, handles
     * cannot commit, and giving the connection back rolls it all back.
     */
    ABORTED,
    /** A fatal error was reported to the server, which will destroy the connection: nothing but destruction follows. */
    BROKEN,
    /** Closed for good. */
    DESTROYED;

    /** Whether the physical connection has autocommit off because of a transaction the pool must end. */
    boolean inLocalOrContainerTransaction() {
        return this == LOCAL_TRANSACTION || this == CONTAINER_TRANSACTION || this == ENDING || this == ABORTED;
    }

    boolean canMoveTo(ConnectionState next) {
        if (next == DESTROYED) {
            return this != DESTROYED;
        }
        if (next == BROKEN) {
            return this != DESTROYED && this != BROKEN;
        }
        return switch (this) {
            // A container transaction or a branch may be enlisted before the first handle is handed out.
            case IDLE -> next == IN_USE || next == CONTAINER_TRANSACTION || next == XA_BRANCH || next == CLAIMED;
            case CLAIMED -> next == IDLE;
            case IN_USE -> next == IDLE || next == LOCAL_TRANSACTION || next == CONTAINER_TRANSACTION
                    || next == XA_BRANCH || next == ABORTED;
            // The container (or a branch) may take over a connection whose borrower turned autocommit off.
            case LOCAL_TRANSACTION -> next == IDLE || next == IN_USE || next == CONTAINER_TRANSACTION
                    || next == XA_BRANCH;
            // A container commit that failed leaves autocommit off: the next cleanup rolls back.
            case CONTAINER_TRANSACTION -> next == ENDING || next == IDLE || next == LOCAL_TRANSACTION;
            case ENDING -> next == IN_USE || next == LOCAL_TRANSACTION || next == ABORTED || next == IDLE;
            // A branch timed out under its borrower is aborted before the driver rolls it back.
            case XA_BRANCH -> next == IDLE || next == IN_USE || next == ABORTED;
            case ABORTED -> next == IDLE || next == CONTAINER_TRANSACTION || next == XA_BRANCH;
            case BROKEN, DESTROYED -> false;
        };
    }
}
