package org.jdbcpoolra.it.probe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.EJBException;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;

/** Container-managed transactions (REQUIRED) over the pool. */
@Stateless
public class ProbeTransactions {

    /**
     * Looked up by each bean instance (PostConstruct), as ProbeResource does: a field initializer would also run for
     * a proxy the server derives from this class, and keep the pool it found after the pool is removed.
     */
    private DataSource dataSource;

    @Resource
    private SessionContext context;

    @PostConstruct
    void lookupPool() {
        dataSource = ProbeResource.lookupPool();
    }

    public void insert(String tag) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO probe_rows (tag) VALUES (?)")) {
            insert.setString(1, tag);
            insert.executeUpdate();
        }
    }

    public void insertThenSetRollbackOnly(String tag) throws SQLException {
        insert(tag);
        context.setRollbackOnly();
    }

    public void insertThenFail(String tag) throws SQLException {
        insert(tag);
        throw new EJBException("failing after the insert on purpose");
    }

    /** All rows or none: a fault between two inserts must leave no partial transaction behind. */
    public void insertRows(String tag, int rows, long pauseMillis) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO probe_rows (tag) VALUES (?)")) {
            for (int i = 0; i < rows; i++) {
                insert.setString(1, tag);
                insert.executeUpdate();
                Thread.sleep(pauseMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EJBException(e);
        }
    }

    /**
     * {@link #insertRows} in one container transaction, then the end the caller asks for: {@code commit} (the
     * container commits when the method returns), {@code rollback-only} (setRollbackOnly) or {@code exception} (a
     * system exception, which rolls back). {@code inserted} is set once every insert ran, so the caller can tell a
     * rollback before the commit (inserts failed) from a commit that failed (whose outcome the database alone knows).
     * A failed insert ends the call with a system exception, so the container rolls back whatever the error (an
     * SQLException thrown on would be an application exception, after which the container commits).
     */
    public void insertRowsThen(String tag, int rows, long pauseMillis, String end, AtomicBoolean inserted) {
        try {
            insertRows(tag, rows, pauseMillis);
        } catch (SQLException e) {
            throw new EJBException(e);
        }
        inserted.set(true);
        switch (end) {
            case "commit" -> { }
            case "rollback-only" -> context.setRollbackOnly();
            case "exception" -> throw new EJBException("failing after the inserts on purpose");
            default -> throw new IllegalArgumentException("end: commit, rollback-only or exception, not " + end);
        }
    }

    /** The classic leak: a connection taken and never closed. The server must take it back and say where. */
    public String leakConnection() throws SQLException {
        Connection forgotten = dataSource.getConnection();
        return String.valueOf(ProbeResource.sessionId(forgotten));
    }

    /** Two getConnection calls in one transaction: "session1,session2". */
    public String twoConnections() throws SQLException {
        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
            return ProbeResource.sessionId(first) + "," + ProbeResource.sessionId(second) + ","
                    + (first == second);
        }
    }

    /** commit(), rollback() and setAutoCommit(true) inside the container's transaction, one result a line. */
    public String forbiddenCalls() throws SQLException {
        StringBuilder out = new StringBuilder();
        try (Connection c = dataSource.getConnection()) {
            out.append("autocommit=").append(c.getAutoCommit()).append('\n');
            try {
                c.commit();
                out.append("commit: no exception\n");
            } catch (SQLException e) {
                out.append("commit: ").append(ProbeResource.describe(e)).append('\n');
            }
            try {
                c.rollback();
                out.append("rollback: no exception\n");
            } catch (SQLException e) {
                out.append("rollback: ").append(ProbeResource.describe(e)).append('\n');
            }
            try {
                c.setAutoCommit(true);
                out.append("setAutoCommit(true): no exception\n");
            } catch (SQLException e) {
                out.append("setAutoCommit(true): ").append(ProbeResource.describe(e)).append('\n');
            }
        }
        return out.toString();
    }
}
