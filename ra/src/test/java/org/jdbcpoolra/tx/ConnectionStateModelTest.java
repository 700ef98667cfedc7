package org.jdbcpoolra.tx;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.resource.spi.LocalTransactionException;

import org.jdbcpoolra.spi.StandardFatalErrorClassifier;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Model checking of one managed connection's state machine with Lincheck: the parties that meet on a connection
 * (a keepalive check, the server's validation, a borrower, a borrower in a container transaction, the transaction
 * manager's reaper, destroy, a fatal error) run as operations on two or three threads, and Lincheck explores their
 * interleavings at every read and compare-and-set of the state, not random schedules. Checked in every one: never two
 * owners of the physical connection at once (a check, a validation, a borrower), nobody takes a connection that was
 * destroyed before they asked, and afterwards the connection is idle, broken or destroyed, never stuck in a claim or
 * a transaction.
 * <p>
 * The server's own pool is modelled as it behaves: it lends a free connection to one borrower at a time ({@link
 * #serverLent}); what it does not serialize (the adapter's checks, the reaper, destroy, a fatal error) is left to the
 * adapter.
 */
@DisplayName("Model check of the connection state machine (Lincheck)")
public class ConnectionStateModelTest {
    private final AtomicInteger owners = new AtomicInteger();
    private final AtomicBoolean destroyed = new AtomicBoolean();
    /** The server's pool: one borrower at a time gets the connection. */
    private final AtomicBoolean serverLent = new AtomicBoolean();
    private final Connection physical = fakePhysical();
    private final TransactionControl control = new TransactionControl("model", physical,
            new StandardFatalErrorClassifier(), new TransactionEvents() {
                @Override public void localTransactionStarted() { }
                @Override public void localTransactionCommitted() { }
                @Override public void localTransactionRolledBack() { }
                @Override public void broken(Exception cause) { }
                @Override public boolean borrowed() { return serverLent.get(); }
                @Override public void abortedUnderBorrower() { }
                @Override public void takeHandlesBack() { }
                @Override public void closePhysical() { }
            }, Duration.ofSeconds(10));

    /** A physical connection that does nothing: the model is about who may call it, not what it does. */
    private static Connection fakePhysical() {
        return (Connection) Proxy.newProxyInstance(ConnectionStateModelTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAutoCommit", "isValid" -> Boolean.TRUE;
                    case "hashCode" -> 1;
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    private void own(boolean destroyedBefore) {
        if (destroyedBefore) {
            throw new AssertionError("a connection destroyed before was taken");
        }
        if (owners.incrementAndGet() != 1) {
            throw new AssertionError("two owners of one physical connection");
        }
    }

    private void disown() {
        owners.decrementAndGet();
    }

    /** The keepalive check: claims an idle connection without waiting, finds it alive. */
    @Operation
    public void keepaliveCheck() {
        boolean destroyedBefore = destroyed.get();
        if (control.tryClaim()) {
            own(destroyedBefore);
            disown();
            control.release(true);
        }
    }

    /** The keepalive check that finds the connection dead. */
    @Operation
    public void keepaliveFindsItDead() {
        boolean destroyedBefore = destroyed.get();
        if (control.tryClaim()) {
            own(destroyedBefore);
            disown();
            control.release(false);
        }
    }

    /** The server's validation: waits out a check, then claims an idle connection. */
    @Operation
    public void serverValidation() {
        boolean destroyedBefore = destroyed.get();
        if (control.claim()) {
            own(destroyedBefore);
            disown();
            control.release(true);
        }
    }

    /** A borrower: lent, works, gives the connection back (cleanup resets, then idle). */
    @Operation
    public void borrower() throws SQLException {
        if (!serverLent.compareAndSet(false, true)) {
            return;
        }
        try {
            boolean destroyedBefore = destroyed.get();
            if (control.lent()) {
                own(destroyedBefore);
                disown();
                if (control.returning()) {
                    control.idle();
                }
            }
        } finally {
            serverLent.set(false);
        }
    }

    /** A borrower inside the container's transaction: begin before the first handle, commit, give back. */
    @Operation
    public void borrowerInAContainerTransaction() throws SQLException {
        if (!serverLent.compareAndSet(false, true)) {
            return;
        }
        try {
            boolean destroyedBefore = destroyed.get();
            try {
                control.begin();
            } catch (LocalTransactionException refused) {
                return; // broken, destroyed or held by a check that hung: the server gets another connection
            }
            own(destroyedBefore);
            disown();
            if (control.lent()) {
                try {
                    control.end(true);
                } catch (LocalTransactionException nothingToCommit) {
                    // the reaper rolled it back first
                }
                if (control.returning()) {
                    control.idle();
                }
            }
        } finally {
            serverLent.set(false);
        }
    }

    /** The transaction manager's reaper rolls back from its own thread, whatever the borrower is doing. */
    @Operation
    public void reaperRollback() {
        try {
            control.end(false);
        } catch (LocalTransactionException ignored) {
            // nothing to roll back
        }
    }

    /** The server destroys the connection (a leak reclaim, an undeploy), from any thread. */
    @Operation
    public void destroy() {
        if (control.destroying()) {
            if (!destroyed.compareAndSet(false, true)) {
                throw new AssertionError("destroyed twice");
            }
        }
    }

    /** A borrower's fatal error breaks the connection. */
    @Operation
    public void fatalError() {
        control.breaks();
    }

    @Validate
    public void nothingStuck() {
        ConnectionState s = control.state();
        if (owners.get() != 0) {
            throw new IllegalStateException("owners left: " + owners.get());
        }
        if (destroyed.get() != (s == ConnectionState.DESTROYED)) {
            throw new IllegalStateException("destroyed " + destroyed.get() + " but " + s);
        }
        if (s != ConnectionState.IDLE && s != ConnectionState.BROKEN && s != ConnectionState.DESTROYED) {
            throw new IllegalStateException("left in " + s + " with no party at work");
        }
    }

    @Test
    @DisplayName("every interleaving of checks, validation, borrowers, the reaper, destroy and a fatal error keeps "
            + "one owner at a time and leaves nothing stuck")
    void oneOwnerInEveryInterleaving() {
        new ModelCheckingOptions()
                .iterations(Integer.getInteger("lincheck.iterations", 30))
                .invocationsPerIteration(Integer.getInteger("lincheck.invocations", 1000))
                .threads(3)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1)
                .check(ConnectionStateModelTest.class);
    }
}
