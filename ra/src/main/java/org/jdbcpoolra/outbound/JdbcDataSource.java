package org.jdbcpoolra.outbound;

import java.io.PrintWriter;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.logging.Logger;

import javax.naming.Reference;
import javax.sql.DataSource;

import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;

/**
 * The connection factory applications look up: a {@link DataSource} whose connections come from the server's pool.
 * {@link #getConnection()} is the hot path: one call into the connection manager, nothing else.
 */
public class JdbcDataSource implements DataSource, Serializable, Referenceable {
    private static final long serialVersionUID = 1L;

    private final JdbcManagedConnectionFactory factory;
    private final ConnectionManager connectionManager;
    private Reference reference;

    public JdbcDataSource(JdbcManagedConnectionFactory factory, ConnectionManager connectionManager) {
        this.factory = factory;
        this.connectionManager = connectionManager;
    }

    @Override
    public Connection getConnection() throws SQLException {
        try {
            return (Connection) connectionManager.allocateConnection(factory, null);
        } catch (ResourceException e) {
            throw borrowFailed(e);
        }
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        try {
            return (Connection) connectionManager.allocateConnection(factory,
                    new JdbcConnectionRequestInfo(user, password));
        } catch (ResourceException e) {
            throw borrowFailed(e);
        }
    }

    /** Turns the server's refusal into one SQLException whose message says why (timeout, database down, ...). */
    private SQLException borrowFailed(ResourceException e) {
        StringBuilder why = new StringBuilder();
        SQLException database = null;
        Throwable t = e;
        for (int depth = 0; t != null && depth < 6; depth++, t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && why.indexOf(message) < 0) {
                why.append(why.length() == 0 ? "" : ": ").append(message);
            }
            if (database == null && t instanceof SQLException sql) {
                database = sql;
            }
        }
        String message = factory.config().poolName() + ": could not get a connection: " + why;
        SQLException failure = database != null
                ? new SQLException(message, database.getSQLState(), database.getErrorCode(), e)
                : new SQLTransientConnectionException(message, "08001", e);
        return failure;
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    /** The server owns logging; a log writer set by the application is ignored. */
    @Override
    public void setLogWriter(PrintWriter out) {
    }

    /** Login timeout is configured on the resource adapter (LoginTimeout); the application cannot change it. */
    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return factory.config().loginTimeoutSeconds();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return Logger.getLogger("org.jdbcpoolra");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("Not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
