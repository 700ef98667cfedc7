package org.jdbcpoolra.it.support;

import org.jboss.arquillian.container.spi.event.container.AfterUnDeploy;
import org.jboss.arquillian.container.spi.event.container.BeforeDeploy;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Before each test class deploys its archive: the database is up and src-deploy's configure script has deployed the
 * example EAR and activated the pool (the test archive injects the pool, so it must exist first). After the class
 * undeploys: the remove script. Every class therefore starts with a fresh pool, on any server.
 */
public class PoolLifecycle implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(Observer.class);
    }

    public static class Observer {
        public void configure(@Observes BeforeDeploy event) {
            ServerControl.current().beforeTestClass();
            ServerControl.current().configure(H2Database.get().url());
            Http.awaitOk(Http.example("/api/pool"));
        }

        public void remove(@Observes AfterUnDeploy event) {
            ServerControl.current().remove(H2Database.get().url());
        }
    }
}
