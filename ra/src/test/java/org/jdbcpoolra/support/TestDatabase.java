package org.jdbcpoolra.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import org.jdbcpoolra.outbound.JdbcManagedConnectionFactory;

/**
 * A private H2 in-memory database for one test, and an independent connection to it that sees only committed data:
 * what a second application would see. Closing it shuts the database down so tests do not accumulate memory.
 */
public final class TestDatabase implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String url;
    private final Connection observer;

    private TestDatabase(String url, String user, String password) throws SQLException {
        this.url = url;
        this.observer = DriverManager.getConnection(url, user, password);
    }

    public static TestDatabase create() throws SQLException {
        return create("");
    }

    /** @param settings extra H2 URL settings, such as {@code ";MODE=PostgreSQL"} */
    public static TestDatabase create(String settings) throws SQLException {
        return new TestDatabase(uniqueUrl() + settings, "", "");
    }

    /** A database whose only user is {@code user}: H2 makes the first user to connect its administrator. */
    public static TestDatabase withUser(String user, String password) throws SQLException {
        return new TestDatabase(uniqueUrl(), user, password);
    }

    private static String uniqueUrl() {
        return "jdbc:h2:mem:test_" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }

    public String url() {
        return url;
    }

    /** A factory configured with this database's URL only. */
    public JdbcManagedConnectionFactory factory() {
        JdbcManagedConnectionFactory factory = new JdbcManagedConnectionFactory();
        factory.setUrl(url);
        return factory;
    }

    public void execute(String sql) throws SQLException {
        try (Statement statement = observer.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Rows of {@code table} as another session sees them: committed rows only. */
    public int count(String table) throws SQLException {
        try (Statement statement = observer.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public void close() throws SQLException {
        try (Statement statement = observer.createStatement()) {
            statement.execute("SHUTDOWN");
        } finally {
            observer.close();
        }
    }
}
