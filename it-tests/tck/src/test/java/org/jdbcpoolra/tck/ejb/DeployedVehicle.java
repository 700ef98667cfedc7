package org.jdbcpoolra.tck.ejb;

import org.jboss.arquillian.container.spi.event.container.BeforeDeploy;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ArchivePath;

/**
 * Remembers the EAR of the test class being deployed and its EJB module: the remote name of the vehicle bean is made
 * of both. The module is read from the archive, not derived from the EAR's name: prepStmt6's EAR carries a module
 * named prepStmt1_ejb_vehicle_ejb.jar.
 */
public final class DeployedVehicle {
    private static volatile String application;
    private static volatile String module;

    public void beforeDeploy(@Observes BeforeDeploy event) {
        Archive<?> archive = event.getDeployment().getArchive();
        String name = archive.getName();
        if (!name.endsWith(".ear")) {
            return;
        }
        application = name.substring(0, name.length() - ".ear".length());
        module = application + "_ejb";
        for (ArchivePath path : archive.getContent().keySet()) {
            String file = path.get().substring(1);
            if (!file.contains("/") && file.endsWith("_ejb.jar")) {
                module = file.substring(0, file.length() - ".jar".length());
            }
        }
    }

    public static String application() {
        return application;
    }

    public static String module() {
        return module;
    }
}
