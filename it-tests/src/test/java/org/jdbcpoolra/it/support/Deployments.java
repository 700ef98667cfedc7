package org.jdbcpoolra.it.support;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.probe.ProbeApplication;
import org.jdbcpoolra.it.probe.ProbeResource;
import org.jdbcpoolra.it.probe.ProbeTransactions;

/**
 * The one test-only archive: a separate application that uses the pool (the example EAR itself is deployed by
 * src-deploy/wildfly/configure.cli, as a user deploys it).
 */
public final class Deployments {
    private Deployments() {
    }

    public static WebArchive probe() {
        return ShrinkWrap.create(WebArchive.class, "probe.war")
                .addClasses(ProbeApplication.class, ProbeResource.class, ProbeTransactions.class);
    }

    /** A deployment that does not use the pool, for tests that undeploy the pool itself. */
    public static WebArchive bystander() {
        return ShrinkWrap.create(WebArchive.class, "bystander.war")
                .addAsWebResource(new org.jboss.shrinkwrap.api.asset.StringAsset("bystander"), "index.html");
    }
}
