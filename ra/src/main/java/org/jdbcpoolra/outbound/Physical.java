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

    record Xa(XAConnection xaConnection, Connection connection) implements Physical {
        static Xa of(XAConnection xaConnection) throws SQLException {
            try {
                return new Xa(xaConnection, xaConnection.getConnection());
            } catch (SQLException | RuntimeException e) {
                xaConnection.close();
                throw e;
            }
        }

        @Override
        public XAResource xaResource(String poolName) throws ResourceException {
            try {
                return xaConnection.getXAResource();
            } catch (SQLException e) {
                throw new ResourceException(poolName + ": the driver gave no XAResource: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws SQLException {
            xaConnection.close();
        }
    }
}
