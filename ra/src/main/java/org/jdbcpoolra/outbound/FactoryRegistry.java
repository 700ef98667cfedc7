package org.jdbcpoolra.outbound;

/**
 * The resource adapter as its connection definitions see it: where each registers, so that stopping the adapter
 * closes every physical connection the server left open.
 */
public interface FactoryRegistry {
    void register(JdbcManagedConnectionFactory factory);
}
