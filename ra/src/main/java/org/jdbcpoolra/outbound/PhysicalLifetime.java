package org.jdbcpoolra.outbound;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.resource.ResourceException;

import org.jdbcpoolra.config.PoolConfig;
import org.jdbcpoolra.config.Redaction;
import org.jdbcpoolra.handle.BorrowerChanges;
import org.jdbcpoolra.handle.StatementCache;
import org.jdbcpoolra.spi.ConnectionValidator;
import org.jdbcpoolra.stats.PoolCounters;
import org.jdbcpoolra.tx.TransactionControl;

/**
 * The physical connection under one managed connection, over its life: which one it is now, when it retires
 * (MaxLifetime, MaxUses), its renewal, and the checks of it while it is idle (the server's validation and matching,
 * the adapter's keepalive). The hazards it guards against: two parties on the physical connection at once, and a
 * claim held across a login. Every check owns the connection first (a claim in {@link TransactionControl}) and gives
 * it back in a finally. A renewal logs in without any claim, on the adapter's background thread, and leaves the new
 * physical connection ready beside the old one; whoever owns the connection next while it is idle (the background
 * check, the server's validation or matching, or the server's cleanup) swaps it in, which takes no login. So the
 * pool holds one session more than max while a renewal is open and not yet swapped in, and there is at most one
 * such per pool ({@link Renewals}).
 */
final class PhysicalLifetime {
    private static final Logger LOG = Logger.getLogger("org.jdbcpoolra");

    /** What belongs to one physical connection; replaced whole when a renewal is swapped in. */
    private record Current(ConnectionOpener.Opened opened, BorrowerChanges changes, long retireAtNanos) {
    }

    /** What a check tells the managed connection that owns it. */
    interface Owner {
        /** The keepalive check found the idle connection dead (already broken): the server must hear of it. */
        void foundDead(String reason);

        /** Whether renewals run in the background (the adapter has a timer): a retired connection waits for one. */
        boolean renewsInBackground();
    }

    private final String poolName;
    private final PoolConfig config;
    private final ConnectionValidator validator;
    private final PoolCounters counters;
    private final Suspicion suspicion;
    private final ConnectionOpener opener;
    private final Renewals renewals;
    private final TransactionControl control;
    private final StatementCache statementCache;
    private final Owner owner;
    private final boolean lifetimeLimited;
    private final long bypassNanos;
    private final long leadNanos;

    private volatile Current current;
    /** Borrows of the current physical connection; written by the borrower, who owns the connection. */
    private int uses;
    private volatile boolean usedUp;
    /**
     * When a borrower last gave the connection back without a fatal error, or a round trip found it alive. Written by
     * the owner before it gives the connection up; read by the next owner after its compare-and-set on the state,
     * which orders the two.
     */
    private long lastGoodNanos;
    /** When a round trip (or the login) last proved the connection alive: older than a fatal error is suspect. */
    private long provenNanos;
    private final AtomicReference<ConnectionOpener.Opened> renewed = new AtomicReference<>();
    private final AtomicBoolean renewing = new AtomicBoolean();
    private volatile boolean ended;

    PhysicalLifetime(PoolRuntime runtime, ConnectionOpener.Opened first,
            TransactionControl control, StatementCache statementCache, Owner owner, long leadNanos) {
        this.config = runtime.config();
        this.poolName = config.poolName();
        this.validator = runtime.validator();
        this.counters = runtime.counters();
        this.suspicion = runtime.suspicion();
        this.opener = runtime.opener();
        this.renewals = runtime.renewals();
        this.control = control;
        this.statementCache = statementCache;
        this.owner = owner;
        this.lifetimeLimited = config.maxLifetimeSeconds() > 0;
        this.bypassNanos = config.validationBypassMillis() * 1_000_000L;
        this.leadNanos = leadNanos;
        this.current = currentOf(first);
        this.lastGoodNanos = first.openedNanos();
        this.provenNanos = first.openedNanos();
    }

