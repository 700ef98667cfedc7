package org.jdbcpoolra.handle;

import java.sql.NClob;

/** An {@link NClob} handed to the application, valid for its borrow: a {@link ClobHandle} by another type. */
final class NClobHandle extends ClobHandle implements NClob {

    NClobHandle(ConnectionHandle connection, NClob physical) {
        super(connection, physical);
    }
}
