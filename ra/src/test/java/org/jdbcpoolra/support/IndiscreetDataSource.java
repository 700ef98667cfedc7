package org.jdbcpoolra.support;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A data source whose login always fails with messages that quote the password, at every level of the cause chain,
 * as careless drivers do. Configured through {@code DataSourceClass}, so it needs a public no-argument constructor.
 */
public final class IndiscreetDataSource implements DataSource {

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        IOException io = new IOException("handshake for " + user + " failed, password sent: " + password);
        SQLException protocol = new SQLException("protocol error after password '" + password + "'", "08001", io);
        throw new SQLException("password authentication failed for user " + user + " with password "
                + password, "28P01", 0, protocol);
    }

    @Override
    public Connection getConnection() throws SQLException {
        throw new SQLException("no credentials", "28000");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
