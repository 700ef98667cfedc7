package org.jdbcpoolra.tx;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.LocalTransaction;

/**
 * The container's handle on a resource-local transaction (the SPI {@link LocalTransaction}): the server calls it
 * when it enlists the connection in a JTA transaction. While it is active, handles refuse {@code commit()},
 * {@code rollback()} and {@code setAutoCommit(true)}. No connection events are fired for it: the container drives it.
 */
public final class JdbcLocalTransaction implements LocalTransaction {
    private final TransactionControl control;

    public JdbcLocalTransaction(TransactionControl control) {
        this.control = control;
    }

    @Override
    public void begin() throws ResourceException {
        control.begin();
    }

    @Override
    public void commit() throws ResourceException {
        control.end(true);
    }

    @Override
    public void rollback() throws ResourceException {
        control.end(false);
    }
}
