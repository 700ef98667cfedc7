package org.jdbcpoolra.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a scenario class that neither needs a fresh pool nor leaves its pool other than it found it (no sessions
 * counted from zero, no statistics read, nothing restarted or removed). Such a class keeps the pool of the class
 * before it when that one was shared too and had equal settings, and leaves its pool for the next one: the
 * configure and remove scripts then run once for the run of them, not once per class.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface SharedPool {
}
