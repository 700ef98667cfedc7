package org.jdbcpoolra.it.support;

import java.nio.file.Path;
import java.util.Map;

/**
 * The README's run command. WildFly: starts the unpacked server, applies src-deploy/wildfly/configure.cli and
 * configure-xa.cli with their default pool.properties (H2 in memory, bundled in the RAR), deploys the example EAR,
 * prints where it answers, and keeps the server up until Ctrl-C. The server configuration is read-only, so every run
 * starts from WildFly's pristine standalone.xml (and so do the tests, which share the unpacked server).
 */
public final class ServeExample {
    private ServeExample() {
    }

    public static void main(String[] args) throws Exception {
        if ("payara".equals(System.getProperty("it.server"))) {
            servePayara();
        } else if ("liberty".equals(System.getProperty("it.server"))) {
            LibertyServer.serveExample();
            announce(LibertyServer.HTTP_PORT);
            Thread.currentThread().join();
        } else {
            serveWildFly();
        }
    }

    /**
     * Payara: src-deploy/payara/configure.sh and configure-xa.sh with their pool.properties (H2 in memory), then the
     * example EAR, as a user deploys it; a pool at server level, which Payara monitors (an EAR's own pools it does
     * not).
     */
    private static void servePayara() throws Exception {
        String domain = System.getProperty("payara.domain", "it");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> PayaraServer.asadmin("stop-domain", domain),
                "stop-payara"));
        System.out.println("Starting Payara from " + PayaraServer.home() + " (domain " + domain + ")");
        PayaraServer.serveExample();
        announce(PayaraServer.HTTP_PORT);
        Thread.currentThread().join();
    }

    static void announce(int port) {
        String page = "http://localhost:" + port + "/jdbc-pool-example/";
        String base = page + "api";
        System.out.println();
        System.out.println("The example is up: " + base + "/notes");
        System.out.println("The pool, live (a chart, with a button that puts load on it): " + page);
        System.out.println("  curl " + base + "/metrics    (OpenMetrics, for Prometheus)");
        System.out.println("  while true; do curl -s -X POST '" + base + "/load?holdMillis=200'; done    (load)");
        System.out.println("  curl -X POST -H 'Content-Type: text/plain' -d 'hello' " + base + "/notes");
        System.out.println("  curl " + base + "/notes");
        System.out.println("  curl " + base + "/pool");
        System.out.println("Press Ctrl-C to stop.");
    }

    private static void serveWildFly() throws Exception {
        Path log = TestEnvironment.work().resolve("server.out");
        System.out.println("Starting WildFly from " + WildFlyServer.home() + " (log: " + log + ")");
        Process server = WildFlyServer.start(log);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> WildFlyServer.stop(server), "stop-wildfly"));

        WildFlyServer.cli("configure.cli", Map.of("deployment.path",
                TestEnvironment.archive("jdbc-pool-example.ear").toString()));
        // The XA connection definition beside the local one, with pool.properties' defaults (H2 in memory).
        WildFlyServer.cli("configure-xa.cli", Map.of());
        Http.awaitOk(Http.example("/api/notes"));

        announce(WildFlyServer.HTTP_PORT);
        server.waitFor();
    }
}
