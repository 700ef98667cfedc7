package org.jdbcpoolra.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;

/** Plays the server's side of the event protocol: remembers every event in the order it arrived. */
public final class RecordingListener implements ConnectionEventListener {
    private final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
    /** Named after the callback that was called, so an event delivered to the wrong callback shows. */
    private final List<String> types = new CopyOnWriteArrayList<>();

    /** A snapshot, so that a test can compare what had arrived at one moment with what arrived later. */
    public List<ConnectionEvent> events() {
        return List.copyOf(events);
    }

    /** The event ids in arrival order, as names so that a failing assertion reads well. */
    public List<String> types() {
        return List.copyOf(types);
    }

    public List<ConnectionEvent> ofType(int type) {
        return events.stream().filter(e -> e.getId() == type).toList();
    }

    public void clear() {
        events.clear();
        types.clear();
    }

    public static String name(int type) {
        return switch (type) {
            case ConnectionEvent.CONNECTION_CLOSED -> "CONNECTION_CLOSED";
            case ConnectionEvent.CONNECTION_ERROR_OCCURRED -> "CONNECTION_ERROR_OCCURRED";
            case ConnectionEvent.LOCAL_TRANSACTION_STARTED -> "LOCAL_TRANSACTION_STARTED";
            case ConnectionEvent.LOCAL_TRANSACTION_COMMITTED -> "LOCAL_TRANSACTION_COMMITTED";
            case ConnectionEvent.LOCAL_TRANSACTION_ROLLEDBACK -> "LOCAL_TRANSACTION_ROLLEDBACK";
            default -> "UNKNOWN(" + type + ")";
        };
    }

    @Override
    public void connectionClosed(ConnectionEvent event) {
        record(ConnectionEvent.CONNECTION_CLOSED, event);
    }

    @Override
    public void localTransactionStarted(ConnectionEvent event) {
        record(ConnectionEvent.LOCAL_TRANSACTION_STARTED, event);
    }

    @Override
    public void localTransactionCommitted(ConnectionEvent event) {
        record(ConnectionEvent.LOCAL_TRANSACTION_COMMITTED, event);
    }

    @Override
    public void localTransactionRolledback(ConnectionEvent event) {
        record(ConnectionEvent.LOCAL_TRANSACTION_ROLLEDBACK, event);
    }

    @Override
    public void connectionErrorOccurred(ConnectionEvent event) {
        record(ConnectionEvent.CONNECTION_ERROR_OCCURRED, event);
    }

    private void record(int callback, ConnectionEvent event) {
        events.add(event);
        types.add(event.getId() == callback ? name(callback) : name(callback) + " with id " + name(event.getId()));
    }
}
