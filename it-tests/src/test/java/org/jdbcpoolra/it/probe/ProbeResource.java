package org.jdbcpoolra.it.probe;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A separate deployment that uses the pool by its global JNDI name (which differs per server, so it is packaged in
 * probe.properties by the test). Its endpoints run outside transactions (a plain CDI bean), so pool limits are not
 * hidden by transaction-scoped connection sharing. Looking the pool up instead of injecting it also means the probe
 * does not pin the pool: a test can undeploy the pool while the probe stays deployed.
 */
@RequestScoped
@Path("/probe")
@Produces(MediaType.TEXT_PLAIN)
public class ProbeResource {
    private static final java.util.Properties SETTINGS = settings();
    /** The database's own session id (differs per database, so the test packages it in probe.properties). */
    static final String SESSION_ID = SETTINGS.getProperty("session.sql");

    /** A statement a borrower "forgot"; the next request checks that the pool closed it. */
    private static volatile Statement leaked;
    /** What a borrower kept from the driver past its borrow (a LOB, an array, a refcursor's result set). */
    private static volatile Object kept;

    /**
     * Looked up for each request's instance (PostConstruct), not in a field initializer: the CDI container's client
     * proxy of this bean is a subclass instance that lives as long as the deployment, and an initializer would run
     * for it too, pinning the pool it found then (and with it the adapter's class loader) after the pool is removed.
     */
    private DataSource dataSource;

    @EJB
    private ProbeTransactions transactions;

    @EJB
    private ProbeTimeouts timeouts;

    @PostConstruct
    void lookupPoolForThisRequest() {
        dataSource = lookupPool();
    }

    /** A value the test packaged into probe.properties. */
    static String setting(String name) {
        return SETTINGS.getProperty(name);
    }

    private static java.util.Properties settings() {
        try (var in = ProbeResource.class.getResourceAsStream("/probe.properties")) {
            java.util.Properties properties = new java.util.Properties();
            properties.load(in);
            return properties;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("probe cannot read probe.properties", e);
        }
    }

    static DataSource lookupPool() {
        try {
            return (DataSource) new InitialContext().lookup(SETTINGS.getProperty("jndi"));
        } catch (NamingException e) {
            throw new IllegalStateException("probe cannot find the pool", e);
        }
    }

    static String describe(Throwable e) {
        String state = e instanceof SQLException sql ? sql.getSQLState() : null;
        return e.getClass().getName() + "|" + state + "|" + e.getMessage();
    }

