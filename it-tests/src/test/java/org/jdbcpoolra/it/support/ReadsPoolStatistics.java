package org.jdbcpoolra.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that asserts on the server's pool statistics. Payara's monitoring stays silent for a pool
 * created after another was deleted in the same server run, so Payara restarts its domain before such a class only.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ReadsPoolStatistics {
}
