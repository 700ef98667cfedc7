package org.jdbcpoolra.outbound;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.XAConnection;
import javax.transaction.xa.XAResource;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;

/**
 * The database side of one managed connection: a plain JDBC connection, or the connection an {@link XAConnection}
 * hands out. Local and XA differ only here, so the managed connection itself has no XA branches. The hazard: an
 * XA connection must be closed through its XAConnection, or the driver may keep the branch or the session open.
 */
sealed interface Physical permits Physical.Local, Physical.Xa {

    /** The connection the handles delegate to. */
    Connection connection();

    /** The driver's XAResource for this connection. */
    XAResource xaResource(String poolName) throws ResourceException;

    void close() throws SQLException;

    record Local(Connection connection) implements Physical {
        @Override
        public XAResource xaResource(String poolName) throws ResourceException {
            throw new NotSupportedException(poolName + ": XA needs XADataSourceClass and TransactionSupport "
                    + "XATransaction; this connection definition has neither");
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    /**
     * The driver's XAResource is fetched when the connection is opened, so that the server's getXAResource (which
     * comes before any lending, while the adapter may be checking the connection) makes no call on the driver.
     */
    record Xa(XAConnection xaConnection, Connection connection, XAResource driverResource) implements Physical {
        static Xa of(XAConnection xaConnection) throws SQLException {
            try {
                return new Xa(xaConnection, xaConnection.getConnection(), xaConnection.getXAResource());
            } catch (Throwable e) {
                try {
                    xaConnection.close();
                } catch (SQLException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        @Override
        public XAResource xaResource(String poolName) {
            return driverResource;
        }

        @Override
        public void close() throws SQLException {
            xaConnection.close();
        }
    }
}