    static int sessionId(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SESSION_ID)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @GET
    @Path("/session")
    public String session() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return String.valueOf(sessionId(c));
        }
    }

    /**
     * One borrower: its session, then the first column of the first row of {@code sql} (empty without rows).
     * Reply "session|value", or 503 "session|exception|SQLState|message" when the statement fails.
     */
    @GET
    @Path("/value")
    public Response value(@QueryParam("sql") String sql) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            int session = sessionId(c);
            try (Statement s = c.createStatement()) {
                String value = "";
                if (s.execute(sql)) {
                    try (ResultSet rs = s.getResultSet()) {
                        value = rs.next() ? String.valueOf(rs.getString(1)) : "";
                    }
                }
                return Response.ok(session + "|" + value).build();
            } catch (SQLException e) {
                return Response.status(503).entity(session + "|" + describe(e)).build();
            }
        }
    }

    /** Which class the injected pool hands out: proves the reference reached our adapter, not a default one. */
    @GET
    @Path("/handle-class")
    public String handleClass() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.getClass().getName();
        }
    }

    @GET
    @Path("/lookup")
    public String lookup(@QueryParam("name") String name) throws NamingException, SQLException {
        DataSource looked = (DataSource) new InitialContext().lookup(name);
        try (Connection c = looked.getConnection()) {
            return sessionId(c) + "|" + looked.getClass().getName() + "|" + c.getClass().getName();
        }
    }

    /** Borrows, holds the connection for a while, returns it. Reply: "ok|borrowMillis" or 503 "borrowMillis|error". */
    @POST
    @Path("/hold")
    public Response hold(@QueryParam("millis") long millis) {
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            long waited = (System.nanoTime() - start) / 1_000_000;
            sessionId(c);
            Thread.sleep(millis);
            return Response.ok("ok|" + waited + "|" + sessionId(c)).build();
        } catch (SQLException e) {
            long waited = (System.nanoTime() - start) / 1_000_000;
            return Response.status(503).entity(waited + "|" + describe(e)).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Response.serverError().build();
        }
    }

    /**
     * A borrower in a transaction for {@code millis}: behind a transaction pooler it holds a server session all that
     * time (outside a transaction it would hold one only per statement). "ok", or 503 with why it failed.
     */
    @POST
    @Path("/hold-transaction")
    public Response holdTransaction(@QueryParam("millis") long millis) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            scalar(c, "SELECT 1");
            Thread.sleep(millis);
            c.commit();
            return Response.ok("ok").build();
        } catch (SQLException e) {
            return Response.status(503).entity(describe(e)).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Response.serverError().build();
        }
    }

    /** A borrower that asks for another isolation level through JDBC: "ok|level it then has", or 503 why not. */
    @POST
    @Path("/isolation")
    public Response isolation(@QueryParam("level") int level) {
        try (Connection c = dataSource.getConnection()) {
            c.setTransactionIsolation(level);
            return Response.ok("ok|" + c.getTransactionIsolation()).build();
        } catch (SQLException e) {
            return Response.status(503).entity(describe(e)).build();
        }
    }

    /** A careless borrower: changes settings, leaves work uncommitted and a statement open. Returns its session. */
    @POST
    @Path("/dirty")
    public String dirty(@QueryParam("tag") String tag) throws SQLException {
        Connection c = dataSource.getConnection();
        int session = sessionId(c);
        // Isolation first: H2, like some other drivers, commits an open transaction when the isolation changes.
        c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO probe_rows (tag) VALUES (?)")) {
            insert.setString(1, tag);
            insert.executeUpdate();
        }
        try {
            c.setReadOnly(true);
        } catch (SQLException refusedInsideTransaction) {
            // PostgreSQL refuses to change read-only inside a transaction; the other changes still count.
        }
        leaked = c.createStatement();
        leaked.executeQuery("SELECT 1");
        c.close();
        return String.valueOf(session);
    }

    /**
     * A borrower that makes its connection read-only and gives it back so; returns its session and what the
     * database itself says of read-only ({@code sql}) inside a transaction of that borrower (drivers such as
     * pgjdbc apply read-only to transactions only).
     */
    @POST
    @Path("/read-only")
    public String readOnly(@QueryParam("sql") String sql) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            c.setAutoCommit(false);
            return sessionId(c) + "|" + scalar(c, sql);
        }
    }

    /** What the database says of read-only ({@code sql}) to the next borrower of the given session. */
    @GET
    @Path("/read-only")
    public String readOnlySeenNext(@QueryParam("session") int session, @QueryParam("sql") String sql)
            throws SQLException {
        return holdingSession(session, c -> {
            c.setAutoCommit(false);
            return scalar(c, sql);
        });
    }

    /**
     * A borrower that gets an object from the driver (kind: blob, clob, nclob, sqlxml, array, or object for
     * getObject), uses it, keeps it
     * past its borrow and gives the connection back; returns its session, the object's class and what using it gave.
     * Runs in a transaction (PostgreSQL's large objects and refcursors need one); {@code setup} runs first in it.
     */
    @POST
    @Path("/keep")
    public Response keep(@QueryParam("kind") String kind, @QueryParam("setup") String setup,
            @QueryParam("sql") String sql) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (setup != null && !setup.isEmpty()) {
                try (Statement s = c.createStatement()) {
                    s.execute(setup);
                }
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                Object value = switch (kind) {
                    case "blob" -> rs.getBlob(1);
                    case "clob" -> rs.getClob(1);
                    case "nclob" -> rs.getNClob(1);
                    case "sqlxml" -> rs.getSQLXML(1);
                    case "array" -> rs.getArray(1);
                    default -> rs.getObject(1);
                };
                String used = use(value);
                kept = value;
                return Response.ok(sessionId(c) + "|" + value.getClass().getName() + "|" + used).build();
            }
        } catch (SQLException e) {
            return Response.status(503).entity(describe(e)).build();
        }
    }

    /**
     * Holds the connection of the given session (as its next borrower, inside a transaction) and meanwhile uses the
     * object the earlier borrower kept: what that use gave, then whether the holder's connection still works.
     */
    @GET
    @Path("/keep")
    public String useKept(@QueryParam("session") int session) throws SQLException {
        return holdingSession(session, c -> {
            c.setAutoCommit(false);
            String outcome;
            try {
                outcome = "used:" + use(kept);
            } catch (SQLException e) {
                outcome = describe(e);
            }
            return outcome + "\nholder:" + scalar(c, "SELECT 1");
        });
    }

    private static String use(Object value) throws SQLException {
        if (value instanceof java.sql.Blob blob) {
            return String.valueOf(blob.length());
        }
        if (value instanceof java.sql.Clob clob) {
            return String.valueOf(clob.length());
        }
        if (value instanceof java.sql.SQLXML xml) {
            return xml.getString();
        }
        if (value instanceof java.sql.Array array) {
            return String.valueOf(((Object[]) array.getArray()).length);
        }
        if (value instanceof ResultSet rs) {
            int rows = 0;
            while (rs.next()) {
                rows++;
            }
            return String.valueOf(rows);
        }
        return String.valueOf(value);
    }

    interface SessionAction {
        String run(Connection c) throws SQLException;
    }

    /**
     * Borrows connections (holding them) until it holds the one with the given session, then runs the action on it as
     * that session's next borrower; gives them all back after.
     */
    private String holdingSession(int session, SessionAction action) throws SQLException {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                Connection c = dataSource.getConnection();
                held.add(c);
                if (sessionId(c) == session) {
                    return action.run(c);
                }
            }
            return "session " + session + " not found among " + held.size() + " connections";
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    /**
     * Borrows connections (holding them) until it holds the one with the given session, then reports that
     * connection's state as the next borrower sees it.
     */
    @GET
    @Path("/state")
    public String state(@QueryParam("session") int session, @QueryParam("tag") String tag) throws SQLException {
        return holdingSession(session, c -> {
            int rows;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM probe_rows WHERE tag = ?")) {
                ps.setString(1, tag);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    rows = rs.getInt(1);
                }
            }
            return "autocommit=" + c.getAutoCommit() + ";readonly=" + c.isReadOnly() + ";isolation="
                    + c.getTransactionIsolation() + ";rows=" + rows + ";leakedClosed=" + leaked.isClosed();
        });
    }

    /** Uses a connection and one of its statements after closing the connection. */
    @GET
    @Path("/use-after-close")
    public String useAfterClose() throws SQLException {
        Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        c.close();
        String statement;
        try {
            s.executeQuery("SELECT 1");
            statement = "no exception";
        } catch (SQLException e) {
            statement = describe(e);
        }
        String connection;
        try {
            c.createStatement();
            connection = "no exception";
        } catch (SQLException e) {
            connection = describe(e);
        }
        return connection + "\n" + statement + "\nclosed=" + c.isClosed() + "\nstatementClosed=" + s.isClosed();
    }

    /**
     * One borrower running one statement. Reply "ok|millis" or 503 "millis|error", where millis is the whole time
     * from getConnection to close.
     */
    @POST
    @Path("/query")
    public Response query(@QueryParam("sql") String sql) {
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
            return Response.ok("ok|" + (System.nanoTime() - start) / 1_000_000).build();
        } catch (SQLException e) {
            return Response.status(503).entity((System.nanoTime() - start) / 1_000_000 + "|" + describe(e)).build();
        }
    }

    /** One borrower preparing and running one statement (the statement cache's case): "ok" or 503 "error". */
    @POST
    @Path("/prepared")
    public Response prepared(@QueryParam("sql") String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
            return Response.ok("ok").build();
        } catch (SQLException e) {
            return Response.status(503).entity(describe(e)).build();
        }
    }

    /** An EJB call that inserts rows one by one in one transaction; "ok" or 503 with why it rolled back (the chain). */
    @POST
    @Path("/tx/rows")
    public Response txRows(@QueryParam("tag") String tag, @QueryParam("rows") int rows,
            @QueryParam("pauseMillis") long pauseMillis) {
        try {
            transactions.insertRows(tag, rows, pauseMillis);
            return Response.ok("ok").build();
        } catch (SQLException | RuntimeException e) {
            return Response.status(503).entity(ProbeFailures.chain(e)).build();
        }
    }

    /**
     * An EJB call inserting {@code rows} rows in one container transaction that ends as {@code end} asks
     * (ProbeTransactions.insertRowsThen). The reply says what the server reported: 200 "committed" or, for the ends
     * that roll back, 200 "rolled back" (every insert ran, the rollback was asked for); 503 "rolled back|error" when
     * an insert failed (the container rolled back before any commit); 503 "commit failed|error" when every insert ran
     * and the commit itself failed (then only the database knows whether it committed).
     */
    @POST
    @Path("/tx/outcome")
    public Response txOutcome(@QueryParam("tag") String tag, @QueryParam("rows") int rows,
            @QueryParam("pauseMillis") long pauseMillis, @QueryParam("end") String end) {
        AtomicBoolean inserted = new AtomicBoolean();
        try {
            transactions.insertRowsThen(tag, rows, pauseMillis, end, inserted);
            return Response.ok("commit".equals(end) ? "committed" : "rolled back").build();
        } catch (RuntimeException e) {
            // The database's error, where there is one, rather than the container's wrapping of it.
            Throwable cause = e;
            while (!(cause instanceof SQLException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (!(cause instanceof SQLException)) {
                cause = e;
            }
            if (!inserted.get()) {
                return Response.status(503).entity("rolled back|" + describe(cause)).build();
            }
            if ("exception".equals(end)) {
                return Response.ok("rolled back").build();
            }
            return Response.status(503).entity(("commit".equals(end) ? "commit failed|" : "rolled back|")
                    + describe(cause)).build();
        }
    }

    /** A transaction that times out while its borrower works: "session|second insert|commit". */
    @POST
    @Path("/tx/timeout")
    public String txTimeout(@QueryParam("tag") String tag, @QueryParam("timeout") int timeoutSeconds,
            @QueryParam("workMillis") long workMillis) throws Exception {
        return timeouts.outliveTimeout(tag, timeoutSeconds, workMillis);
    }

    /** An EJB call that takes a connection and never closes it. */
    @POST
    @Path("/tx/leak")
    public String txLeak() throws SQLException {
        return transactions.leakConnection();
    }

    /**
     * Looks a pool up by its global name and borrows from it, as an application would: "ok|session", or 503 with
     * every message of the failure's cause chain (what a user would find in the stack trace), one per line.
     */
    @POST
    @Path("/borrow")
    public Response borrow(@QueryParam("name") String name) {
        try {
            DataSource looked = (DataSource) new InitialContext().lookup(name);
            try (Connection c = looked.getConnection()) {
                return Response.ok("ok|" + sessionId(c)).build();
            }
        } catch (NamingException | SQLException | RuntimeException e) {
            StringBuilder chain = new StringBuilder();
            // NamingException.getCause() is its root cause, so one walk covers lookup and borrow failures.
            for (Throwable t = e; t != null && chain.length() < 20_000; t = t.getCause()) {
                chain.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
            }
            return Response.status(503).entity(chain.toString()).build();
        }
    }

    @POST
    @Path("/tx/commit")
    public String txCommit(@QueryParam("tag") String tag) throws SQLException {
        transactions.insert(tag);
        return "ok";
    }

    @POST
    @Path("/tx/rollback-only")
    public String txRollbackOnly(@QueryParam("tag") String tag) throws SQLException {
        transactions.insertThenSetRollbackOnly(tag);
        return "ok";
    }

    @POST
    @Path("/tx/exception")
    public String txException(@QueryParam("tag") String tag) throws SQLException {
        try {
            transactions.insertThenFail(tag);
            return "no exception";
        } catch (RuntimeException e) {
            return "rolled back: " + e.getClass().getName();
        }
    }

    @GET
    @Path("/tx/shared")
    public String txShared() throws SQLException {
        return transactions.twoConnections();
    }

    @GET
    @Path("/tx/forbidden")
    public String txForbidden() throws SQLException {
        return transactions.forbiddenCalls();
    }
}
