package org.jdbcpoolra.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.HTTPContext;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.descriptor.api.Descriptor;

/**
 * Arquillian's view of the Liberty under test, as a deployer's: an archive is deployed by dropping it into the
 * server's dropins folder and undeployed by taking it out, each done when messages.log says so. It holds no
 * connection to the server, so a scenario may stop, kill and start Liberty (LibertyServer does, with Liberty's own
 * commands) and the next deployment simply goes on; Liberty's own Arquillian container keeps a JMX connection from
 * its start and fails every deployment after a restart. The server is started by LibertyServer before the first
 * deployment (the pool must exist first) and stopped when the test JVM ends.
 */
public class LibertyDropins implements DeployableContainer<LibertyDropins.Configuration> {
    private static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(120);

    /** Nothing to configure beyond what the build passes as system properties. */
    public static class Configuration implements org.jboss.arquillian.container.spi.client.container
            .ContainerConfiguration {
        @Override
        public void validate() {
        }
    }

    @Override
    public Class<Configuration> getConfigurationClass() {
        return Configuration.class;
    }

    @Override
    public void setup(Configuration configuration) {
    }

    @Override
    public void start() throws LifecycleException {
    }

    @Override
    public void stop() throws LifecycleException {
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return new ProtocolDescription("Local");
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        String name = appName(archive);
        long from = LibertyServer.logSize();
        try {
            Path staged = LibertyServer.serverDir().resolve(archive.getName() + ".part");
            archive.as(ZipExporter.class).exportTo(staged.toFile(), true);
            Files.move(staged, dropin(archive), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            throw new DeploymentException("cannot drop " + archive.getName() + " into Liberty's dropins", e);
        }
        String seen = LibertyServer.awaitLog(from, "CWWKZ000[13]I: .*\\b" + name + "\\b|CWWKZ00(02|04)E: .*\\b"
                + name + "\\b", DEPLOY_TIMEOUT);
        if (seen.contains("E: ")) {
            throw new DeploymentException("Liberty refused " + archive.getName() + ": " + seen);
        }
        return new ProtocolMetaData().addContext(new HTTPContext("127.0.0.1", LibertyServer.HTTP_PORT));
    }

    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        long from = LibertyServer.logSize();
        try {
            if (!Files.deleteIfExists(dropin(archive))) {
                return;
            }
        } catch (IOException e) {
            throw new DeploymentException("cannot take " + archive.getName() + " out of Liberty's dropins", e);
        }
        LibertyServer.awaitLog(from, "CWWKZ0009I: .*\\b" + appName(archive) + "\\b", DEPLOY_TIMEOUT);
    }

    @Override
    public void deploy(Descriptor descriptor) throws DeploymentException {
        throw new UnsupportedOperationException("descriptors are not deployed to Liberty");
    }

    @Override
    public void undeploy(Descriptor descriptor) throws DeploymentException {
        throw new UnsupportedOperationException("descriptors are not deployed to Liberty");
    }

    private static Path dropin(Archive<?> archive) {
        return LibertyServer.serverDir().resolve("dropins").resolve(archive.getName());
    }

    private static String appName(Archive<?> archive) {
        return archive.getName().replaceFirst("\\.[a-z]+$", "");
    }
}
