package org.jdbcpoolra.it.probe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.transaction.UserTransaction;

/** An XA transaction over both databases with a timeout of its own, outlived by its borrower. */
@Stateless
@TransactionManagement(TransactionManagementType.BEAN)
public class XaTimeouts {

    @Resource
    private UserTransaction transaction;

    /**
     * A row in each database, work (a sleep) past the timeout, a second row in each, then commit. Reply "outcome of
     * the second rows|outcome of the commit".
     */
    public String outliveTimeout(String tag, int timeoutSeconds, long workMillis) throws Exception {
        DataSource first = lookup(ProbeResource.setting("xa.first"));
        DataSource second = lookup(ProbeResource.setting("xa.second"));
        transaction.setTransactionTimeout(timeoutSeconds);
        transaction.begin();
        String after;
        try (Connection a = first.getConnection(); Connection b = second.getConnection()) {
            insert(a, tag);
            insert(b, tag);
            Thread.sleep(workMillis);
            try {
                insert(a, tag + "-after");
                insert(b, tag + "-after");
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
            commit = e.getClass().getName() + ": " + e.getMessage();
        }
        return after + "|" + commit;
    }

    private static DataSource lookup(String name) throws NamingException {
        return (DataSource) new InitialContext().lookup(name);
    }

    private static void insert(Connection c, String tag) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO probe_rows (tag) VALUES (?)")) {
            insert.setString(1, tag);
            insert.executeUpdate();
        }
    }
}
