package org.jdbcpoolra.tck.ejb;

import org.jboss.arquillian.container.spi.event.container.BeforeDeploy;
import org.jboss.arquillian.core.api.annotation.Observes;

/** Remembers the EAR of the test class being deployed: the remote name of its vehicle bean starts with it. */
public final class DeployedVehicle {
    private static volatile String application;

    public void beforeDeploy(@Observes BeforeDeploy event) {
        String name = event.getDeployment().getArchive().getName();
        if (name.endsWith(".ear")) {
            application = name.substring(0, name.length() - ".ear".length());
        }
    }

    public static String application() {
        return application;
    }
}
