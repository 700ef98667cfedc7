package org.jdbcpoolra.support;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAResource;

import org.h2.jdbcx.JdbcDataSource;

/**
 * H2's XADataSource behind a {@link Script}: {@code XADataSourceClass=org.jdbcpoolra.support.ScriptedXADataSource}
 * with the script's URL. Calls on the XAConnection, its XAResource and its connection go through the script.
 */
public final class ScriptedXADataSource implements XADataSource {
    private String url;
    private int loginTimeout;

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUrl() {
        return url;
    }

    @Override
    public XAConnection getXAConnection() throws SQLException {
        Script script = ScriptedDriver.named(url);
        script.call(Script.Target.DRIVER, null, "connect", null);
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(script.realUrl());
        XAConnection real = h2.getXAConnection();
        Script.Physical physical = script.openedXa();
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            physical.enter();
            try {
                script.call(Script.Target.XA, physical, name, args);
                Object result;
                try {
                    result = method.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
                if (name.equals("close")) {
                    physical.closed();
                }
                script.afterCall(Script.Target.XA, physical, name, args);
                if (result instanceof Connection c) {
                    return ScriptedDriver.wrap(Connection.class, c, script, physical, Script.Target.CONNECTION);
                }
                if (result instanceof XAResource xa) {
                    return ScriptedDriver.wrap(XAResource.class, xa, script, physical, Script.Target.XA);
                }
                return result;
            } finally {
                physical.leave();
            }
        };
        return (XAConnection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {XAConnection.class},
                handler);
    }

    @Override
    public XAConnection getXAConnection(String user, String password) throws SQLException {
        return getXAConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
