package org.jdbcpoolra.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import jakarta.resource.NotSupportedException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;

import org.jdbcpoolra.outbound.JdbcManagedConnectionFactory;
import org.jdbcpoolra.spi.StandardFatalErrorClassifier;
import org.jdbcpoolra.support.RecordingListener;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * XA through H2's own XADataSource, driven the way a transaction manager drives it: branches start and end on the
 * XAResource the managed connection gives out, the work goes through our handles, and an independent session counts
 * what is committed.
 */
@DisplayName("XA transactions")
class XATransactionTest {
    private TestDatabase db;
    private JdbcManagedConnectionFactory factory;
    private final List<ManagedConnection> opened = new ArrayList<>();
    private final List<Connection> physicals = new ArrayList<>();
    private int nextXid;

    record TestXid(int formatId, byte[] globalTransactionId, byte[] branchQualifier) implements Xid {
        @Override
        public int getFormatId() {
            return formatId;
        }

        @Override
        public byte[] getGlobalTransactionId() {
            return globalTransactionId;
        }

        @Override
        public byte[] getBranchQualifier() {
            return branchQualifier;
        }
    }

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE item(id INT PRIMARY KEY)");
        factory = new JdbcManagedConnectionFactory();
        factory.setXADataSourceClass("org.h2.jdbcx.JdbcDataSource");
        factory.setUrl(db.url());
    }

    @AfterEach
    void close() throws Exception {
        for (ManagedConnection mc : opened) {
            mc.destroy();
        }
        for (Connection physical : physicals) {
            physical.close();
        }
        db.close();
    }

    private ManagedConnection managed() throws Exception {
        ManagedConnection mc = factory.createManagedConnection(null, null);
        opened.add(mc);
        return mc;
    }

    private Xid xid() {
        int n = ++nextXid;
        return new TestXid(4711, new byte[] {(byte) n, 1}, new byte[] {(byte) n, 2});
    }

    private static void insert(Connection c, int id) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO item VALUES (?)")) {
            insert.setInt(1, id);
            insert.executeUpdate();
        }
    }

    @Test
    @DisplayName("An XADataSourceClass makes the connection definition XA by default")
    void xaDataSourceMeansXaSupport() {
        assertEquals(TransactionSupportLevel.XATransaction, factory.getTransactionSupport());
        factory.setTransactionSupportLevel("LocalTransaction");
        assertEquals(TransactionSupportLevel.LocalTransaction, factory.getTransactionSupport());
    }

    @Test
    @DisplayName("Two-phase commit: prepared work becomes visible on commit, and autocommit is back afterwards")
    void twoPhaseCommitCommits() throws Exception {
        ManagedConnection mc = managed();
        XAResource xa = mc.getXAResource();
        Connection c = (Connection) mc.getConnection(null, null);
        Xid xid = xid();

        xa.start(xid, XAResource.TMNOFLAGS);
        insert(c, 1);
        xa.end(xid, XAResource.TMSUCCESS);
        assertEquals(0, db.count("item"), "nothing is visible before the commit");
        assertEquals(XAResource.XA_OK, xa.prepare(xid));
        xa.commit(xid, false);

        assertEquals(1, db.count("item"));
        assertTrue(c.getAutoCommit(), "autocommit is restored when the branch is done");
        insert(c, 2);
        assertEquals(2, db.count("item"), "work after the branch commits by itself");
    }

    @Test
    @DisplayName("Rollback of a branch leaves nothing behind")
    void rollbackDiscards() throws Exception {
        ManagedConnection mc = managed();
        XAResource xa = mc.getXAResource();
        Connection c = (Connection) mc.getConnection(null, null);
        Xid xid = xid();

        xa.start(xid, XAResource.TMNOFLAGS);
        insert(c, 1);
        xa.end(xid, XAResource.TMFAIL);
        xa.rollback(xid);

        assertEquals(0, db.count("item"));
        assertTrue(c.getAutoCommit());
    }

    @Test
    @DisplayName("Inside a branch a handle may not commit, roll back or switch autocommit on; outside it may")
    void handlesCannotEndAGlobalTransaction() throws Exception {
        ManagedConnection mc = managed();
        XAResource xa = mc.getXAResource();
        Connection c = (Connection) mc.getConnection(null, null);
        Xid xid = xid();

        xa.start(xid, XAResource.TMNOFLAGS);
        insert(c, 1);
        assertEquals("25000", assertThrows(SQLException.class, c::commit).getSQLState());
        assertEquals("25000", assertThrows(SQLException.class, c::rollback).getSQLState());
        assertEquals("25000", assertThrows(SQLException.class, () -> c.setAutoCommit(true)).getSQLState());
        xa.end(xid, XAResource.TMSUCCESS);
        xa.commit(xid, true);
        assertEquals(1, db.count("item"));

        c.setAutoCommit(false);
        insert(c, 2);
        c.commit();
        assertEquals(2, db.count("item"), "a local transaction on the same connection definition");
    }

    @Test
    @DisplayName("A branch prepared by a connection that is gone is found by recover() on a new one and committed")
    void recoveryCommitsAPreparedBranch() throws Exception {
        ManagedConnection crashed = managed();
        XAResource xa = crashed.getXAResource();
        Connection c = (Connection) crashed.getConnection(null, null);
        Xid xid = xid();
        xa.start(xid, XAResource.TMNOFLAGS);
        insert(c, 1);
        xa.end(xid, XAResource.TMSUCCESS);
        xa.prepare(xid);

        // What the server's recovery does: a managed connection with no request info, recover, then commit.
        XAResource recovery = managed().getXAResource();
        Xid[] inDoubt = recovery.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
        assertEquals(1, inDoubt.length);
        assertArrayEquals(xid.getGlobalTransactionId(), inDoubt[0].getGlobalTransactionId());
        recovery.commit(inDoubt[0], false);

        assertEquals(1, db.count("item"));
        assertEquals(0, recovery.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length);
    }

    @Test
    @DisplayName("isSameRM compares the drivers' resources, not our wrappers (H2 answers true only for its own)")
    void sameRmComparesTheDrivers() throws Exception {
        XAResource one = managed().getXAResource();
        assertTrue(one.isSameRM(one), "the wrapper is unwrapped before the driver compares");
        assertSame(one, opened.get(0).getXAResource(), "one XAResource per managed connection");
    }

    /** What the transaction logic reports, as the managed connection would turn it into connection events. */
    private static final class RecordingEvents implements TransactionEvents {
        final List<Exception> broken = new ArrayList<>();

        @Override public void localTransactionStarted() { }
        @Override public void localTransactionCommitted() { }
        @Override public void localTransactionRolledBack() { }
        @Override public void broken(Exception cause) { broken.add(cause); }
        @Override public boolean borrowed() { return false; }
        @Override public void abortedUnderBorrower() { }
        @Override public void takeHandlesBack() { }
        @Override public void closePhysical() { }
    }

    /** The transaction logic of a fresh connection to the test database, reporting to {@code events}. */
    private TransactionControl control(RecordingEvents events) throws SQLException {
        Connection physical = DriverManager.getConnection(db.url());
        physicals.add(physical);
        return new TransactionControl("pool", physical, new StandardFatalErrorClassifier(), events,
                java.time.Duration.ofSeconds(10));
    }

    @Test
    @DisplayName("A branch that cannot start breaks the connection (CONNECTION_ERROR_OCCURRED), so the server "
            + "destroys it")
    void startFailureIsFatal() throws Exception {
        RecordingEvents events = new RecordingEvents();
        TransactionControl control = control(events);
        XAResource xa = new JdbcXAResource(control, failing(XAException.XAER_PROTO), events);

        XAException e = assertThrows(XAException.class, () -> xa.start(xid(), XAResource.TMNOFLAGS));

        assertEquals(XAException.XAER_PROTO, e.errorCode);
        assertEquals(List.of(e), events.broken);
        assertEquals(ConnectionState.BROKEN, control.state());
    }

    @Test
    @DisplayName("A branch that fails to prepare gets its connection destroyed too")
    void prepareFailureIsFatal() throws Exception {
        RecordingEvents events = new RecordingEvents();

        assertThrows(XAException.class, () -> new JdbcXAResource(control(events), failing(XAException.XAER_RMERR),
                events).prepare(xid()));
        assertEquals(1, events.broken.size());
    }

    @Test
    @DisplayName("A failed resource manager is fatal; a branch the database rolled back is not")
    void onlyResourceManagerFailuresAreFatal() throws Exception {
        RecordingEvents events = new RecordingEvents();
        TransactionControl control = control(events);

        assertThrows(XAException.class, () -> new JdbcXAResource(control, failing(XAException.XA_RBINTEGRITY),
                events).commit(xid(), false));
        assertEquals(0, events.broken.size());

        assertThrows(XAException.class, () -> new JdbcXAResource(control, failing(XAException.XAER_RMFAIL),
                events).rollback(xid()));
        assertEquals(1, events.broken.size());
    }

    @Test
    @DisplayName("Through the managed connection, a branch that cannot start reaches the server as "
            + "CONNECTION_ERROR_OCCURRED")
    void startFailureReachesTheServer() throws Exception {
        ManagedConnection mc = managed();
        RecordingListener listener = new RecordingListener();
        mc.addConnectionEventListener(listener);
        XAResource xa = mc.getXAResource();
        Xid xid = xid();
        xa.start(xid, XAResource.TMNOFLAGS);

        assertThrows(XAException.class, () -> xa.start(xid, XAResource.TMNOFLAGS), "a branch started twice");

        assertEquals(1, listener.ofType(ConnectionEvent.CONNECTION_ERROR_OCCURRED).size());
    }

    @Test
    @DisplayName("A local connection definition has no XAResource, and says why")
    void localDefinitionHasNoXaResource() throws Exception {
        factory = db.factory();
        NotSupportedException e = assertThrows(NotSupportedException.class, () -> managed().getXAResource());
        assertTrue(e.getMessage().contains("XADataSourceClass"), e.getMessage());
    }

    /** A driver XAResource whose every branch operation fails with the given XA error code. */
    private static XAResource failing(int errorCode) {
        return new XAResource() {
            private XAException failure() {
                return new XAException(errorCode);
            }

            @Override public void start(Xid xid, int flags) throws XAException { throw failure(); }
            @Override public void end(Xid xid, int flags) throws XAException { throw failure(); }
            @Override public int prepare(Xid xid) throws XAException { throw failure(); }
            @Override public void commit(Xid xid, boolean onePhase) throws XAException { throw failure(); }
            @Override public void rollback(Xid xid) throws XAException { throw failure(); }
            @Override public void forget(Xid xid) throws XAException { throw failure(); }
            @Override public Xid[] recover(int flag) throws XAException { throw failure(); }
            @Override public boolean isSameRM(XAResource other) { return false; }
            @Override public int getTransactionTimeout() { return 0; }
            @Override public boolean setTransactionTimeout(int seconds) { return false; }
        };
    }
}
