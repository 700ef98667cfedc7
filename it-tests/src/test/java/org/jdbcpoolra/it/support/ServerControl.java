package org.jdbcpoolra.it.support;

import java.nio.file.Path;

import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The lifecycle of the server under test, driven the way a deployer drives it: src-deploy's scripts configure and
 * remove the pool, the server's own tools restart it. The facts that differ between servers are data
 * ({@link #facts()}); the pool's statistics come from the server's management API ({@link #poolStatistics()}). The
 * server is chosen by the build (system property {@code it.server.class}, set by the server's Maven profile), so a
 * new server is one class implementing this, one src-deploy folder and one profile.
 */
public interface ServerControl {

    /** Pool settings every test class starts from; the scenarios assert against these numbers. */
    int MIN = 2;
    int MAX = 5;
    int BLOCKING_TIMEOUT_MILLIS = 3000;

    static ServerControl current() {
        return Servers.CURRENT;
    }

    ServerFacts facts();

    /** The pool's statistics as the server's management API reports them. */
    PoolStatistics poolStatistics();

    /**
     * Called before a test class configures the pool; {@code freshServer} when the class reads statistics a
     * server may keep from earlier pools of the same name.
     */
    default void beforeTestClass(boolean freshServer) {
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

    /**
     * Kills the server process if it still runs (no clean stop: a crash) and starts it again with the pool
     * configured last and the given probe deployed, as an operator's restart after a crash would leave it, with the
     * transaction manager's recovery under way.
     */
    void crashAndRestart(WebArchive probe);

    /**
     * Keeps the server's persistent EJB timers in the pool's database with src-deploy's ejb-timers script (restarting
     * the server if the setting needs it) and deploys the application whose timers a scenario watches. Calling it
     * again after {@link #crashAndRestart} restores what the server forgot (WildFly forgets runtime changes, Payara
     * keeps them).
     */
    void storeTimersInPool(TestDatabase database, Path application);

    /** Undeploys the application and puts the timer service back on its own store (remove-ejb-timers). */
    void storeTimersElsewhere(String application);

    /**
     * Deploys the RAR alone as a second adapter with these settings, through src-deploy's scripts in their RAR-alone
     * form. Returns null when the server accepted it, else what the scripts printed: the error a deployer sees.
     */
    String configureStandalone(PoolSettings settings);

    /** Removes what {@link #configureStandalone} left behind (nothing after a refusal). */
    void removeStandalone();

    /**
     * Keeps a password in the server's own secret store with src-deploy's script, as README shows an operator, and
     * returns what the pool's properties file then holds instead of it. A scenario asks for it with the adapter
     * property value {@value #STORED_SECRET}, which stands for the test database's password.
     */
    String storeSecret(String password);

    String STORED_SECRET = "{storedSecret}";

    /** An adapter property of the pool configured last, as the server's configuration keeps it (unresolved). */
    String configuredProperty(String name);

    /**
     * The process id of the server's JVM as it runs now, for observers from outside (jcmd); throws
     * IllegalStateException when the server does not run.
     */
    long pid();
}
