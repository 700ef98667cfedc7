package org.jdbcpoolra.outbound;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;

import jakarta.resource.spi.ManagedConnectionMetaData;

/** The database behind a managed connection, as reported by its driver. */
public final class JdbcManagedConnectionMetaData implements ManagedConnectionMetaData {
    private final String productName;
    private final String productVersion;
    private final int maxConnections;
    private final String userName;

    JdbcManagedConnectionMetaData(DatabaseMetaData metaData, String userName) throws SQLException {
        this.productName = metaData.getDatabaseProductName();
        this.productVersion = metaData.getDatabaseProductVersion();
        this.maxConnections = metaData.getMaxConnections();
        this.userName = userName != null ? userName : metaData.getUserName();
    }

    @Override
    public String getEISProductName() {
        return productName;
    }

    @Override
    public String getEISProductVersion() {
        return productVersion;
    }

    @Override
    public int getMaxConnections() {
        return maxConnections;
    }

    @Override
    public String getUserName() {
        return userName;
    }
}
