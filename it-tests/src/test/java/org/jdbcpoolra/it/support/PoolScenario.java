package org.jdbcpoolra.it.support;

import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A scenario run from outside the server, as a person or an operator sees it: HTTP calls to the deployed
 * applications, the database's own view of its sessions, the server's own statistics. Before the class the pool is
 * configured with src-deploy's scripts and the probe is deployed (PoolLifecycle: the class's {@link PoolSettings.Use}
 * settings, the probe its {@link Deployments.Probe} names).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class PoolScenario {
    protected final TestDatabase database = TestDatabase.get();
    protected final ServerControl server = ServerControl.current();
    protected final ServerFacts facts = server.facts();
}
