package org.jdbcpoolra.it.probe;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.EJBException;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.transaction.TransactionManager;

/**
 * Container-managed transactions over two XA connection definitions of our adapter, each on its own database
 * (probe.properties: xa.first is PostgreSQL, xa.second MariaDB), so every commit is a two-phase commit.
 */
@Stateless
public class XaProbe {
    private final DataSource first = lookup(ProbeResource.setting("xa.first"));
    private final DataSource second = lookup(ProbeResource.setting("xa.second"));

    @Resource
    private SessionContext context;

    private static <T> T lookup(String name) {
        try {
            @SuppressWarnings("unchecked")
            T found = (T) new InitialContext().lookup(name);
            return found;
        } catch (NamingException e) {
            throw new IllegalStateException("the XA probe cannot find " + name, e);
        }
    }

    /** One row in each database, then the outcome: commit, rollback-only or exception. */
    public void writeBoth(String tag, String outcome) throws SQLException {
        insert(first, tag);
        insert(second, tag);
        switch (outcome) {
            case "commit" -> { }
            case "rollback-only" -> context.setRollbackOnly();
            case "exception" -> throw new EJBException("failing after both writes on purpose");
            default -> throw new IllegalArgumentException(outcome);
        }
    }

    /**
     * A row in the second database, then in the first a duplicate that breaks a deferred unique constraint: the
     * first database refuses to prepare, and the transaction manager must roll the second back too.
     */
    public void failAtPrepare(String tag, int id) throws SQLException {
        insert(second, tag);
        try (Connection c = first.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO xa_deferred (id) VALUES (?)")) {
            insert.setInt(1, id);
            insert.executeUpdate();
            insert.executeUpdate();
        }
        insert(first, tag);
    }

    /**
     * Writes both rows in a transaction that also holds a resource which halts the server in the commit phase,
     * after every branch is prepared and the decision is logged: the crash the recovery must repair.
     */
    public void crashWhileCommitting(String tag, String marker) throws Exception {
        TransactionManager tm = lookup(ProbeResource.setting("transaction-manager"));
        tm.getTransaction().enlistResource(new HaltingXAResource(Path.of(marker)));
        insert(first, tag);
        insert(second, tag);
    }

    /**
     * Borrows from one XA pool inside a transaction and holds the connection; returns "waitedMillis|session", the
     * database's id of the session it got.
     */
    public String hold(String which, long millis) throws SQLException, InterruptedException {
        long start = System.nanoTime();
        try (Connection c = ("first".equals(which) ? first : second).getConnection();
                PreparedStatement select = c.prepareStatement(ProbeResource.setting("xa." + which + ".session.sql"));
                java.sql.ResultSet session = select.executeQuery()) {
            long waited = (System.nanoTime() - start) / 1_000_000;
            session.next();
            Thread.sleep(millis);
            return waited + "|" + session.getString(1);
        }
    }

    private static void insert(DataSource dataSource, String tag) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO probe_rows (tag) VALUES (?)")) {
            insert.setString(1, tag);
            insert.executeUpdate();
        }
    }
}
