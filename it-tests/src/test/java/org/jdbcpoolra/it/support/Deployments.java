package org.jdbcpoolra.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.probe.ProbeApplication;
import org.jdbcpoolra.it.probe.ProbeFailures;
import org.jdbcpoolra.it.probe.ProbeResource;
import org.jdbcpoolra.it.probe.ProbeTimeouts;
import org.jdbcpoolra.it.probe.ProbeTransactions;
import org.jdbcpoolra.it.probe.HaltingXAResource;
import org.jdbcpoolra.it.probe.XaProbe;
import org.jdbcpoolra.it.probe.XaProbeResource;
import org.jdbcpoolra.it.probe.XaTimeouts;

/**
 * The test-only archives: a separate application that uses the pool (the example EAR itself is deployed by the
 * src-deploy scripts, as a user deploys it). Every scenario gets its probe from here (ProbeDeployment), by the kind
 * its class names with {@link Uses}; none declares a deployment method of its own.
 */
public final class Deployments {
    private Deployments() {
    }

    public enum Probe {
        /** The probe, injecting the pool by reference and (at /direct) by its global name. */
        STANDARD,
        /** The probe without injection points, so the pool can be removed under it. */
        LOOKUP_ONLY,
        /** The probe plus the XA probe over two XA pools. */
        XA
    }

    /** The probe a scenario class deploys, when not {@link Probe#STANDARD}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Uses {
        Probe value();
    }

    public static WebArchive forClass(Class<?> testClass) {
        Uses uses = testClass.getAnnotation(Uses.class);
        return switch (uses == null ? Probe.STANDARD : uses.value()) {
            case STANDARD -> probe();
            case LOOKUP_ONLY -> lookupOnlyProbe();
            case XA -> xaProbe();
        };
    }

    public static WebArchive probe() {
        return lookupOnlyProbe().addClass(ServerControl.current().facts().directInjectionProbe());
    }

    /** The probe plus the XA probe over two XA pools: first PostgreSQL, second MariaDB. */
    public static WebArchive xaProbe() {
        ServerFacts facts = ServerControl.current().facts();
        return archive(probeProperties()
                        + "xa.first=" + facts.xaJndiName(TestDatabase.named("postgresql")) + "\n"
                        + "xa.first.session.sql=" + TestDatabase.named("postgresql").sessionIdSql() + "\n"
                        + "xa.second=" + facts.xaJndiName(TestDatabase.named("mariadb")) + "\n"
                        + "xa.second.session.sql=" + TestDatabase.named("mariadb").sessionIdSql() + "\n"
                        + "transaction-manager=" + facts.transactionManagerName() + "\n")
                .addClass(facts.directInjectionProbe())
                .addClasses(XaProbe.class, XaProbeResource.class, XaTimeouts.class, HaltingXAResource.class);
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
                .addClasses(ProbeApplication.class, ProbeResource.class, ProbeTransactions.class,
                        ProbeTimeouts.class, ProbeFailures.class)
                .addAsResource(new StringAsset(properties), "probe.properties");
    }

    private static String probeProperties() {
        return "jndi=" + ServerControl.current().facts().jndiName() + "\nsession.sql="
                + TestDatabase.get().sessionIdSql()
                + "\n";
    }
}
