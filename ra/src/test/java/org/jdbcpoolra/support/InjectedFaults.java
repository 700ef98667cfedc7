package org.jdbcpoolra.support;

import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A driver that fails anywhere, as {@link Script} hooks: at any call (on a connection, a statement, an XA resource,
 * or opening one) latency, a hang that ends as a network timeout does, an SQLException that is fatal or not, a
 * RuntimeException or an Error, each with a small probability. A close is performed before its fault is thrown (a
 * driver's close that throws has still closed, as drivers do), so a physical connection the pool closed is closed.
 */
public final class InjectedFaults {
    public enum Kind { LATENCY, HANG, SQL, FATAL_SQL, RUNTIME, ERROR }

    private final Map<Kind, LongAdder> injected = new ConcurrentHashMap<>();
    private volatile boolean on;
    private final double scale;

    /** @param scale 1 for the default rates: about one call in 160 fails, one in 20 is slow */
    public InjectedFaults(double scale) {
        this.scale = scale;
    }

    /** Adds the faults to a script (every call but close, and close after the fact). */
    public void into(Script script) {
        script.on("*", (target, physical, method, args) -> {
            if (!method.equals("close") && !method.equals("abort")) {
                maybeFail();
            }
        });
        script.after("close", (target, physical, method, args) -> maybeFail());
    }

    public void on(boolean on) {
        this.on = on;
    }

    private void maybeFail() throws SQLException {
        if (!on) {
            return;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        double r = random.nextDouble() / scale;
        if (r < 0.0015) {
            count(Kind.HANG);
            LockSupport.parkNanos(random.nextLong(50_000_000, 300_000_000));
            throw new SQLException("Read timed out (injected: a network timeout after a hang)", "08006");
        } else if (r < 0.003) {
            count(Kind.SQL);
            throw new SQLException("injected failure", "42000");
        } else if (r < 0.004) {
            count(Kind.FATAL_SQL);
            throw new SQLException("Connection reset (injected)", "08006");
        } else if (r < 0.005) {
            count(Kind.RUNTIME);
            throw new IllegalStateException("injected driver bug");
        } else if (r < 0.006) {
            count(Kind.ERROR);
            throw new AssertionError("injected Error");
        } else if (r < 0.05) {
            count(Kind.LATENCY);
            LockSupport.parkNanos(random.nextLong(10_000, 1_000_000));
        }
    }

    private void count(Kind kind) {
        injected.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public Map<Kind, Long> injected() {
        Map<Kind, Long> counts = new TreeMap<>();
        injected.forEach((kind, count) -> counts.put(kind, count.sum()));
        return counts;
    }
}
