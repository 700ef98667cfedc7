package org.jdbcpoolra.it.support;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.probe.ProbeApplication;
import org.jdbcpoolra.it.probe.ProbeResource;
import org.jdbcpoolra.it.probe.ProbeTransactions;
import org.jdbcpoolra.it.probe.HaltingXAResource;
import org.jdbcpoolra.it.probe.XaProbe;
import org.jdbcpoolra.it.probe.XaProbeResource;

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

    /** The probe plus the XA probe over two XA pools: first PostgreSQL, second MariaDB. */
    public static WebArchive xaProbe() {
        ServerControl server = ServerControl.current();
        return archive(probeProperties()
                        + "xa.first=" + server.xaJndiName(TestDatabase.named("postgresql")) + "\n"
                        + "xa.first.session.sql=" + TestDatabase.named("postgresql").sessionIdSql() + "\n"
                        + "xa.second=" + server.xaJndiName(TestDatabase.named("mariadb")) + "\n"
                        + "xa.second.session.sql=" + TestDatabase.named("mariadb").sessionIdSql() + "\n"
                        + "transaction-manager=" + server.transactionManagerName() + "\n")
                .addClass(server.directInjectionProbe())
                .addClasses(XaProbe.class, XaProbeResource.class, HaltingXAResource.class);
    }

    /**
     * The probe without its injection point: it does not pin the pool, so a test can remove the pool while the
     * probe stays deployed (WildFly refuses to unbind a name an injection depends on).
     */
    public static WebArchive lookupOnlyProbe() {
        return archive(probeProperties());
    }

    private static WebArchive archive(String properties) {
        return ShrinkWrap.create(WebArchive.class, "probe.war")
                .addClasses(ProbeApplication.class, ProbeResource.class, ProbeTransactions.class)
                .addAsResource(new StringAsset(properties), "probe.properties");
    }

    private static String probeProperties() {
        return "jndi=" + ServerControl.current().jndiName() + "\nsession.sql=" + TestDatabase.get().sessionIdSql()
                + "\n";
    }
}
