package org.jdbcpoolra.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the scenarios need from the server under test, so one scenario runs on every server: apply the deployer's
 * scripts from src-deploy, read the server's own pool statistics, and the few facts that differ (names, units).
 * The server is chosen by the system property {@code it.server}.
 */
public interface ServerControl {

    /** Pool settings every test class starts from; the scenarios assert against these numbers. */
    int MIN = 2;
    int MAX = 5;
    int BLOCKING_TIMEOUT_MILLIS = 3000;

    static ServerControl current() {
        return Servers.CURRENT;
    }

    String name();

    int httpPort();

    /** The name applications look the pool up by, which the scripts also make the pool's log and error prefix. */
    String jndiName();

    /** The shortest idle timeout this server can be given (WildFly counts minutes, Payara seconds). */
    Duration idleTimeout();

    /** Part of the message the server gives a borrower who waited the whole blocking timeout in vain. */
    String exhaustedText();

    /** Called before a test class (null if unknown) configures the pool: a chance to give it a clean server. */
    default void beforeTestClass(Class<?> testClass) {
    }

    /**
     * Deploys the example EAR and activates the pool with src-deploy's files, the test defaults and the given
     * settings; first gives the server the database's driver if the RAR does not bring it (src-deploy's add-driver
     * script, once per server run).
     */
    void configure(PoolSettings settings);

    /** The removal twin of {@link #configure}, for the pool configured last. */
    void remove();

    /**
     * Restarts the server as an operator would, keeping its deployments and pools (WildFly: reload; Payara:
     * restart-domain); returns once the example answers again.
     */
    void restart();

    /** Global name of the XA connection definition the scenarios configure for a database ("xa" setting). */
    String xaJndiName(TestDatabase database);

    /** Where applications find the JTA TransactionManager on this server. */
    String transactionManagerName();

    /**
     * Kills the server process if it still runs (no clean stop: a crash) and starts it again with the pool
     * configured last and the given probe deployed, as an operator's restart after a crash would leave it, with the
     * transaction manager's recovery under way (WildFly: one pass asked of its recovery listener, the one its
     * periodic recovery would run soon after; Payara: the automatic recovery it runs as it starts).
     */
    void crashAndRestart(org.jboss.shrinkwrap.api.spec.WebArchive probe);

    /** Global name of a second pool, the RAR deployed alone, which the bad-configuration scenarios use. */
    String standaloneJndiName();

    /**
     * Deploys the RAR alone as a second adapter with these settings, through src-deploy's scripts in their RAR-alone
     * form. Returns null when the server accepted it, else what the scripts printed: the error a deployer sees.
     */
    String configureStandalone(PoolSettings settings);

    /** Removes what {@link #configureStandalone} left behind (nothing after a refusal). */
    void removeStandalone();

    PoolStatistics poolStatistics();

    /**
     * Whether the example EAR writes into the test database. On WildFly the EAR's adapter is activated by the
     * scripts with the test's URL; on Payara the EAR brings its own pool (zero setup) with an in-memory database.
     */
    boolean exampleUsesTestDatabase();

    /** Text the example's /api/pool must show on this server: a pool key and a statistic name. */
    List<String> exampleStatisticsMarkers();

    /** WildFly prefills min connections when the pool is activated; Payara fills them on first use. */
    boolean prefillsOnActivation();

    /** A probe class at path /direct that injects the pool with {@code @Resource(lookup = <global name>)}. */
    Class<?> directInjectionProbe();

    Path serverLog();

    /** WildFly validates idle connections in the background; Payara validates only when a borrower takes one. */
    boolean validatesInBackground();

    /** The names of the min and max pool size settings as the errors a deployer sees name them. */
    List<String> poolSizeSettings();

    /** The name of the blocking timeout setting as the errors a deployer sees name it. */
    String blockingTimeoutSetting();

    /** Text of the server's report of a connection an application never closed. */
    String leakReportText();
}
