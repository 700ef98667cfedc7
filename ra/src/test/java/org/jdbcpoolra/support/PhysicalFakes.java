package org.jdbcpoolra.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stand-ins for a driver's physical objects: reflection proxies over real H2 objects that behave exactly as H2 does
 * except for the one thing a test needs to control. (Proxies are fine in tests; the adapter's handles must not be.)
 */
public final class PhysicalFakes {
    private static final Set<Class<?>> CHILD_TYPES = Set.of(Statement.class, PreparedStatement.class,
            CallableStatement.class, ResultSet.class, DatabaseMetaData.class);

    private PhysicalFakes() {
    }

    /**
     * The real connection, except that calling {@code method} on it, or on any statement, result set or metadata
     * obtained from it, throws {@code failure}, every time: a connection that broke for good.
     */
    public static Connection failingOn(Connection real, String method, SQLException failure) {
        return failing(Connection.class, real, method, failure);
    }

    private static <T> T failing(Class<T> type, Object real, String method, SQLException failure) {
        InvocationHandler handler = (proxy, m, args) -> {
            if (m.getName().equals(method)) {
                throw failure;
            }
            Object result = invoke(real, m, args);
            return result != null && CHILD_TYPES.contains(m.getReturnType())
                    ? failing(m.getReturnType(), result, method, failure)
                    : result;
        };
        return proxy(type, handler);
    }

    /**
     * The real connection, appending the name of every method called on it to {@code calls}. Read-only, catalog,
     * type map and network timeout are kept by the fake itself, as drivers that honour them do: H2 ignores
     * read-only, catalog and network timeout, and refuses any type map that is not empty.
     */
    public static Connection recording(Connection real, List<String> calls) {
        Map<String, Object> kept = new HashMap<>();
        kept.put("ReadOnly", false);
        kept.put("Catalog", "ORIGINAL_CATALOG");
        kept.put("TypeMap", Map.of());
        kept.put("NetworkTimeout", 0);
        InvocationHandler handler = (proxy, m, args) -> {
            String name = m.getName();
            calls.add(name);
            String attribute = name.replaceFirst("^(set|get|is)", "");
            if (!kept.containsKey(attribute)) {
                return invoke(real, m, args);
            }
            if (name.startsWith("set")) {
                kept.put(attribute, copy(args[args.length - 1]));
                return null;
            }
            return copy(kept.get(attribute));
        };
        return proxy(Connection.class, handler);
    }

    /** Like most drivers, hands out and keeps copies of a type map rather than sharing the caller's. */
    private static Object copy(Object value) {
        return value instanceof Map<?, ?> map ? new HashMap<>(map) : value;
    }

    private static Object invoke(Object real, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static <T> T proxy(Class<?> type, InvocationHandler handler) {
        @SuppressWarnings("unchecked")
        T proxy = (T) Proxy.newProxyInstance(PhysicalFakes.class.getClassLoader(), new Class<?>[] {type}, handler);
        return proxy;
    }
}
