package org.jdbcpoolra.it.probe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.EJBException;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;

/** Container-managed transactions (REQUIRED) over the pool. */
@Stateless
public class ProbeTransactions {

    private final DataSource dataSource = ProbeResource.lookupPool();

    @Resource
    private SessionContext context;

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
