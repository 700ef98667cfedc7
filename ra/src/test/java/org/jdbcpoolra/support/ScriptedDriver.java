package org.jdbcpoolra.support;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A JDBC driver for tests that need to control what a driver does at any call: a real H2 database underneath, and
 * every call on a connection, its statements, result sets and metadata (and on the XA objects of
 * {@link ScriptedXADataSource}) goes first through the {@link Script} named in the URL
 * ({@code jdbc:scripted:<name>}), which may delay, block, throw or count it. The adapter loads it by
 * {@code DriverClass=org.jdbcpoolra.support.ScriptedDriver}, as it would any driver.
 */
public final class ScriptedDriver implements Driver {
    public static final String PREFIX = "jdbc:scripted:";
    private static final Set<Class<?>> CHILD_TYPES = Set.of(Statement.class, PreparedStatement.class,
            CallableStatement.class, ResultSet.class, DatabaseMetaData.class);
    private static final ConcurrentHashMap<String, Script> SCRIPTS = new ConcurrentHashMap<>();
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** A new script over the H2 database at {@code realUrl}; its {@link Script#url()} goes in the pool's Url. */
    public static Script script(String realUrl) {
        Script script = new Script("s" + NAMES.incrementAndGet(), realUrl);
        SCRIPTS.put(script.name(), script);
        return script;
    }

    /** A new script under a name of the test's choosing (several pools configured with one URL). */
    public static Script script(String realUrl, String name) {
        Script script = new Script(name, realUrl);
        SCRIPTS.put(name, script);
        return script;
    }

    static Script named(String url) throws SQLException {
        Script script = SCRIPTS.get(url.substring(PREFIX.length()));
        if (script == null) {
            throw new SQLException("no script for " + url, "08001");
        }
        return script;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Script script = named(url);
        script.call(Script.Target.DRIVER, null, "connect", null);
        Properties real = new Properties();
        real.putAll(info);
        return script.opened(DriverManager.getConnection(script.realUrl(), real));
    }

    /** Wraps a physical object of a connection the script opened; the script sees every call on it. */
    static <T> T wrap(Class<T> type, Object real, Script script, Script.Physical physical, Script.Target target) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("unwrap") && args[0] instanceof Class<?> c && c.isInstance(proxy)) {
                return proxy;
            }
            if (name.equals("isWrapperFor") && args[0] instanceof Class<?> c && c.isInstance(proxy)) {
                return true;
            }
            physical.enter();
            try {
                script.call(target, physical, name, args);
                Object result;
                if (target == Script.Target.CONNECTION && name.equals("setNetworkTimeout")) {
                    physical.networkTimeoutMillis = (Integer) args[1];
                    result = null;
                } else if (target == Script.Target.CONNECTION && name.equals("getNetworkTimeout")) {
                    result = physical.networkTimeoutMillis;
                } else {
                    result = invoke(real, method, args);
                }
                if (name.equals("close") && target == Script.Target.CONNECTION && !physical.xa) {
                    physical.closed();
                }
                script.afterCall(target, physical, name, args);
                return result != null && CHILD_TYPES.contains(method.getReturnType())
                        ? wrap(method.getReturnType(), result, script, physical, Script.Target.STATEMENT)
                        : result;
            } finally {
                physical.leave();
            }
        };
        return type.cast(Proxy.newProxyInstance(ScriptedDriver.class.getClassLoader(), new Class<?>[] {type},
                handler));
    }

    private static Object invoke(Object real, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
