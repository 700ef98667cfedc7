package org.jdbcpoolra.handle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URL;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.JDBCType;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Coverage proves every method exists; this proves each one forwards: called on a handle over a recording fake, the
 * same driver method receives the very arguments the application passed, and the application gets the driver's
 * result back, or our handle around it where the result could reach the physical connection. A delegate that calls
 * the wrong overload, drops or swaps an argument, or returns a constant fails here.
 */
@DisplayName("Handle delegation")
class HandleDelegationTest {

    /**
     * Methods that do more than forward, each proven by a test of its own behaviour: closing and the closed state,
     * unwrapping, the owner's transaction calls, abort, and the getters that return our handles instead of the
     * driver's objects.
     */
    private static final Set<String> NOT_PLAIN_DELEGATES = Set.of("close", "free", "isClosed", "unwrap", "isWrapperFor",
            "setAutoCommit", "commit", "rollback", "abort", "getConnection", "getStatement", "closeOnCompletion",
            "isCloseOnCompletion");
    /** Results an application gets wrapped in our handles, never as the driver's objects. */
    private static final Map<Class<?>, Class<?>> WRAPPED = Map.ofEntries(
            Map.entry(Statement.class, StatementHandle.class),
            Map.entry(PreparedStatement.class, PreparedStatementHandle.class),
            Map.entry(CallableStatement.class, CallableStatementHandle.class),
            Map.entry(ResultSet.class, ResultSetHandle.class),
            Map.entry(DatabaseMetaData.class, DatabaseMetaDataHandle.class),
            Map.entry(Blob.class, BlobHandle.class), Map.entry(Clob.class, ClobHandle.class),
            Map.entry(NClob.class, NClobHandle.class), Map.entry(SQLXML.class, SQLXMLHandle.class),
            Map.entry(java.sql.Array.class, ArrayHandle.class), Map.entry(Struct.class, StructHandle.class),
            Map.entry(Ref.class, RefHandle.class));

    /** One call the fake received. */
    private record Call(Object target, String method, List<Object> arguments) {
    }

    private final List<Call> calls = new ArrayList<>();
    private final Map<Object, Object> returned = new HashMap<>();

    /** The seed of what the fake driver answers: 42 gives true, 43 false, so a result replaced by either shows. */
    private int answerSeed;

    @ParameterizedTest(name = "the driver answering with seed {0}")
    @ValueSource(ints = {42, 43})
    @DisplayName("every method of every handle forwards its arguments to the same driver method and returns its "
            + "result or our handle around it")
    void everyMethodForwardsArgumentsAndResult(int seed) throws Exception {
        answerSeed = seed;
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        Map<Class<?>, Function<Object, Object>> handles = handles();
        for (Map.Entry<Class<?>, Function<Object, Object>> entry : handles.entrySet()) {
            for (Method method : entry.getKey().getMethods()) {
                if (Modifier.isStatic(method.getModifiers()) || NOT_PLAIN_DELEGATES.contains(method.getName())) {
                    continue;
                }
                Object physical = fake(entry.getKey());
                Object handle = entry.getValue().apply(physical);
                String problem = check(handle, physical, method);
                if (problem != null) {
                    wrong.add(entry.getKey().getSimpleName() + "." + method.getName()
                            + List.of(method.getParameterTypes()) + ": " + problem);
                }
                checked++;
            }
        }
        assertTrue(checked > 600, "only " + checked + " methods checked");
        assertEquals(List.of(), wrong, () -> wrong.size() + " method(s) that do not forward:\n"
                + String.join("\n", wrong));
    }

    /** Each handle class, made around a driver object of its interface. */
    private Map<Class<?>, Function<Object, Object>> handles() {
        Map<Class<?>, Function<Object, Object>> handles = new LinkedHashMap<>();
        handles.put(Connection.class, physical -> new ConnectionHandle(new FakeOwner(), (Connection) physical));
        handles.put(Statement.class, physical -> new StatementHandle(connection(), (Statement) physical));
        handles.put(PreparedStatement.class, physical -> new PreparedStatementHandle(connection(),
                (PreparedStatement) physical));
        handles.put(CallableStatement.class, physical -> new CallableStatementHandle(connection(),
                (CallableStatement) physical));
        handles.put(ResultSet.class, physical -> {
            ConnectionHandle connection = connection();
            return new ResultSetHandle(connection, null, connection, (ResultSet) physical);
        });
        handles.put(DatabaseMetaData.class, physical -> new DatabaseMetaDataHandle(connection(),
                (DatabaseMetaData) physical));
        handles.put(Blob.class, physical -> new BlobHandle(connection(), (Blob) physical));
        handles.put(Clob.class, physical -> new ClobHandle(connection(), (Clob) physical));
        handles.put(NClob.class, physical -> new NClobHandle(connection(), (NClob) physical));
        handles.put(SQLXML.class, physical -> new SQLXMLHandle(connection(), (SQLXML) physical));
        handles.put(java.sql.Array.class, physical -> new ArrayHandle(connection(), (java.sql.Array) physical));
        handles.put(Struct.class, physical -> new StructHandle(connection(), (Struct) physical));
        handles.put(Ref.class, physical -> new RefHandle(connection(), (Ref) physical));
        return handles;
    }