    private Current currentOf(ConnectionOpener.Opened opened) {
        return new Current(opened, new BorrowerChanges(opened.connection(), config.transactionIsolation()),
                retireAt(opened.openedNanos()));
    }

    /** Up to a tenth sooner, at random: connections opened together (prefill, a burst) do not retire together. */
    private long retireAt(long openedNanos) {
        long lifetimeNanos = config.maxLifetimeSeconds() * 1_000_000_000L;
        return openedNanos + lifetimeNanos - (long) (ThreadLocalRandom.current().nextDouble() * lifetimeNanos / 10);
    }

    Connection connection() {
        return current.opened().connection();
    }

    Physical link() {
        return current.opened().physical();
    }

    Credentials credentials() {
        return current.opened().credentials();
    }

    BorrowerChanges changes() {
        return current.changes();
    }

    /** Past MaxLifetime or MaxUses: renewed when idle; the borrower holding it keeps it until then. */
    boolean retired() {
        return retired(System.nanoTime());
    }

    private boolean retired(long now) {
        return usedUp || lifetimeLimited && now - current.retireAtNanos() >= 0;
    }

    /** A borrow, counted toward MaxUses; by the borrower, who owns the connection. */
    void lent() {
        if (config.maxUses() > 0 && ++uses >= config.maxUses()) {
            usedUp = true;
        }
    }

    /** The borrower gave it back without a fatal error; by the owner, before it gives the connection up. */
    void returnedFine() {
        lastGoodNanos = System.nanoTime();
    }

    // ---- the server's validation and matching -------------------------------------------------------------------

    /**
     * For the server's validation of an idle connection: owns it for the check (waiting out another check), swaps in
     * a renewal that is ready, and asks the database unless the connection was given back fine within
     * ValidationBypassMillis and nothing since has made it suspect. A lent or enlisted connection is its owner's and
     * valid; a broken one is invalid without a question.
     */
    boolean validForServer() {
        if (!control.claim()) {
            return !control.isBroken();
        }
        boolean alive = false;
        try {
            long now = System.nanoTime();
            swapIfRenewed();
            if (retired(now) && !renewalComing()) {
                LOG.fine(() -> poolName + ": a retired connection that cannot be renewed here; the server replaces it");
                return false;
            }
            if (bypassNanos > 0 && now - lastGoodNanos < bypassNanos && !suspicion.suspect(provenNanos)) {
                counters.validated(false);
                alive = true;
                return true;
            }
            String failure = roundTrip();
            alive = failure == null;
            if (!alive) {
                suspicion.fatalSeen();
                LOG.info(() -> poolName + ": validation found a dead connection (" + failure
                        + "); the server will replace it");
            }
            return alive;
        } finally {
            control.release(alive);
        }
    }

    /**
     * For the server's matching: a connection not retired matches; a retired one once its renewal is swapped in, or
     * while one is coming (it serves on until then); an XA one, which is never renewed in place, does not.
     */
    boolean matchable() {
        if (!retired()) {
            return true;
        }
        if (!control.claim()) {
            return !control.isBroken();
        }
        try {
            swapIfRenewed();
            return !retired() || renewalComing();
        } finally {
            control.release(true);
        }
    }

    /** Only local connections are renewed in place: an XA connection's XAResource is the transaction manager's. */
    private boolean renewalComing() {
        return (owner.renewsInBackground() || renewing.get() || renewed.get() != null)
                && !(link() instanceof Physical.Xa);
    }

    /** One round trip within ValidationTimeout; null when the connection answered, else why not (no secrets). */
    private String roundTrip() {
        counters.validated(true);
        String failure;
        try {
            if (validator.isValid(connection(), config.validationTimeoutSeconds())) {
                long now = System.nanoTime();
                lastGoodNanos = now;
                provenNanos = now;
                return null;
            }
            failure = "the driver reports it invalid";
        } catch (SQLException e) {
            failure = "SQLState " + e.getSQLState() + ": " + e.getMessage();
        } catch (Throwable e) {
            // Whatever a driver throws, the check is over and the connection is not known to be alive.
            failure = e.toString();
        }
        return Redaction.message(failure, credentials().password());
    }

