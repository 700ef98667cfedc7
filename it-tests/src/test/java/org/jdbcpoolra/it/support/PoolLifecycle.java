package org.jdbcpoolra.it.support;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.event.container.AfterUnDeploy;
import org.jboss.arquillian.container.spi.event.container.BeforeDeploy;
import org.jboss.arquillian.container.test.spi.client.deployment.DeploymentScenarioGenerator;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.arquillian.test.spi.TestClass;
import org.jboss.arquillian.test.spi.event.suite.AfterSuite;

/**
 * Before each test class deploys its archive: the database is up and src-deploy's configure script has deployed the
 * example EAR and activated the pool (the test archive injects the pool, so it must exist first). After the class
 * undeploys: the remove script. Every class therefore starts with a fresh pool, on any server, configured with the
 * class's {@link PoolSettings.Use} settings if it has them; only a run of {@link SharedPool} classes with equal
 * settings shares one. Also registers the one deployment every scenario gets ({@link ProbeDeployment}).
 */
public class PoolLifecycle implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(Observer.class);
        builder.service(DeploymentScenarioGenerator.class, ProbeDeployment.class);
        if ("liberty".equals(System.getProperty("it.server"))) {
            builder.service(DeployableContainer.class, LibertyDropins.class);
        }
    }

    public static class Observer {
        /** The settings of the pool a shared class left configured, or null when there is none. */
        private static PoolSettings kept;
        /**
         * A pool configured, or begun, and not yet removed: set before the configure script runs, cleared once the
         * remove script succeeded. A class whose configuration or removal failed half-way leaves it set, and the
         * next class removes what is left before it configures its own, so one failure stays one failure.
         */
        private static boolean configured;

        @Inject
        private Instance<TestClass> testClass;

        public void configure(@Observes BeforeDeploy event) {
            Class<?> current = testClass.get() == null ? null : testClass.get().getJavaClass();
            PoolSettings settings = PoolSettings.forClass(current);
            if (kept != null) {
                if (shared(current) && kept.equals(settings)) {
                    return;
                }
                removeKept();
            }
            if (configured) {
                removeLeftovers();
            }
            ServerControl.current().beforeTestClass(current == null
                    || current.isAnnotationPresent(ReadsPoolStatistics.class));
            configured = true;
            try {
                ServerControl.current().configure(settings);
            } catch (RuntimeException e) {
                removeLeftovers();
                throw e;
            }
            Http.awaitOk(Http.example("/api/pool"));
        }

        public void remove(@Observes AfterUnDeploy event) {
            Class<?> current = testClass.get() == null ? null : testClass.get().getJavaClass();
            if (shared(current)) {
                kept = PoolSettings.forClass(current);
            } else if (configured) {
                ServerControl.current().remove();
                configured = false;
            }
        }

        /** Before the containers stop: a server the tests started themselves (Payara) outlives the run. */
        public void removeAtEnd(@Observes(precedence = 100) AfterSuite event) {
            if (kept != null) {
                removeKept();
            }
        }

        private static void removeKept() {
            kept = null;
            ServerControl.current().remove();
            configured = false;
        }

        /** Best effort: what a failed configuration or removal left; the next configuration tells if it is gone. */
        private static void removeLeftovers() {
            try {
                ServerControl.current().remove();
                configured = false;
            } catch (RuntimeException e) {
                System.out.println("removing what an earlier class left configured failed: " + e.getMessage());
            }
        }

        private static boolean shared(Class<?> testClass) {
            return testClass != null && testClass.isAnnotationPresent(SharedPool.class);
        }
    }
}