    @Test
    @DisplayName("a driver object the borrower got through us and passes back as an argument reaches the driver as "
            + "the driver's own, not our handle")
    void borrowedObjectsPassedBackReachTheDriverUnwrapped() throws Exception {
        answerSeed = 42;
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        Map<Class<?>, Function<Object, Object>> handles = handles();
        for (Map.Entry<Class<?>, Function<Object, Object>> entry : handles.entrySet()) {
            for (Method method : entry.getKey().getMethods()) {
                if (Modifier.isStatic(method.getModifiers()) || NOT_PLAIN_DELEGATES.contains(method.getName())) {
                    continue;
                }
                Class<?>[] types = method.getParameterTypes();
                for (int i = 0; i < types.length; i++) {
                    boolean element = types[i] == Object[].class;
                    Class<?> kind = types[i] == Object.class || element ? Blob.class : types[i];
                    if (!WRAPPED.containsKey(kind) || !handles.containsKey(kind) || kind == ResultSet.class
                            || Statement.class.isAssignableFrom(kind) || kind == DatabaseMetaData.class) {
                        continue;
                    }
                    Object driverObject = fake(kind);
                    Object ours = handles.get(kind).apply(driverObject);
                    Object physical = fake(entry.getKey());
                    Object handle = entry.getValue().apply(physical);
                    calls.clear();
                    Object[] arguments = arguments(method);
                    arguments[i] = element ? new Object[] {ours} : ours;
                    try {
                        method.invoke(handle, arguments);
                    } catch (InvocationTargetException e) {
                        wrong.add(describe(entry.getKey(), method) + ": threw " + e.getCause());
                        continue;
                    }
                    int at = i;
                    Object received = calls.stream().filter(c -> c.target() == physical
                            && c.method().equals(method.getName())).map(c -> c.arguments().get(at))
                            .reduce((first, second) -> second).orElse(null);
                    Object got = element && received instanceof Object[] array && array.length == 1 ? array[0]
                            : received;
                    if (got != driverObject) {
                        wrong.add(describe(entry.getKey(), method) + " argument " + at + ": the driver got " + got);
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 40, "only " + checked + " arguments checked");
        assertEquals(List.of(), wrong, () -> wrong.size() + " argument(s) that reach the driver as our handle:\n"
                + String.join("\n", wrong));
    }

    private static String describe(Class<?> type, Method method) {
        return type.getSimpleName() + "." + method.getName() + List.of(method.getParameterTypes());
    }

    private String check(Object handle, Object physical, Method method) throws Exception {
        calls.clear();
        Object[] arguments = arguments(method);
        Object result;
        try {
            result = method.invoke(handle, arguments);
        } catch (InvocationTargetException e) {
            return "threw " + e.getCause();
        }
        Call call = calls.stream().filter(c -> c.target() == physical && c.method().equals(method.getName()))
                .reduce((first, second) -> second).orElse(null);
        if (call == null) {
            return "the driver's " + method.getName() + " was not called (it got " + calls.stream()
                    .filter(c -> c.target() == physical).map(Call::method).toList() + ")";
        }
        if (!sameArguments(call.arguments(), arguments)) {
            return "the driver got " + call.arguments() + " instead of " + List.of(arguments);
        }
        if (method.getReturnType() == void.class) {
            return null;
        }
        Object driverResult = returned.get(call);
        Class<?> wrapper = WRAPPED.get(method.getReturnType());
        if (wrapper != null) {
            return wrapper.isInstance(result) ? null : "returned " + result + " instead of our " + wrapper.getName();
        }
        return Objects.equals(result, driverResult) ? null : "returned " + result + " instead of " + driverResult;
    }

    /** Equal values (a fake driver object equals only itself; an array, one with the same elements). */
    private static boolean sameArguments(List<Object> received, Object[] passed) {
        if (received.size() != passed.length) {
            return false;
        }
        for (int i = 0; i < passed.length; i++) {
            if (!Objects.deepEquals(received.get(i), passed[i])) {
                return false;
            }
        }
        return true;
    }

    private ConnectionHandle connection() {
        return new ConnectionHandle(new FakeOwner(), (Connection) fake(Connection.class));
    }

    /** A driver object that records every call and answers with a value of its own for each. */
    private Object fake(Class<?> type) {
        Object[] self = new Object[1];
        self[0] = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            switch (method.getName()) {
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "toString" -> {
                    return type.getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(proxy));
                }
                default -> {
                }
            }
            Call call = new Call(self[0], method.getName(), args == null ? List.of() : java.util.Arrays.asList(args));
            calls.add(call);
            Object result = sample(method.getReturnType(), answerSeed);
            returned.put(call, result);
            return result;
        });
        return self[0];
    }

