package org.jdbcpoolra.outbound;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Managed connections over a physical connection the test controls (a fake), through the package-private constructor.
 */
final class ManagedConnections {
    private ManagedConnections() {
    }

    /** The physical connection gets the pool's NetworkTimeout first, as every new connection does when opened. */
    static JdbcManagedConnection over(JdbcManagedConnectionFactory factory, Connection physical) throws SQLException {
        physical.setNetworkTimeout(Runnable::run, factory.config().networkTimeoutSeconds() * 1000);
        return new JdbcManagedConnection(factory, PoolRuntime.build(factory.config(),
                ManagedConnections.class.getClassLoader()), new ConnectionOpener.Opened(new Credentials(null, null),
                new Physical.Local(physical), System.nanoTime()), 0);
    }
}
