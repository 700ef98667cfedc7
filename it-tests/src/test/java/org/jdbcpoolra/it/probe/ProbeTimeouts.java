package org.jdbcpoolra.it.probe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.transaction.UserTransaction;

/** A transaction with a timeout of its own, so that the server aborts it while its borrower is still at work. */
@Stateless
@TransactionManagement(TransactionManagementType.BEAN)
public class ProbeTimeouts {

    /**
     * Looked up by each bean instance (PostConstruct), as ProbeResource does: a field initializer would also run for
     * a proxy the server derives from this class, and keep the pool it found after the pool is removed.
     */
    private DataSource dataSource;

    @Resource
    private UserTransaction transaction;

    @PostConstruct
    void lookupPool() {
        dataSource = ProbeResource.lookupPool();
    }

    /**
     * Inserts {@code tag-before}, works (sleeps) past the timeout, inserts {@code tag-after}, gives the connection
     * back and commits. Reply "session|outcome of the commit|outcome of the second insert": the commit's outcome (no
     * pipe in it) comes before the insert's, whose SQLException description has pipes of its own.
     */
    public String outliveTimeout(String tag, int timeoutSeconds, long workMillis) throws Exception {
        transaction.setTransactionTimeout(timeoutSeconds);
        transaction.begin();
        int session;
        String after;
        try (Connection c = dataSource.getConnection()) {
            session = ProbeResource.sessionId(c);
            insert(c, tag + "-before");
            Thread.sleep(workMillis);
            try {
                insert(c, tag + "-after");
                after = "inserted";
            } catch (SQLException e) {
                after = ProbeResource.describe(e);
            }
        } finally {
            transaction.setTransactionTimeout(0);
        }
        String commit;
        try {
            transaction.commit();
            commit = "committed";
        } catch (Exception e) {
            commit = (e.getClass().getName() + ": " + e.getMessage()).replace('|', '/');
        }
        return session + "|" + commit + "|" + after;
    }

    private static void insert(Connection c, String tag) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO probe_rows (tag) VALUES (?)")) {
            insert.setString(1, tag);
            insert.executeUpdate();
        }
    }
}
