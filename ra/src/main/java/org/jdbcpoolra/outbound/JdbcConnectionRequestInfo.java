package org.jdbcpoolra.outbound;

import jakarta.resource.spi.ConnectionRequestInfo;

/** {@code DataSource.getConnection(user, password)}: the application asked for specific credentials. */
public final class JdbcConnectionRequestInfo implements ConnectionRequestInfo {
    private final Credentials credentials;

    public JdbcConnectionRequestInfo(String user, String password) {
        this.credentials = new Credentials(user, password);
    }

    Credentials credentials() {
        return credentials;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JdbcConnectionRequestInfo other && credentials.equals(other.credentials);
    }

    @Override
    public int hashCode() {
        return credentials.hashCode();
    }

    @Override
    public String toString() {
        return "JdbcConnectionRequestInfo[user=" + credentials.user() + "]";
    }
}
