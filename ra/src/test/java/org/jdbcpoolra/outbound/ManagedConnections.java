package org.jdbcpoolra.outbound;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Managed connections over a physical connection the test controls (a fake), through the package-private constructor.
 */
final class ManagedConnections {
    private ManagedConnections() {
    }

    static JdbcManagedConnection over(JdbcManagedConnectionFactory factory, Connection physical) throws SQLException {
        return new JdbcManagedConnection(factory, PoolRuntime.build(factory.config(),
                ManagedConnections.class.getClassLoader()), new Credentials(null, null),
                new Physical.Local(physical));
    }
}
