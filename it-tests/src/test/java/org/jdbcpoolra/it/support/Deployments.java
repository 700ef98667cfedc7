package org.jdbcpoolra.it.support;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.probe.ProbeApplication;
import org.jdbcpoolra.it.probe.ProbeResource;
import org.jdbcpoolra.it.probe.ProbeTransactions;

/**
 * The test-only archives: a separate application that uses the pool (the example EAR itself is deployed by the
 * src-deploy scripts, as a user deploys it).
 */
public final class Deployments {
    private Deployments() {
    }

    public static WebArchive probe() {
        ServerControl server = ServerControl.current();
        return ShrinkWrap.create(WebArchive.class, "probe.war")
                .addClasses(ProbeApplication.class, ProbeResource.class, ProbeTransactions.class,
                        server.directInjectionProbe())
                .addAsResource(new StringAsset("jndi=" + server.jndiName() + "\n"), "probe.properties");
    }

    /** A deployment that does not use the pool, for tests that undeploy the pool itself. */
    public static WebArchive bystander() {
        return ShrinkWrap.create(WebArchive.class, "bystander.war")
                .addAsWebResource(new StringAsset("bystander"), "index.html");
    }
}
