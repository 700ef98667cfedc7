package org.jdbcpoolra.outbound;

/**
 * The resource adapter as its connection definitions see it: where each registers, so that stopping the adapter
 * closes every physical connection the server left open, and whose timer (the server's, from the bootstrap context)
 * runs their background work.
 */
public interface FactoryRegistry {
    void register(JdbcManagedConnectionFactory factory);

    /**
     * Runs the task every period until the adapter stops, from when the adapter starts if it has not yet (a server
     * may activate connection definitions first: WildFly does); false when the server gave the adapter no timer.
     */
    boolean repeat(Runnable task, long periodMillis);

    /** Runs the task once, as soon as the timer is free; nothing while the adapter has no timer. */
    void soon(Runnable task);
}
