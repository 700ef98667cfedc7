package org.jdbcpoolra.support;

import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jdbcpoolra.spi.FatalErrorClassifier;

/** A {@code FatalErrorClassifier} that counts how often it is instantiated: the runtime must be built once. */
public final class CountingClassifier implements FatalErrorClassifier {
    public static final AtomicInteger INSTANCES = new AtomicInteger();

    public CountingClassifier() {
        INSTANCES.incrementAndGet();
    }

    @Override
    public boolean isFatal(SQLException e) {
        return false;
    }
}