    private Object[] arguments(Method method) throws Exception {
        Class<?>[] types = method.getParameterTypes();
        Object[] arguments = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            arguments[i] = sample(types[i], i + 3);
        }
        return arguments;
    }

    /** A value of the type, distinct per seed where the type allows, so swapped arguments show. */
    private Object sample(Class<?> type, int seed) {
        if (type == void.class) {
            return null;
        }
        if (type == int.class || type == Integer.class) {
            return seed;
        }
        if (type == long.class || type == Long.class) {
            return (long) seed;
        }
        if (type == boolean.class || type == Boolean.class) {
            return seed % 2 == 0;
        }
        if (type == short.class) {
            return (short) seed;
        }
        if (type == byte.class) {
            return (byte) seed;
        }
        if (type == double.class) {
            return seed + 0.5;
        }
        if (type == float.class) {
            return seed + 0.25f;
        }
        if (type == String.class) {
            return "value-" + seed;
        }
        if (type.isArray()) {
            Object array = Array.newInstance(type.getComponentType(), 1);
            Array.set(array, 0, sample(type.getComponentType(), seed));
            return array;
        }
        if (type == BigDecimal.class) {
            return BigDecimal.valueOf(seed);
        }
        if (type == java.sql.Date.class) {
            return new java.sql.Date(seed);
        }
        if (type == java.sql.Time.class) {
            return new java.sql.Time(seed);
        }
        if (type == java.sql.Timestamp.class) {
            return new java.sql.Timestamp(seed);
        }
        if (type == Calendar.class) {
            Calendar calendar = Calendar.getInstance();
            calendar.setTimeInMillis(seed);
            return calendar;
        }
        if (type == URL.class) {
            try {
                return URI.create("http://example.com/" + seed).toURL();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        if (type == InputStream.class) {
            return new ByteArrayInputStream(new byte[] {(byte) seed});
        }
        if (type == java.io.OutputStream.class) {
            return new java.io.ByteArrayOutputStream(seed);
        }
        if (type == java.io.Writer.class) {
            return new java.io.StringWriter(seed);
        }
        if (type == Reader.class) {
            return new StringReader("reader-" + seed);
        }
        if (type == Class.class) {
            return String.class;
        }
        if (type == SQLType.class) {
            return JDBCType.values()[seed];
        }
        if (type == Properties.class) {
            Properties properties = new Properties();
            properties.setProperty("key", "value-" + seed);
            return properties;
        }
        if (type == Map.class) {
            return Map.of("type-" + seed, String.class);
        }
        if (type == Executor.class) {
            return (Executor) Runnable::run;
        }
        if (type == java.sql.SQLWarning.class) {
            return new java.sql.SQLWarning("warning-" + seed);
        }
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return constants[seed % constants.length];
        }
        if (type == Object.class) {
            return "object-" + seed;
        }
        if (type.isInterface()) {
            return fake(type);
        }
        throw new IllegalStateException("no sample value for " + type.getName());
    }

    /** The managed connection as the handles see it, with the cache off and no query timeout. */
    private static final class FakeOwner implements ConnectionOwner {
        @Override public SQLException fail(SQLException e) { return e; }
        @Override public void handleClosed(ConnectionHandle handle, int statementsLeftOpen) { }
        @Override public void handleAborted(ConnectionHandle handle, Executor executor) { }
        @Override public void changing(int attribute) { }
        @Override public void setAutoCommit(boolean enable) { }
        @Override public void commit() { }
        @Override public void rollback() { }
        @Override public int queryTimeoutSeconds() { return 0; }
        @Override public StatementCache statementCache() { return StatementCache.OFF; }
    }
}
