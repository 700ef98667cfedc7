package org.jdbcpoolra;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import javax.transaction.xa.XAResource;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.Connector;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;

import org.jdbcpoolra.outbound.FactoryRegistry;
import org.jdbcpoolra.outbound.JdbcManagedConnectionFactory;

/**
 * The adapter's lifecycle. Outbound only; its one duty beyond start/stop is the safety net on stop: physical
 * connections the server failed to destroy are closed, so an undeploy never leaves database sessions behind.
 */
@Connector(
        displayName = "jdbc-pool-ra",
        description = "Turns any JDBC driver into a connection pool managed by the Jakarta EE server",
        vendorName = "jdbc-pool-ra",
        eisType = "JDBC database",
        version = "0.1",
        transactionSupport = TransactionSupport.TransactionSupportLevel.XATransaction,
        reauthenticationSupport = false)
public class JdbcResourceAdapter implements ResourceAdapter, FactoryRegistry {
    private static final Logger LOG = Logger.getLogger("org.jdbcpoolra");

    private final Set<JdbcManagedConnectionFactory> factories = ConcurrentHashMap.newKeySet();

    @Override
    public void register(JdbcManagedConnectionFactory factory) {
        factories.add(factory);
    }

    @Override
    public void start(BootstrapContext context) {
        LOG.fine("jdbc-pool-ra: started");
    }

    @Override
    public void stop() {
        for (JdbcManagedConnectionFactory factory : factories) {
            factory.closeAll();
        }
        factories.clear();
        LOG.fine("jdbc-pool-ra: stopped");
    }

    @Override
    public void endpointActivation(MessageEndpointFactory endpointFactory, ActivationSpec spec)
            throws ResourceException {
        throw new NotSupportedException("jdbc-pool-ra has no inbound side");
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory endpointFactory, ActivationSpec spec) {
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    /** The adapter has no properties; JCA asks for equals/hashCode all the same. */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
