package org.jdbcpoolra.it.support;

import org.jboss.as.arquillian.api.ServerSetupTask;
import org.jboss.as.arquillian.container.ManagementClient;

/**
 * Before each test class: the database is up, then src-deploy/wildfly/configure.cli deploys the example EAR and
 * activates the adapter. After it: remove.cli. Each class therefore starts with a fresh pool.
 */
public class PoolSetup implements ServerSetupTask {

    @Override
    public void setup(ManagementClient client, String containerId) {
        H2Database database = H2Database.get();
        WildFlyServer.configure(WildFlyServer.testSettings(database.url()));
        Http.awaitOk(Http.example("/api/pool"));
    }

    @Override
    public void tearDown(ManagementClient client, String containerId) {
        WildFlyServer.remove(WildFlyServer.testSettings(H2Database.get().url()));
    }
}
