package org.jdbcpoolra.tck.ejb;

import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.arquillian.container.test.spi.ContainerMethodExecutor;
import org.jboss.arquillian.container.test.spi.client.deployment.DeploymentPackager;
import org.jboss.arquillian.container.test.spi.client.protocol.Protocol;
import org.jboss.arquillian.container.test.spi.command.CommandCallback;
import org.jboss.arquillian.core.api.Injector;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.annotation.Inject;

import tck.arquillian.protocol.javatest.JavaTestDeploymentPackager;
import tck.arquillian.protocol.javatest.JavaTestMethodExecutor;
import tck.arquillian.protocol.javatest.JavaTestProtocolConfiguration;

/**
 * Answers to the name the EJB test classes ask for ("appclient") with the javatest protocol's packager and
 * executor, which run the vehicle client in this JVM; its lookup of java:comp/env/ejb/EJBVehicle reaches the
 * deployed bean through {@link org.jdbcpoolra.tck.naming.java.javaURLContextFactory}.
 */
public final class InProcessClientProtocol implements Protocol<JavaTestProtocolConfiguration> {
    @Inject
    private Instance<Injector> injector;

    @Override
    public Class<JavaTestProtocolConfiguration> getProtocolConfigurationClass() {
        return JavaTestProtocolConfiguration.class;
    }

    @Override
    public ProtocolDescription getDescription() {
        return new ProtocolDescription("appclient");
    }

    @Override
    public DeploymentPackager getPackager() {
        return new JavaTestDeploymentPackager();
    }

    @Override
    public ContainerMethodExecutor getExecutor(JavaTestProtocolConfiguration configuration, ProtocolMetaData metaData,
            CommandCallback callback) {
        JavaTestMethodExecutor executor = new JavaTestMethodExecutor(configuration);
        injector.get().inject(executor);
        return executor;
    }
}
