package org.jdbcpoolra.it.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The README's run command: starts the unpacked WildFly, applies src-deploy/wildfly/configure.cli with its default
 * pool.properties (H2 in memory, bundled in the RAR), deploys the example EAR, prints where it answers, and keeps
 * the server up until Ctrl-C. The server configuration is read-only, so every run starts from WildFly's pristine
 * standalone.xml (and so do the tests, which share the unpacked server).
 */
public final class ServeExample {
    private ServeExample() {
    }

    public static void main(String[] args) throws Exception {
        Path log = WildFlyServer.work().resolve("server.out");
        Process server = new ProcessBuilder(List.of(WildFlyServer.home().resolve("bin/standalone.sh").toString(),
                "--read-only-server-config=standalone.xml",
                "-Djboss.socket.binding.port-offset=" + WildFlyServer.OFFSET))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "stop-wildfly"));
        System.out.println("Starting WildFly from " + WildFlyServer.home() + " (log: " + log + ")");
        awaitManagement(server);

        WildFlyServer.cli("configure.cli", Map.of("deployment.path",
                WildFlyServer.archive("jdbc-pool-example.ear").toString()));
        Http.awaitOk(Http.example("/api/notes"));

        String base = "http://localhost:" + WildFlyServer.HTTP_PORT + "/jdbc-pool-example/api";
        System.out.println();
        System.out.println("The example is up: " + base + "/notes");
        System.out.println("  curl -X POST -H 'Content-Type: text/plain' -d 'hello' " + base + "/notes");
        System.out.println("  curl " + base + "/notes");
        System.out.println("  curl " + base + "/pool");
        System.out.println("Press Ctrl-C to stop.");
        server.waitFor();
    }

    private static void awaitManagement(Process server) throws IOException, InterruptedException {
        for (int i = 0; i < 240; i++) {
            if (!server.isAlive()) {
                throw new IllegalStateException("WildFly exited; see " + WildFlyServer.work().resolve("server.out"));
            }
            try {
                if (WildFlyServer.command(":read-attribute(name=server-state)").contains("running")) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // management interface not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("WildFly did not start within 120 s");
    }

    private static void stop(Process server) {
        try {
            WildFlyServer.command("shutdown");
        } catch (RuntimeException alreadyDown) {
            // fall through to killing the processes
        }
        server.descendants().forEach(ProcessHandle::destroy);
        server.destroy();
    }
}
