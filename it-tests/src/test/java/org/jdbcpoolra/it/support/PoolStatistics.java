package org.jdbcpoolra.it.support;

/**
 * The server's own view of the pool, in terms every server has.
 *
 * @param open          physical connections in the pool now (idle or in use)
 * @param created       physical connections created since the pool started
 * @param peakInUse     most connections in use at once; -1 where the server does not count it (Liberty)
 * @param waited        borrowers that had to wait for a connection
 * @param idleRemoved   connections closed for being idle too long
 * @param destroyed     physical connections destroyed since the pool started, for any reason
 * @param raw           the server's own names and values, for failure messages
 */
public record PoolStatistics(long open, long created, long peakInUse, long waited, long idleRemoved, long destroyed,
        String raw) {

    /** Connections the server holds by its counters, which stay right where its gauges drift after errors. */
    public long held() {
        return created - destroyed;
    }
}
