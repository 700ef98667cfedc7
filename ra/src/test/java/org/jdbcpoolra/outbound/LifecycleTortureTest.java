package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;

import org.jdbcpoolra.JdbcResourceAdapter;
import org.jdbcpoolra.support.InjectedFaults;
import org.jdbcpoolra.support.MiniServer;
import org.jdbcpoolra.support.Script;
import org.jdbcpoolra.support.ScriptedDriver;
import org.jdbcpoolra.support.ScriptedXADataSource;
import org.jdbcpoolra.support.ServerBootstrap;
import org.jdbcpoolra.support.TestDatabase;
import org.jdbcpoolra.tx.ConnectionState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every party that touches a managed connection, at once, on the same few connections, over a driver that fails
 * anywhere ({@link InjectedFaults}): borrowers in autocommit, in the container's transaction, in their own local
 * transaction and in XA branches; the server's validation and matching; the adapter's own background work on its
 * timer (renewals every second, keepalive checks every second) and more of it from another thread; a reaper rolling
 * transactions back from its own thread under working borrowers (local and XA); a destroyer destroying connections in
 * any state, as a leak reclaim does; and in a second phase the adapter stopped under all of that. Checked throughout
 * and afterwards:
 * <ul>
 * <li>never two owners: no adapter check overlaps any other call on a physical connection (the driver records every
 * overlap and the role of each thread);</li>
 * <li>nothing stuck: every party finishes, and once the borrowers stop every connection is idle, broken or
 * destroyed within one validation;</li>
 * <li>no physical connection left open that the pool forgot: after the adapter stopped and the server destroyed what
 * it had, the driver counts none open;</li>
 * <li>settings restored: every connection lent outside a transaction is in autocommit with the pool's isolation and
 * network timeout (a validation query sets its own and puts it back, a borrower's are reset);</li>
 * <li>the pool never holds more physical connections than the server's max and one renewal;</li>
 * <li>no statement committed after its transaction's rollback, and none a borrower was told committed lost: rows
 * counted per transaction in the database.</li>
 * </ul>
 * Bounded for the build: {@code -Dtorture.seconds} (default 12) for the first phase.
 */
@DisplayName("Lifecycle torture: every party at once on the same connections, over a driver that fails anywhere")
class LifecycleTortureTest {
    private static final long SECONDS = Long.getLong("torture.seconds", 12);
    private static final int NETWORK_TIMEOUT_MILLIS = 5000;
    private static final int LOCAL_MAX = 4;
    private static final Set<String> MAY_MEET_A_BORROWER = Set.of("reaper", "destroyer", "stopper");

    private TestDatabase db;
    private final ServerBootstrap bootstrap = new ServerBootstrap();
    private final InjectedFaults faults = new InjectedFaults(1);
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong ids = new AtomicLong();
    private final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> operations = new ConcurrentHashMap<>();
    /** Per transaction id: rows it inserted, and what its borrower was told. */
    private final Map<Long, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Queue<TxSlot> inFlight = new ConcurrentLinkedQueue<>();
    private java.util.function.IntSupplier localSessions = () -> 0;
    /** Rows the last insert of this thread executed, whether or not it failed after. */
    private final ThreadLocal<Integer> lastInserted = new ThreadLocal<>();

    enum Told { COMMITTED, ROLLED_BACK, UNKNOWN }

    record Outcome(Told told, int rows, String how) {
    }

    /**
     * One transaction as the transaction manager sees it: the reaper and the borrower's commit are serialized on it
     * (Narayana locks a transaction while its reaper rolls it back); the borrower's statements are not.
     */
    static final class TxSlot {
        final long id;
        final ThrowingRunnable rollbackByReaper;
        boolean done;
        boolean reaped;

        TxSlot(long id, ThrowingRunnable rollbackByReaper) {
            this.id = id;
            this.rollbackByReaper = rollbackByReaper;
        }

        synchronized void reap() {
            if (!done) {
                reaped = true;
                done = true;
                try {
                    rollbackByReaper.run();
                } catch (Throwable ignored) {
                    // the transaction manager marks it rolled back whatever its resources say
                }
            }
        }

        /** The borrower ends it: false when the reaper did first (the transaction manager then refuses). */
        synchronized boolean finish() {
            if (done) {
                return false;
            }
            done = true;
            return true;
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    record TestXid(int getFormatId, byte[] getGlobalTransactionId, byte[] getBranchQualifier) implements Xid {
    }

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE item(id BIGINT PRIMARY KEY, tx BIGINT)");
    }

    @AfterEach
    void close() throws Exception {
        running.set(false);
        bootstrap.close();
        db.close();
    }


    private JdbcManagedConnectionFactory configured(JdbcManagedConnectionFactory factory, String name) {
        factory.setPoolName(name);
        factory.setMaxLifetime("1");
        factory.setKeepaliveSeconds("1");
        factory.setValidationBypassMillis("50");
        factory.setValidationTimeout("1");
        factory.setValidationQuery("SELECT 1");
        factory.setNetworkTimeout(String.valueOf(NETWORK_TIMEOUT_MILLIS / 1000));
        factory.setLoginTimeout("2");
        factory.setPreparedStatementCacheSize("4");
        return factory;
    }

    private void count(String operation) {
        operations.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    @Test
    @DisplayName("one owner at a time, nothing stuck, nothing left open, settings restored, no row of a rolled "
            + "back transaction and none of a committed one lost")
    void everyPartyAtOnce() throws Exception {
        Script local = ScriptedDriver.script(db.url());
        Script xa = ScriptedDriver.script(db.url());
        faults.into(local);
        faults.into(xa);
        JdbcResourceAdapter adapter = bootstrap.startedAdapter();
        JdbcManagedConnectionFactory localFactory = new JdbcManagedConnectionFactory();
        localFactory.setDriverClass(ScriptedDriver.class.getName());
        localFactory.setUrl(local.url());
        configured(localFactory, "torture-local").setResourceAdapter(adapter);
        JdbcManagedConnectionFactory xaFactory = new JdbcManagedConnectionFactory();
        xaFactory.setXADataSourceClass(ScriptedXADataSource.class.getName());
        xaFactory.setUrl(xa.url());
        configured(xaFactory, "torture-xa").setResourceAdapter(adapter);
        MiniServer localServer = new MiniServer(localFactory, LOCAL_MAX);
        localSessions = () -> local.open().size();
        MiniServer xaServer = new MiniServer(xaFactory, 2);

        faults.on(true);
        List<Thread> actors = startActors(localFactory, localServer, xaServer);
        Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS));
        stop(actors);
        faults.on(false);
        assertNothingStuck(localServer, xaServer);

        // Second phase: the adapter stops under all of it.
        faults.on(true);
        actors = startActors(localFactory, localServer, xaServer);
        Thread.sleep(1500);
        Script.role("stopper");
        adapter.stop();
        count("adapter stopped");
        Thread.sleep(1000);
        stop(actors);
        faults.on(false);
        localServer.destroyAll();
        xaServer.destroyAll();

        awaitAllClosed("local", local);
        awaitAllClosed("xa", xa);
        List<String> overlaps = new ArrayList<>();
        for (String overlap : local.overlaps()) {
            if (forbidden(overlap)) {
                overlaps.add("local " + overlap);
            }
        }
        for (String overlap : xa.overlaps()) {
            if (forbidden(overlap)) {
                overlaps.add("xa " + overlap);
            }
        }
        String reconciled = reconcile();
        System.out.println("torture: " + new java.util.TreeMap<>(sums()) + ", faults " + faults.injected()
                + ", physical connections opened " + (local.opened() + xa.opened()) + ", " + reconciled
                + ", allowed overlaps " + (local.overlaps().size() + xa.overlaps().size() - overlaps.size()));
        assertEquals(List.of(), overlaps, "calls of an adapter check beside another party on one connection");
        assertEquals(List.of(), new ArrayList<>(violations));
    }

    private Map<String, Long> sums() {
        Map<String, Long> sums = new HashMap<>();
        operations.forEach((k, v) -> sums.put(k, v.sum()));
        return sums;
    }

    /** An adapter check (validation, keepalive, renewal) must never meet another party; the rest may meet. */
    private static boolean forbidden(String overlap) {
        String[] roles = overlap.substring(0, overlap.indexOf(" on #")).split("/");
        boolean check = false;
        for (String role : roles) {
            check |= role.equals("validator") || role.equals("keepalive") || role.startsWith("adapter timer");
        }
        if (!check) {
            return false;
        }
        for (String role : roles) {
            if (MAY_MEET_A_BORROWER.contains(role)) {
                // destroy waits out a check for one validation at most; the stopper likewise
                return false;
            }
        }
        return true;
    }

    private List<Thread> startActors(JdbcManagedConnectionFactory localFactory, MiniServer localServer,
            MiniServer xaServer) {
        running.set(true);
        List<Thread> actors = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            actors.add(actor("borrower-" + i, () -> localBorrow(localServer)));
        }
        actors.add(actor("xa-borrower", () -> xaBorrow(xaServer)));
        actors.add(actor("reaper", () -> {
            TxSlot slot = inFlight.poll();
            if (slot != null) {
                Thread.sleep(ThreadLocalRandom.current().nextInt(0, 5));
                slot.reap();
                count("reaper rollbacks");
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(5, 40));
        }));
        actors.add(actor("validator", () -> {
            // The server validates its free connections; asked about a lent one, the adapter leaves it alone.
            List<ManagedConnection> idle = localServer.all();
            idle.addAll(xaServer.all());
            if (!idle.isEmpty()) {
                ManagedConnection mc = idle.get(ThreadLocalRandom.current().nextInt(idle.size()));
                localFactory.getInvalidConnections(Set.of(mc));
                localFactory.matchManagedConnections(Set.of(mc), null, null);
                count("server validations");
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 10));
        }));
        actors.add(actor("keepalive", () -> {
            // The server's max of 4, and one renewal at a time.
            int open = localSessions.getAsInt();
            if (open > LOCAL_MAX + 1) {
                violations.add(open + " physical connections open for a pool of max " + LOCAL_MAX);
            }
            List<ManagedConnection> all = localServer.all();
            all.addAll(xaServer.all());
            if (!all.isEmpty()) {
                JdbcManagedConnection mc = (JdbcManagedConnection) all.get(ThreadLocalRandom.current().nextInt(
                        all.size()));
                mc.keepAlive(ThreadLocalRandom.current().nextBoolean() ? 0 : Long.MAX_VALUE);
                count("extra background passes");
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 10));
        }));
        actors.add(actor("destroyer", () -> {
            Thread.sleep(ThreadLocalRandom.current().nextInt(200, 600));
            List<ManagedConnection> all = localServer.all();
            all.addAll(xaServer.all());
            if (!all.isEmpty()) {
                ManagedConnection mc = all.get(ThreadLocalRandom.current().nextInt(all.size()));
                (localServer.all().contains(mc) ? localServer : xaServer).destroy(mc);
                count("destroyed under their owner");
            }
        }));
        return actors;
    }

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private Thread actor(String role, Step step) {
        Thread thread = new Thread(() -> {
            Script.role(role);
            while (running.get()) {
                try {
                    step.run();
                } catch (InterruptedException e) {
                    return;
                } catch (Throwable t) {
                    count("failures seen by " + role.replaceAll("-\\d+$", ""));
                }
            }
        }, role);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void stop(List<Thread> actors) throws InterruptedException {
        running.set(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread actor : actors) {
            actor.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (actor.isAlive()) {
                StringBuilder stack = new StringBuilder();
                for (StackTraceElement e : actor.getStackTrace()) {
                    stack.append("\n  at ").append(e);
                }
                violations.add(actor.getName() + " still running 30 s after the end:" + stack);
            }
        }
    }

    private void assertNothingStuck(MiniServer... servers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (MiniServer server : servers) {
            for (ManagedConnection m : server.all()) {
                JdbcManagedConnection mc = (JdbcManagedConnection) m;
                ConnectionState s = mc.state();
                while (!quiet(s) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                    s = mc.state();
                }
                if (!quiet(s)) {
                    violations.add(mc + " stuck in " + s + " with no party at work");
                }
            }
        }
    }

    private static boolean quiet(ConnectionState s) {
        return s == ConnectionState.IDLE || s == ConnectionState.BROKEN || s == ConnectionState.DESTROYED;
    }

    private void awaitAllClosed(String pool, Script script) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!script.open().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20); // a login given up on closes what it opens when it returns
        }
        if (!script.open().isEmpty()) {
            violations.add(pool + " physical connections left open: " + script.open());
        }
    }

    // ---- the borrowers ------------------------------------------------------------------------------------------

    private void localBorrow(MiniServer server) throws Exception {
        ManagedConnection mc = server.borrow();
        try {
            switch (ThreadLocalRandom.current().nextInt(4)) {
                case 0 -> autocommit(mc);
                case 1, 2 -> containerTransaction(mc);
                default -> ownLocalTransaction(mc);
            }
        } finally {
            server.giveBack(mc);
        }
    }

    /** What every borrower outside a transaction may expect of a connection it is lent. */
    private void checkLentSettings(Connection handle) {
        try {
            if (!handle.getAutoCommit()) {
                violations.add("a connection lent outside a transaction with autocommit off");
            }
            int timeout = handle.getNetworkTimeout();
            if (timeout != NETWORK_TIMEOUT_MILLIS) {
                violations.add("a connection lent with network timeout " + timeout + " instead of the pool's");
            }
            int isolation = handle.getTransactionIsolation();
            if (isolation != Connection.TRANSACTION_READ_COMMITTED) {
                violations.add("a connection lent with isolation " + isolation + " a borrower left");
            }
        } catch (SQLException | RuntimeException | AssertionError injected) {
            // the driver failed the question itself
        }
    }

    /**
     * Inserts up to {@code rows} rows of transaction {@code tx}, stopping at the first failure; returns how many the
     * driver executed (a statement whose close failed afterwards still counts), and -1 if any failed.
     */
    private int insert(Connection handle, long tx, int rows) {
        int done = 0;
        boolean failed = false;
        for (int i = 0; i < rows && !failed; i++) {
            PreparedStatement insert = null;
            try {
                insert = handle.prepareStatement("INSERT INTO item VALUES (?, ?)");
                insert.setLong(1, ids.incrementAndGet());
                insert.setLong(2, tx);
                insert.executeUpdate();
                done++;
            } catch (SQLException | RuntimeException | AssertionError e) {
                failed = true;
            } finally {
                try {
                    if (insert != null) {
                        insert.close();
                    }
                } catch (SQLException | RuntimeException | AssertionError e) {
                    failed = true;
                }
            }
        }
        lastInserted.set(done);
        return failed ? -1 : done;
    }

    private void autocommit(ManagedConnection mc) throws Exception {
        Connection handle = (Connection) mc.getConnection(null, null);
        checkLentSettings(handle);
        if (ThreadLocalRandom.current().nextBoolean()) {
            // What the server's cleanup must put back, on the driver, before anyone else may use the connection.
            handle.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            handle.setNetworkTimeout(Runnable::run, 1234);
        }
        long tx = ids.incrementAndGet();
        int inserted = insert(handle, tx, 1);
        outcomes.put(tx, new Outcome(inserted == 1 ? Told.COMMITTED : Told.UNKNOWN, 1, "autocommit"));
        handle.close();
        count("autocommit borrows");
    }

    /** The container's resource-local transaction; the reaper may roll it back under the borrower. */
    private void containerTransaction(ManagedConnection mc) throws Exception {
        long tx = ids.incrementAndGet();
        LocalTransaction transaction = mc.getLocalTransaction();
        transaction.begin();
        TxSlot slot = new TxSlot(tx, transaction::rollback);
        inFlight.add(slot);
        boolean commit = ThreadLocalRandom.current().nextInt(4) != 0;
        int rows = 0;
        try {
            Connection handle = (Connection) mc.getConnection(null, null);
            boolean allThree = insert(handle, tx, 3) == 3;
            rows = lastInserted.get();
            // Work that may come after a timeout under the borrower: it must never commit on its own.
            insert(handle, tx, 1);
            rows = allThree ? rows + lastInserted.get() : -1;
            handle.close();
        } finally {
            inFlight.remove(slot);
            if (!slot.finish()) {
                outcomes.put(tx, new Outcome(Told.ROLLED_BACK, 0, "container, reaped"));
                count("container transactions rolled back by the reaper");
            } else if (commit && rows >= 3) {
                try {
                    transaction.commit();
                    outcomes.put(tx, new Outcome(Told.COMMITTED, rows, "container"));
                    count("container transactions committed");
                } catch (Exception e) {
                    outcomes.put(tx, new Outcome(Told.UNKNOWN, rows, "container"));
                    count("container commits that failed");
                }
            } else {
                outcomes.put(tx, new Outcome(Told.ROLLED_BACK, 0, "container, rolled back"));
                try {
                    transaction.rollback();
                } finally {
                    count("container transactions rolled back");
                }
            }
        }
    }

    /** The application's own transaction on its handle (setAutoCommit(false), commit or rollback). */
    private void ownLocalTransaction(ManagedConnection mc) throws Exception {
        Connection handle = (Connection) mc.getConnection(null, null);
        checkLentSettings(handle);
        long tx = ids.incrementAndGet();
        handle.setAutoCommit(false);
        int rows = insert(handle, tx, 2);
        boolean commit = ThreadLocalRandom.current().nextBoolean();
        if (commit && rows == 2) {
            try {
                handle.commit();
                outcomes.put(tx, new Outcome(Told.COMMITTED, 2, "own local"));
            } catch (SQLException | RuntimeException | AssertionError e) {
                outcomes.put(tx, new Outcome(Told.UNKNOWN, 2, "own local"));
            }
        } else {
            outcomes.put(tx, new Outcome(Told.ROLLED_BACK, 0, "own local, rolled back"));
            handle.rollback();
        }
        // Left with autocommit off: the server's cleanup rolls back and restores it.
        insert(handle, tx, ThreadLocalRandom.current().nextInt(2));
        handle.close();
        count("own local transactions");
    }

    private void xaBorrow(MiniServer server) throws Exception {
        ManagedConnection mc = server.borrow();
        try {
            long tx = ids.incrementAndGet();
            XAResource resource = mc.getXAResource();
            Xid xid = new TestXid(4711, longBytes(tx), new byte[] {1});
            resource.start(xid, XAResource.TMNOFLAGS);
            TxSlot slot = new TxSlot(tx, () -> {
                try {
                    resource.end(xid, XAResource.TMFAIL);
                } finally {
                    resource.rollback(xid);
                }
            });
            inFlight.add(slot);
            int rows = 0;
            try {
                Connection handle = (Connection) mc.getConnection(null, null);
                boolean both = insert(handle, tx, 2) == 2;
                rows = lastInserted.get();
                insert(handle, tx, 1);
                rows = both ? rows + lastInserted.get() : -1;
                handle.close();
            } finally {
                inFlight.remove(slot);
                if (!slot.finish()) {
                    outcomes.put(tx, new Outcome(Told.ROLLED_BACK, 0, "xa, reaped"));
                    count("xa branches rolled back by the reaper");
                } else if (rows >= 2 && ThreadLocalRandom.current().nextInt(4) != 0) {
                    try {
                        resource.end(xid, XAResource.TMSUCCESS);
                        if (resource.prepare(xid) == XAResource.XA_OK) {
                            resource.commit(xid, false);
                        }
                        outcomes.put(tx, new Outcome(Told.COMMITTED, rows, "xa"));
                        count("xa branches committed");
                    } catch (Exception | AssertionError e) {
                        outcomes.put(tx, new Outcome(Told.UNKNOWN, rows, "xa"));
                        rollbackQuietly(resource, xid);
                    }
                } else {
                    outcomes.put(tx, new Outcome(Told.ROLLED_BACK, 0, "xa, rolled back"));
                    try {
                        resource.end(xid, XAResource.TMFAIL);
                    } finally {
                        rollbackQuietly(resource, xid);
                    }
                }
            }
        } finally {
            server.giveBack(mc);
        }
    }

    private static void rollbackQuietly(XAResource resource, Xid xid) {
        try {
            resource.rollback(xid);
        } catch (Exception | AssertionError ignored) {
            // prepared and unknown: the database keeps it in doubt, invisible
        }
    }

    private static byte[] longBytes(long value) {
        return java.nio.ByteBuffer.allocate(8).putLong(value).array();
    }

    // ---- the reckoning ------------------------------------------------------------------------------------------

    /** Rows per transaction as the database counts them, against what each borrower was told. */
    private String reconcile() throws SQLException {
        Map<Long, Integer> found = new HashMap<>();
        try (Connection observer = java.sql.DriverManager.getConnection(db.url());
                Statement s = observer.createStatement();
                ResultSet rs = s.executeQuery("SELECT tx, COUNT(*) FROM item GROUP BY tx")) {
            while (rs.next()) {
                found.put(rs.getLong(1), rs.getInt(2));
            }
        }
        int committed = 0;
        int rolledBack = 0;
        int unknown = 0;
        for (Map.Entry<Long, Outcome> entry : outcomes.entrySet()) {
            int rows = found.getOrDefault(entry.getKey(), 0);
            Outcome outcome = entry.getValue();
            switch (outcome.told()) {
                case COMMITTED -> {
                    committed++;
                    if (rows != outcome.rows()) {
                        violations.add(outcome.how() + " transaction " + entry.getKey() + " was told committed with "
                                + outcome.rows() + " rows; the database has " + rows);
                    }
                }
                case ROLLED_BACK -> {
                    rolledBack++;
                    if (rows != 0) {
                        violations.add(outcome.how() + " transaction " + entry.getKey() + " was rolled back; the "
                                + "database has " + rows + " of its rows");
                    }
                }
                case UNKNOWN -> {
                    unknown++;
                    if (rows != 0 && rows != outcome.rows()) {
                        violations.add(outcome.how() + " transaction " + entry.getKey() + " is partial: " + rows
                                + " of "
                                + outcome.rows() + " rows");
                    }
                }
            }
        }
        assertTrue(committed > 0 && rolledBack > 0, "the torture committed " + committed + " and rolled back "
                + rolledBack + ": too little happened to judge");
        return "transactions reconciled: " + committed + " committed, " + rolledBack + " rolled back, " + unknown
                + " of unknown outcome (all or nothing)";
    }
}
