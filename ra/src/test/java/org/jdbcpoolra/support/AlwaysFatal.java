package org.jdbcpoolra.support;

import java.sql.SQLException;

import org.jdbcpoolra.spi.FatalErrorClassifier;

/** A classifier for {@code FatalErrorClassifier} that finds every error fatal, so a test can see it is the one used. */
public final class AlwaysFatal implements FatalErrorClassifier {
    @Override
    public boolean isFatal(SQLException e) {
        return true;
    }
}
