package org.jdbcpoolra.stats;

import java.util.Map;

/**
 * What the adapter did for one pool that no server's statistics count, as JMX reads it
 * ({@code org.jdbcpoolra:type=PoolCounters,pool=<pool name>}). Every figure only grows while the pool lives.
 */
public interface PoolCountersMXBean {

    /** Validations (the server's or the keepalive's) that asked the database. */
    long getValidationRoundTrips();

    /** Validations answered without asking the database: the connection was given back fine just now. */
    long getValidationBypasses();

    /** Physical connections replaced under their managed connection because MaxLifetime was reached. */
    long getRetiredByLifetime();

    /** Physical connections replaced under their managed connection because MaxUses was reached. */
    long getRetiredByUses();

    /** Connections reported to the server as broken, by SQLState ({@code keepalive}: found dead while idle). */
    Map<String, Long> getFatalEvictions();

    /** Physical connections opened, and the time all those openings took, in milliseconds. */
    long getConnectionsOpened();

    long getOpenMillis();

    /** Attempts to open a physical connection that failed. */
    long getOpenFailures();

    /** Handles a borrower still held when the server took the connection back, closed for it by the adapter. */
    long getHandlesClosedForApplication();

    /** Prepared statements served from the statement cache, and those it had to prepare. */
    long getStatementCacheHits();

    long getStatementCacheMisses();
}
