package org.jdbcpoolra.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@link ScriptedDriver} does besides H2: hooks run before chosen calls (to block, delay or throw), a count of
 * the physical connections opened and still open, and a record of calls of two threads that overlapped on one
 * physical connection, with the role each thread played ({@link #role}).
 */
public final class Script {
    /** Where a call was made: opening a connection, on a connection, on its statements (and results), on XA. */
    public enum Target { DRIVER, CONNECTION, STATEMENT, XA }

    @FunctionalInterface
    public interface Hook {
        void before(Target target, Physical physical, String method, Object[] args) throws Throwable;
    }

    private static final ThreadLocal<String> ROLE = ThreadLocal.withInitial(() -> Thread.currentThread().getName());

    private final String name;
    private final String realUrl;
    private final List<Map.Entry<String, Hook>> hooks = new CopyOnWriteArrayList<>();
    private final List<Map.Entry<String, Hook>> afterHooks = new CopyOnWriteArrayList<>();
    private final Queue<Physical> physicals = new ConcurrentLinkedQueue<>();
    private final Queue<String> overlaps = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connects = new AtomicInteger();

    Script(String name, String realUrl) {
        this.name = name;
        this.realUrl = realUrl;
    }

    /** What the calling thread stands for in {@link #overlaps()}: borrower, keepalive, server validation, ... */
    public static void role(String role) {
        ROLE.set(role);
    }

    public String name() {
        return name;
    }

    public String url() {
        return ScriptedDriver.PREFIX + name;
    }

    String realUrl() {
        return realUrl;
    }

    /** Runs {@code hook} before every call of that name (any target); {@code "*"} for every call. */
    public Script on(String method, Hook hook) {
        hooks.add(Map.entry(method, hook));
        return this;
    }

    /** Runs {@code hook} after every call of that name returned normally. */
    public Script after(String method, Hook hook) {
        afterHooks.add(Map.entry(method, hook));
        return this;
    }

    public void clearHooks() {
        hooks.clear();
        afterHooks.clear();
    }

    void afterCall(Target target, Physical physical, String method, Object[] args) throws Throwable {
        for (Map.Entry<String, Hook> hook : afterHooks) {
            if (hook.getKey().equals(method)) {
                hook.getValue().before(target, physical, method, args);
            }
        }
    }

    /** Runs the hooks; a hook's checked exception other than SQLException reaches the caller as an SQLException. */
    void call(Target target, Physical physical, String method, Object[] args) throws SQLException {
        try {
            runHooks(target, physical, method, args);
        } catch (SQLException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new SQLException(t);
        }
    }

    private void runHooks(Target target, Physical physical, String method, Object[] args) throws Throwable {
        if (target == Target.DRIVER) {
            connects.incrementAndGet();
        }
        for (Map.Entry<String, Hook> hook : hooks) {
            if (hook.getKey().equals(method) || hook.getKey().equals("*")) {
                hook.getValue().before(target, physical, method, args);
            }
        }
    }

    Connection opened(Connection real) {
        Physical physical = new Physical(physicals.size() + 1);
        physicals.add(physical);
        return ScriptedDriver.wrap(Connection.class, real, this, physical, Target.CONNECTION);
    }

    Physical openedXa() {
        Physical physical = new Physical(physicals.size() + 1);
        physical.xa = true;
        physicals.add(physical);
        return physical;
    }

    /** Attempts to open a connection so far (successful or not). */
    public int connects() {
        return connects.get();
    }

    /** Physical connections opened so far. */
    public int opened() {
        return physicals.size();
    }

    /** Physical connections opened and not closed. */
    public List<Physical> open() {
        List<Physical> open = new ArrayList<>();
        for (Physical p : physicals) {
            if (!p.isClosed()) {
                open.add(p);
            }
        }
        return open;
    }

    /** "role-a/role-b on #n" for every call that began while another thread was inside a call on the same one. */
    public List<String> overlaps() {
        return List.copyOf(overlaps);
    }

    private static final class Inside {
        final String role;
        int depth = 1;

        Inside(String role) {
            this.role = role;
        }
    }

    /** One physical connection as the script sees it. */
    public final class Physical {
        private final int id;
        /** The threads inside a call now, with their role and how deep (a driver calling itself). */
        private final Map<Thread, Inside> inside = new ConcurrentHashMap<>();
        private volatile boolean closed;
        /** Closed through its XAConnection, not through the connection it hands out. */
        boolean xa;
        /** H2 ignores network timeouts; the script keeps the value as a driver that honours them would. */
        volatile int networkTimeoutMillis;

        Physical(int id) {
            this.id = id;
        }

        public int id() {
            return id;
        }

        public boolean isClosed() {
            return closed;
        }

        public int networkTimeoutMillis() {
            return networkTimeoutMillis;
        }

        void closed() {
            closed = true;
        }

        void enter() {
            Thread me = Thread.currentThread();
            Inside mine = inside.get(me);
            if (mine != null) {
                mine.depth++;
                return;
            }
            String role = ROLE.get();
            for (Inside other : inside.values()) {
                overlaps.add(role + "/" + other.role + " on #" + id);
            }
            inside.put(me, new Inside(role));
        }

        void leave() {
            Thread me = Thread.currentThread();
            Inside mine = inside.get(me);
            if (mine != null && --mine.depth == 0) {
                inside.remove(me);
            }
        }

        @Override
        public String toString() {
            return "physical #" + id + (closed ? " (closed)" : "");
        }
    }
}
