package org.jdbcpoolra.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import jakarta.resource.spi.ManagedConnection;

import org.jdbcpoolra.outbound.JdbcManagedConnectionFactory;
import org.jdbcpoolra.support.Script;
import org.jdbcpoolra.support.ScriptedDriver;
import org.jdbcpoolra.support.ScriptedXADataSource;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An XA transaction timed out by the transaction manager while its borrower still works: the reaper ends and rolls
 * the branch back from its own thread, and the driver (pgjdbc, H2) turns autocommit back on as part of its rollback.
 * Nothing the borrower does from then on may commit, and the reaper gets no exception but an XAException.
 */
@DisplayName("XA transaction timeout under a borrower")
class XaTimeoutTest {
    private TestDatabase db;
    private Script script;
    private ManagedConnection mc;
    private final CountDownLatch rolledBack = new CountDownLatch(1);
    private final CountDownLatch borrowerDone = new CountDownLatch(1);
    private final List<Throwable> reaperFailures = new CopyOnWriteArrayList<>();
    private Thread reaper;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE item(id INT)");
        script = ScriptedDriver.script(db.url());
        JdbcManagedConnectionFactory factory = new JdbcManagedConnectionFactory();
        factory.setXADataSourceClass(ScriptedXADataSource.class.getName());
        factory.setUrl(script.url());
        factory.setLoginTimeout("0");
        mc = factory.createManagedConnection(null, null);
    }

    @AfterEach
    void close() throws Exception {
        rolledBack.countDown();
        borrowerDone.countDown();
        mc.destroy();
        db.close();
    }

    record TestXid(int getFormatId, byte[] getGlobalTransactionId, byte[] getBranchQualifier) implements Xid {
    }

    /** A branch begun on this thread with one row inserted, then the reaper's rollback; the borrower's handle. */
    private Connection branchWithOneRow(byte[] gtrid, byte[] bqual) throws Exception {
        XAResource xa = mc.getXAResource();
        Xid xid = new TestXid(4711, gtrid, bqual);
        xa.start(xid, XAResource.TMNOFLAGS);
        Connection handle = (Connection) mc.getConnection(null, null);
        try (Statement s = handle.createStatement()) {
            s.execute("INSERT INTO item VALUES (1)");
        }
        reaperRollsBack(xa, xid);
        return handle;
    }

    private void reaperRollsBack(XAResource xa, Xid xid) throws InterruptedException {
        // Right after the branch was rolled back, however the adapter did it (the driver's rollback, which turns
        // autocommit on, or closing the connection), the borrower runs.
        Script.Hook window = (target, physical, name, args) -> {
            if (target == Script.Target.XA) {
                rolledBack.countDown();
                borrowerDone.await(20, TimeUnit.SECONDS);
            }
        };
        script.after("rollback", window);
        script.after("close", window);
        reaper = new Thread(() -> {
            try {
                xa.end(xid, XAResource.TMFAIL);
            } catch (XAException | RuntimeException e) {
                reaperFailures.add(e);
            }
            try {
                xa.rollback(xid);
            } catch (XAException expected) {
                // an XAException is the transaction manager's business
            } catch (RuntimeException | Error e) {
                reaperFailures.add(e);
            }
        }, "reaper");
        reaper.start();
        assertTrue(rolledBack.await(20, TimeUnit.SECONDS), "the reaper never rolled back");
    }

    @Test
    @DisplayName("A statement the borrower runs while the reaper rolls back commits nothing")
    void borrowerStatementAfterTheRollbackCommitsNothing() throws Exception {
        Connection handle = branchWithOneRow(new byte[] {1}, new byte[] {2});
        try (Statement s = handle.createStatement()) {
            s.execute("INSERT INTO item VALUES (2)");
        } catch (SQLException refused) {
            // refusing is right; committing is not
        }
        assertNothingCommittedOnceTheReaperIsDone();
    }

    @Test
    @DisplayName("The borrower turning autocommit off while the reaper rolls back gives the reaper no unchecked "
            + "exception and commits nothing")
    void borrowerSetAutoCommitDuringTheRollback() throws Exception {
        Connection handle = branchWithOneRow(new byte[] {3}, new byte[] {4});
        try {
            handle.setAutoCommit(false);
            try (Statement s = handle.createStatement()) {
                s.execute("INSERT INTO item VALUES (2)");
            }
            handle.commit();
        } catch (SQLException refused) {
            // refusing is right
        }
        assertNothingCommittedOnceTheReaperIsDone();
    }

    /** Lets the reaper finish its rollback, returns the connection, and checks what the database kept. */
    private void assertNothingCommittedOnceTheReaperIsDone() throws Exception {
        borrowerDone.countDown();
        reaper.join(20_000);
        mc.cleanup();

        assertEquals(0, db.count("item"), "rows committed after the transaction was rolled back");
        assertEquals(List.of(), reaperFailures);
    }
}
