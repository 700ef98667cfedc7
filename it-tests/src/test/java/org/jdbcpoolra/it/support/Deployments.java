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
        return lookupOnlyProbe().addClass(ServerControl.current().directInjectionProbe());
    }

    /**
     * The probe without its injection point: it does not pin the pool, so a test can remove the pool while the
     * probe stays deployed (WildFly refuses to unbind a name an injection depends on).
     */
    public static WebArchive lookupOnlyProbe() {
        return ShrinkWrap.create(WebArchive.class, "probe.war")
                .addClasses(ProbeApplication.class, ProbeResource.class, ProbeTransactions.class)
                .addAsResource(new StringAsset("jndi=" + ServerControl.current().jndiName() + "\nsession.sql="
                        + TestDatabase.get().sessionIdSql() + "\n"), "probe.properties");
    }
}
