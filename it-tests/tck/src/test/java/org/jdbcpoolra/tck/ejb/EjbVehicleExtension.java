package org.jdbcpoolra.tck.ejb;

import org.jboss.arquillian.container.test.spi.client.protocol.Protocol;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Drives the TCK's EJB vehicle without an application-client JVM per test (-Dtck.ejb=true): the TCK's
 * "appclient" protocol is replaced by one that runs the vehicle's client side in the test JVM, which calls the
 * vehicle EJB on the server remotely. The JDBC tests themselves run inside that EJB, in its container-managed
 * transaction, exactly as with the real application client; only the client container is not exercised.
 */
public final class EjbVehicleExtension implements LoadableExtension {
    @Override
    public void register(ExtensionBuilder builder) {
        if (Boolean.getBoolean("tck.ejb")) {
            builder.service(Protocol.class, InProcessClientProtocol.class);
            builder.observer(DeployedVehicle.class);
        }
    }
}