    // ---- the adapter's own background work: renewal and keepalive ------------------------------------------------

    /**
     * One pass of the background work for this connection: a renewal opened ahead of retirement (a login, holding no
     * claim), swapped in if the connection is idle; then, if it has been idle for {@code idleNanos}, one round trip,
     * and a dead connection reported to the server before a borrower meets it.
     */
    void housekeep(long idleNanos) {
        renewIfDue();
        if (!control.tryClaim()) {
            return;
        }
        String failure = null;
        try {
            long now = System.nanoTime();
            if (swapIfRenewed() || now - lastGoodNanos < idleNanos) {
                return;
            }
            failure = roundTrip();
        } finally {
            if (!control.release(failure == null)) {
                failure = null; // a waiter that gave up on this check broke it, and told the server
            }
        }
        if (failure != null) {
            suspicion.fatalSeen();
            counters.evicted(PoolCounters.KEEPALIVE);
            owner.foundDead(failure);
        }
    }

    /**
     * Opens the renewal of a connection that retires soon, if none is ready and the pool has no other renewal open:
     * an idle connection's is swapped in at once, a lent one's when its borrower gives it back.
     */
    private void renewIfDue() {
        long now = System.nanoTime();
        boolean due = usedUp || lifetimeLimited && now - (current.retireAtNanos() - leadNanos) >= 0;
        if (!due || ended || renewed.get() != null || link() instanceof Physical.Xa
                || !renewing.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!renewals.tryReserve()) {
                return;
            }
            ConnectionOpener.Opened fresh;
            try {
                fresh = opener.open(credentials().configured() ? SignOn.IDENTITY : credentials());
            } catch (ResourceException e) {
                renewals.release();
                LOG.fine(() -> poolName + ": could not renew a retiring connection: " + e.getMessage());
                return;
            } catch (RuntimeException | Error e) {
                renewals.release();
                throw e;
            }
            renewed.set(fresh);
            if (ended) {
                discardRenewal();
            }
        } finally {
            renewing.set(false);
        }
    }

    /**
     * Swaps in the renewal, if one is ready; only by whoever owns the connection (a claim, or the server's cleanup
     * before the connection is idle again). Takes no login: the old physical connection is closed, its statements
     * with it.
     */
    boolean swapIfRenewed() {
        ConnectionOpener.Opened fresh = renewed.getAndSet(null);
        if (fresh == null) {
            return false;
        }
        renewals.swapped();
        Current old = current;
        boolean byUses = usedUp;
        try {
            statementCache.closeAll();
        } catch (Throwable e) {
            // The old connection is closed below, its statements with it; the swap must not stop half-way.
            LOG.log(Level.FINE, () -> poolName + ": closing the statements of a retired connection failed: " + e);
        }
        current = currentOf(fresh);
        control.renewed(fresh.connection());
        uses = 0;
        usedUp = false;
        lastGoodNanos = fresh.openedNanos();
        provenNanos = fresh.openedNanos();
        counters.retired(byUses);
        ConnectionOpener.closeQuietly(old.opened().physical());
        if (ended) {
            // Destroyed from another thread meanwhile (a leak reclaim, an undeploy), which may have closed the old one.
            ConnectionOpener.closeQuietly(fresh.physical());
        }
        LOG.fine(() -> poolName + ": renewed a retired connection");
        return true;
    }

    /**
     * The managed connection is destroyed: closes the physical connection, and a renewal ready or still coming. A
     * swap in flight on another thread sees {@code ended} and closes what it swapped in.
     */
    void end() throws SQLException {
        ended = true;
        try {
            discardRenewal();
        } finally {
            link().close();
        }
    }

    /** Closes the physical connection at once (what is in flight on it fails); destroy follows. */
    void closeNow() {
        ConnectionOpener.closeQuietly(link());
    }

    private void discardRenewal() {
        ConnectionOpener.Opened fresh = renewed.getAndSet(null);
        if (fresh != null) {
            renewals.release();
            ConnectionOpener.closeQuietly(fresh.physical());
        }
    }
}
