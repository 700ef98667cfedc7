package org.jdbcpoolra.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;

/**
 * The part of a server's connection manager a torture test needs, behaving as WildFly's and Payara's do: at most
 * {@code max} managed connections, each lent to one borrower at a time, validated (validate-on-match) and matched
 * before it is lent, cleaned up when it comes back, destroyed when it reports an error or cannot be cleaned up. It
 * serializes what servers serialize and nothing more: the adapter's own background work, a reaper and a destroyer
 * from other threads meet these connections as they would in a server.
 */
public final class MiniServer implements ConnectionEventListener {
    private final ManagedConnectionFactory factory;
    private final ValidatingManagedConnectionFactory validating;
    private final Semaphore permits;
    private final Set<ManagedConnection> all = ConcurrentHashMap.newKeySet();
    private final Set<ManagedConnection> dead = ConcurrentHashMap.newKeySet();
    private final LinkedBlockingDeque<ManagedConnection> free = new LinkedBlockingDeque<>();

    public <F extends ManagedConnectionFactory & ValidatingManagedConnectionFactory> MiniServer(F factory, int max) {
        this.factory = factory;
        this.validating = factory;
        this.permits = new Semaphore(max);
    }

    /** A connection for one borrower, within the blocking timeout; {@link #giveBack} it in a finally. */
    public ManagedConnection borrow() throws Exception {
        if (!permits.tryAcquire(5, TimeUnit.SECONDS)) {
            throw new TimeoutException("no connection within the blocking timeout of 5 s");
        }
        try {
            while (true) {
                ManagedConnection mc = free.pollFirst();
                if (mc == null) {
                    mc = factory.createManagedConnection(null, null);
                    all.add(mc);
                    mc.addConnectionEventListener(this);
                    return mc;
                }
                if (dead.contains(mc) || !validating.getInvalidConnections(Set.of(mc)).isEmpty()
                        || factory.matchManagedConnections(Set.of(mc), null, null) == null) {
                    destroy(mc);
                    continue;
                }
                return mc;
            }
        } catch (Throwable t) {
            permits.release();
            throw t;
        }
    }

    /** The borrower is done: cleanup, and back into the pool unless it failed. */
    public void giveBack(ManagedConnection mc) {
        try {
            mc.cleanup();
            if (dead.contains(mc)) {
                destroy(mc);
            } else {
                free.addLast(mc);
            }
        } catch (Throwable t) {
            destroy(mc);
        } finally {
            permits.release();
        }
    }

    /** Destroys it whatever happens, as a server does with a connection it gives up on. */
    public void destroy(ManagedConnection mc) {
        all.remove(mc);
        free.remove(mc);
        try {
            mc.destroy();
        } catch (ResourceException | RuntimeException | Error ignored) {
            // the server forgets it either way
        }
    }

    public List<ManagedConnection> all() {
        return new ArrayList<>(all);
    }

    public List<ManagedConnection> idle() {
        return new ArrayList<>(free);
    }

    public void destroyAll() {
        for (ManagedConnection mc : all()) {
            destroy(mc);
        }
    }

    @Override
    public void connectionErrorOccurred(ConnectionEvent event) {
        ManagedConnection mc = (ManagedConnection) event.getSource();
        dead.add(mc);
        if (free.remove(mc)) {
            all.remove(mc);
            try {
                mc.destroy();
            } catch (ResourceException | RuntimeException | Error ignored) {
                // as above
            }
        }
    }

    @Override
    public void connectionClosed(ConnectionEvent event) {
    }

    @Override
    public void localTransactionStarted(ConnectionEvent event) {
    }

    @Override
    public void localTransactionCommitted(ConnectionEvent event) {
    }

    @Override
    public void localTransactionRolledback(ConnectionEvent event) {
    }
}
