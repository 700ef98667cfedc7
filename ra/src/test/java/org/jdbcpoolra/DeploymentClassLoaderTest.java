package org.jdbcpoolra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.DriverManager;

import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;

import org.h2.Driver;
import org.jdbcpoolra.support.RegisteredDrivers;
import org.jdbcpoolra.support.ServerBootstrap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The adapter in a class loader of its own, as a server deploys it (child first: the RAR's own classes and its H2,
 * the Connectors API from the server): stopping it leaves nothing of that class loader registered in the JVM's
 * {@link DriverManager}, which would keep the whole deployment alive after an undeploy. Where the adapter had pools,
 * the loader is closed before the adapter stops, as Open Liberty deletes a RAR module's extracted JARs first: a class
 * that stopping is the first to need cannot be loaded then. Its example EAR's copy of the adapter classes, which
 * never opens a connection, still loads classes when it stops.
 */
@DisplayName("The adapter deployed in a class loader of its own")
class DeploymentClassLoaderTest {

    /** Child first for the adapter's, H2's and the helper's classes, as a server's deployment class loader. */
    private static final class DeploymentLoader extends URLClassLoader {
        DeploymentLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.jdbcpoolra.") && !name.startsWith("org.h2.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = findClass(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }

    private static URL locationOf(Class<?> type) throws Exception {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    private DeploymentLoader deployment() throws Exception {
        URL[] path = {locationOf(JdbcResourceAdapter.class), locationOf(Driver.class),
                locationOf(RegisteredDrivers.class)};
        assertNotEquals(Path.of(path[0].toURI()), Path.of(path[2].toURI()), "main and test classes apart");
        return new DeploymentLoader(path, getClass().getClassLoader());
    }

    @Test
    @DisplayName("stopping it deregisters the JDBC drivers its own class loader registered, and only those")
    void stopDeregistersTheDriversOfItsOwnClassLoader() throws Exception {
        try (DeploymentLoader deployment = deployment(); ServerBootstrap bootstrap = new ServerBootstrap()) {
            ResourceAdapter adapter = (ResourceAdapter) deployment.loadClass(JdbcResourceAdapter.class.getName())
                    .getConstructor().newInstance();
            adapter.start(bootstrap.context());
            Object factory = deployment.loadClass("org.jdbcpoolra.outbound.JdbcManagedConnectionFactory")
                    .getConstructor().newInstance();
            factory.getClass().getMethod("setUrl", String.class).invoke(factory, "jdbc:h2:mem:deployed");
            ((ResourceAdapterAssociation) factory).setResourceAdapter(adapter);
            ManagedConnection mc = ((ManagedConnectionFactory) factory).createManagedConnection(null, null);
            mc.destroy();
            var registered = deployment.loadClass(RegisteredDrivers.class.getName()).getMethod("ofThisClassLoader");
            assertTrue((Integer) registered.invoke(null) > 0, "the deployment's H2 registered itself");
            deployment.close();

            adapter.stop();

            assertEquals(0, registered.invoke(null), "drivers of the deployment still registered");
            assertNotNull(DriverManager.getDriver("jdbc:h2:mem:x"), "the JVM's own H2 stays registered");
        }
    }

    /**
     * Open Liberty's example EAR: a copy of the adapter that is started and stopped without a pool. Asking
     * DriverManager for its drivers loads each registered driver's class in the asker's loader, and H2's registers
     * itself as it loads.
     */
    @Test
    @DisplayName("stopping a copy that never opened a connection leaves none of its drivers registered either")
    void stopWithoutAPoolLeavesNoDriverOfItsClassLoader() throws Exception {
        assertNotNull(DriverManager.getDriver("jdbc:h2:mem:x"), "the JVM's own H2 registered");
        try (DeploymentLoader deployment = deployment(); ServerBootstrap bootstrap = new ServerBootstrap()) {
            ResourceAdapter adapter = (ResourceAdapter) deployment.loadClass(JdbcResourceAdapter.class.getName())
                    .getConstructor().newInstance();
            adapter.start(bootstrap.context());

            adapter.stop();

            var registered = deployment.loadClass(RegisteredDrivers.class.getName()).getMethod("ofThisClassLoader");
            assertEquals(0, registered.invoke(null), "drivers of the deployment registered after it stopped");
        }
    }
}
