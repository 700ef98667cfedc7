package org.jdbcpoolra.handle;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * What the current borrower changed on a physical connection, as dirty bits, and how to put it back. The original
 * value of an attribute is read the first time any borrower changes it (one round trip per connection lifetime, and
 * none for attributes nobody touches); {@link #reset} restores only the dirty ones. Autocommit is handled by the
 * managed connection because it is tied to transaction events. Attributes that decide how SQL names resolve
 * ({@link #NAME_RESOLUTION}) also invalidate the statement cache.
 */
public final class BorrowerChanges {
    public static final int ISOLATION = 1;
    public static final int READ_ONLY = 1 << 1;
    public static final int CATALOG = 1 << 2;
    public static final int SCHEMA = 1 << 3;
    public static final int HOLDABILITY = 1 << 4;
    public static final int NETWORK_TIMEOUT = 1 << 5;
    public static final int CLIENT_INFO = 1 << 6;
    public static final int TYPE_MAP = 1 << 7;
    /** Statements prepared under another catalog or schema may name other tables: they are not reused across it. */
    public static final int NAME_RESOLUTION = CATALOG | SCHEMA;
    /**
     * What drivers apply to the server session rather than to one transaction (pgjdbc: SET SESSION CHARACTERISTICS,
     * SET search_path): behind a transaction pooler it would stay on a session another client gets next.
     */
    public static final int SESSION_LEVEL = ISOLATION | SCHEMA;

    /** Runs the driver's network-timeout bookkeeping on the calling thread; reset needs no thread of its own. */
    private static final Executor DIRECT = Runnable::run;

    private final Connection physical;
    private int dirty;
    private int captured;

    private int isolation;
    private boolean readOnly;
    private String catalog;
    private String schema;
    private int holdability;
    private int networkTimeout;
    private Properties clientInfo;
    private Map<String, Class<?>> typeMap;

    public BorrowerChanges(Connection physical, int configuredIsolation) {
        this.physical = physical;
        if (configuredIsolation >= 0) {
            isolation = configuredIsolation;
            captured = ISOLATION;
        }
    }

    /** Called before the borrower changes {@code attribute}: remembers its original value once. */
    public void changing(int attribute) throws SQLException {
        if ((captured & attribute) == 0) {
            capture(attribute);
            captured |= attribute;
        }
        dirty |= attribute;
    }

    private void capture(int attribute) throws SQLException {
        switch (attribute) {
            case ISOLATION -> isolation = physical.getTransactionIsolation();
            case READ_ONLY -> readOnly = physical.isReadOnly();
            case CATALOG -> catalog = physical.getCatalog();
            case SCHEMA -> schema = physical.getSchema();
            case HOLDABILITY -> holdability = physical.getHoldability();
            case NETWORK_TIMEOUT -> networkTimeout = physical.getNetworkTimeout();
            case CLIENT_INFO -> clientInfo = physical.getClientInfo();
            case TYPE_MAP -> typeMap = physical.getTypeMap();
            default -> throw new IllegalArgumentException("unknown attribute " + attribute);
        }
    }

    /**
     * Restores every attribute the borrower changed; the caller has ended any transaction first. Returns the
     * attributes that were changed.
     */
    public int reset() throws SQLException {
        int d = dirty;
        if (d == 0) {
            return 0;
        }
        if ((d & ISOLATION) != 0) {
            physical.setTransactionIsolation(isolation);
        }
        if ((d & READ_ONLY) != 0) {
            physical.setReadOnly(readOnly);
        }
        if ((d & CATALOG) != 0 && catalog != null) {
            physical.setCatalog(catalog);
        }
        if ((d & SCHEMA) != 0 && schema != null) {
            physical.setSchema(schema);
        }
        if ((d & HOLDABILITY) != 0) {
            physical.setHoldability(holdability);
        }
        if ((d & NETWORK_TIMEOUT) != 0) {
            physical.setNetworkTimeout(DIRECT, networkTimeout);
        }
        if ((d & CLIENT_INFO) != 0) {
            physical.setClientInfo(clientInfo);
        }
        if ((d & TYPE_MAP) != 0) {
            physical.setTypeMap(typeMap);
        }
        dirty = 0;
        return d;
    }
}
