package org.jdbcpoolra.handle;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jdbcpoolra.stats.PoolCounters;

/**
 * Prepared statements of one physical connection, kept open between borrowers and keyed by their SQL, so that a
 * statement prepared again finds the driver's (and the database's) work already done. Least recently used ones are
 * closed beyond the capacity. Used by one borrower at a time, like its connection, so it takes no locks; a hit
 * allocates nothing. The hazard: a cached statement must never be handed out twice at once, nor carry one
 * borrower's parameters or settings to the next; {@link Entry#inUse} guards the first, the statement handle's reset
 * on return (only what the borrower changed) the second.
 */
public final class StatementCache {
    /** The cache of a connection definition with PreparedStatementCacheSize 0: never holds anything. */
    public static final StatementCache OFF = new StatementCache(0, new PoolCounters());

    /** One cached statement; it knows its cache, which stays with the physical connection that prepared it. */
    public final class Entry {
        private final String sql;
        private final PreparedStatement statement;
        private boolean inUse = true;
        private boolean evicted;

        private Entry(String sql, PreparedStatement statement) {
            this.sql = sql;
            this.statement = statement;
        }

        public PreparedStatement statement() {
            return statement;
        }

        /** The borrower closed the statement and it has been reset: free for the next prepare of its SQL. */
        public void release() {
            inUse = false;
            if (evicted) {
                closeQuietly(statement);
            }
        }

        /** A statement that could not be reset leaves the cache and is closed. */
        public void discard() {
            entries.remove(sql, this);
            closeQuietly(statement);
        }
    }

    private final int capacity;
    private final LinkedHashMap<String, Entry> entries;
    private final PoolCounters counters;

    public StatementCache(int capacity, PoolCounters counters) {
        this.capacity = capacity;
        this.counters = counters;
        this.entries = capacity == 0 ? null : new LinkedHashMap<>(capacity * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                if (size() <= StatementCache.this.capacity) {
                    return false;
                }
                Entry entry = eldest.getValue();
                if (entry.inUse) {
                    entry.evicted = true;
                } else {
                    closeQuietly(entry.statement);
                }
                return true;
            }
        };
    }

    /** The cached statement for this SQL, now in use; null if there is none free (prepare one and {@link #add}). */
    public Entry take(String sql) {
        if (entries == null) {
            return null;
        }
        Entry entry = entries.get(sql);
        if (entry == null || entry.inUse) {
            counters.statementCache(false);
            return null;
        }
        counters.statementCache(true);
        entry.inUse = true;
        return entry;
    }

    /** Caches a statement just prepared for this SQL, in use; null when it is not to be cached. */
    public Entry add(String sql, PreparedStatement statement) {
        if (entries == null || entries.containsKey(sql)) {
            return null;
        }
        Entry entry = new Entry(sql, statement);
        entries.put(sql, entry);
        return entry;
    }

    /** Forgets every statement: free ones are closed now, those in use when their borrower closes them. */
    public void clear() {
        if (entries != null) {
            for (Entry entry : entries.values()) {
                if (entry.inUse) {
                    entry.evicted = true;
                } else {
                    closeQuietly(entry.statement);
                }
            }
            entries.clear();
        }
    }

    public int size() {
        return entries == null ? 0 : entries.size();
    }

    /** The connection is being destroyed. */
    public void closeAll() {
        if (entries != null) {
            entries.values().forEach(entry -> closeQuietly(entry.statement));
            entries.clear();
        }
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException | RuntimeException ignored) {
            // The statement is being dropped; a broken connection reports itself elsewhere.
        }
    }
}
