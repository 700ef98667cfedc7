package org.jdbcpoolra.it.support;

/** Instantiates the server under test once per test JVM, by the class the server's Maven profile names. */
final class Servers {
    static final ServerControl CURRENT = create(System.getProperty("it.server.class",
            WildFlyServer.class.getName()));

    private Servers() {
    }

    private static ServerControl create(String className) {
        try {
            return (ServerControl) Class.forName(className).getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("it.server.class=" + className + " is no ServerControl", e);
        }
    }
}
