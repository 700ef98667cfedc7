package org.jdbcpoolra.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ManagedConnection;

import org.jdbcpoolra.outbound.JdbcManagedConnectionFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The handle layer outside any server: the same JDBC work on H2 in memory through the raw driver connection (the
 * floor) and through our handles, side by side in one run. {@code borrowCycle} adds what the adapter does per borrow
 * inside a server: hand out a handle, fire CONNECTION_CLOSED on close, cleanup(). Run with the README's command;
 * {@code -prof gc} reports bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandleBenchmark {
    private static final ConnectionEventListener IGNORE = new ConnectionEventListener() {
        @Override public void connectionClosed(ConnectionEvent event) { }
        @Override public void localTransactionStarted(ConnectionEvent event) { }
        @Override public void localTransactionCommitted(ConnectionEvent event) { }
        @Override public void localTransactionRolledback(ConnectionEvent event) { }
        @Override public void connectionErrorOccurred(ConnectionEvent event) { }
    };

    private Connection raw;
    private ManagedConnection managed;
    private Connection handle;
    /** The same, with PreparedStatementCacheSize on. */
    private ManagedConnection cachingManaged;
    private Connection cachingHandle;

    @Setup(Level.Trial)
    public void open() throws Exception {
        String url = "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1";
        raw = DriverManager.getConnection(url);
        JdbcManagedConnectionFactory factory = new JdbcManagedConnectionFactory();
        factory.setUrl(url);
        factory.createConnectionFactory(new DirectConnectionManager());
        managed = factory.createManagedConnection(null, null);
        managed.addConnectionEventListener(IGNORE);
        handle = (Connection) managed.getConnection(null, null);
        JdbcManagedConnectionFactory caching = new JdbcManagedConnectionFactory();
        caching.setUrl(url);
        caching.setPreparedStatementCacheSize("16");
        caching.createConnectionFactory(new DirectConnectionManager());
        cachingManaged = caching.createManagedConnection(null, null);
        cachingManaged.addConnectionEventListener(IGNORE);
        cachingHandle = (Connection) cachingManaged.getConnection(null, null);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        handle.close();
        managed.destroy();
        cachingHandle.close();
        cachingManaged.destroy();
        raw.close();
    }

    private static int select1(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int prepared(Connection c, int value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ? + 1")) {
            ps.setInt(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Benchmark
    public int rawSelect1() throws SQLException {
        return select1(raw);
    }

    @Benchmark
    public int handleSelect1() throws SQLException {
        return select1(handle);
    }

    @Benchmark
    public int rawPrepared() throws SQLException {
        return prepared(raw, 41);
    }

    @Benchmark
    public int handlePrepared() throws SQLException {
        return prepared(handle, 41);
    }

    @Benchmark
    public int handlePreparedCached() throws SQLException {
        return prepared(cachingHandle, 41);
    }

    /** One borrow as the server drives it: getConnection, SELECT 1, close (CONNECTION_CLOSED), cleanup(). */
    @Benchmark
    public int borrowCycle() throws SQLException, ResourceException {
        Connection c = (Connection) managed.getConnection(null, null);
        int result = select1(c);
        c.close();
        managed.cleanup();
        return result;
    }

    /** Only what a connection manager needs for createConnectionFactory; the benchmark never allocates through it. */
    private static final class DirectConnectionManager implements jakarta.resource.spi.ConnectionManager {
        private static final long serialVersionUID = 1L;

        @Override
        public Object allocateConnection(jakarta.resource.spi.ManagedConnectionFactory mcf,
                jakarta.resource.spi.ConnectionRequestInfo info) {
            throw new UnsupportedOperationException("not used by the benchmark");
        }
    }
}
