package org.jdbcpoolra.it.support;

/** Picks the server implementation once per test JVM. */
final class Servers {
    static final ServerControl CURRENT = switch (System.getProperty("it.server", "wildfly")) {
        case "wildfly" -> new WildFlyServer();
        case "payara" -> new PayaraServer();
        default -> throw new IllegalStateException("unknown it.server " + System.getProperty("it.server"));
    };

    private Servers() {
    }
}
