package org.jdbcpoolra.it.support;

import java.util.List;

import org.jboss.arquillian.container.spi.client.deployment.DeploymentDescription;
import org.jboss.arquillian.container.test.spi.client.deployment.DeploymentScenarioGenerator;
import org.jboss.arquillian.test.spi.TestClass;

/**
 * The one place a scenario's deployment is written: every {@link PoolScenario} deploys the probe its class names
 * ({@link Deployments.Uses}), run from outside (not testable: the tests are HTTP clients).
 */
public class ProbeDeployment implements DeploymentScenarioGenerator {

    @Override
    public List<DeploymentDescription> generate(TestClass testClass) {
        if (!PoolScenario.class.isAssignableFrom(testClass.getJavaClass())) {
            return List.of();
        }
        return List.of(new DeploymentDescription("probe", Deployments.forClass(testClass.getJavaClass()))
                .shouldBeTestable(false));
    }
}
