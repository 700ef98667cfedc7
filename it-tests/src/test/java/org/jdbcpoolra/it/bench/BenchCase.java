package org.jdbcpoolra.it.bench;

/** What one operation of a round does; the servlet knows a case by its {@link #number()} (see BenchServlet). */
enum BenchCase {
    CONNECT("getConnection + close", "connect + close"),
    SELECT_ONE("getConnection + SELECT 1 + close", "SELECT 1"),
    PREPARED("prepared statement with a parameter", "prepared statement"),
    EJB("EJB call (CMT): insert + select", "EJB insert + select");

    private final String title;
    private final String label;

    BenchCase(String title, String label) {
        this.title = title;
        this.label = label;
    }

    int number() {
        return ordinal() + 1;
    }

    /** For the tables. */
    String title() {
        return title;
    }

    /** Short, for the chart's category axis. */
    String label() {
        return label;
    }
}
