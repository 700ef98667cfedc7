package org.jdbcpoolra.outbound;

import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import javax.sql.CommonDataSource;
import javax.sql.DataSource;
import javax.sql.XADataSource;

import org.jdbcpoolra.config.ConfigException;
import org.jdbcpoolra.config.PoolConfig;
import org.jdbcpoolra.config.PoolProperty;
import org.jdbcpoolra.config.Redaction;

/**
 * Opens physical connections, from a {@link Driver}, a {@link DataSource} or an {@link XADataSource} class. Classes
 * are loaded and checked once, when the connection factory is created, so a missing driver fails the deployment
 * with a message naming the property instead of failing every borrower later. Deliberately avoids
 * {@link DriverManager} for connecting: its global state and caller-class-loader checks do not fit a server with
 * isolated class loaders.
 */
abstract sealed class ConnectionSource {
    /** Null where the source bounds its own login (or LoginTimeout is 0). */
    private BoundedLogin boundedLogin;

    /** A new physical connection, within LoginTimeout whether or not the source has a login timeout of its own. */
    final Physical open(Credentials credentials) throws SQLException {
        BoundedLogin bounded = boundedLogin;
        return bounded == null ? connect(credentials) : bounded.open(() -> connect(credentials));
    }

    abstract Physical connect(Credentials credentials) throws SQLException;

    /** Whether the driver itself gives up a login after LoginTimeout (the adapter sets it up for those it knows). */
    abstract boolean boundsLogin();

    /** What a log line may say about where connections come from. */
    abstract String describe();

    static ConnectionSource create(PoolConfig config, ClassLoader loader) {
        ConnectionSource source = choose(config, loader);
        if (config.loginTimeoutSeconds() > 0 && !source.boundsLogin()) {
            source.boundedLogin = new BoundedLogin(config.poolName(), config.loginTimeoutSeconds());
        }
        return source;
    }

    private static ConnectionSource choose(PoolConfig config, ClassLoader loader) {
        if (config.xaDataSourceClass() != null) {
            return new FromXADataSource(config, loader);
        }
        if (config.dataSourceClass() != null) {
            return new FromDataSource(config, loader);
        }
        Driver driver = config.driverClass() != null
                ? instantiate(PoolProperty.DRIVER_CLASS, config.driverClass(), Driver.class, loader)
                : driverForUrl(config, loader);
        try {
            if (!driver.acceptsURL(config.url())) {
                throw new ConfigException(PoolProperty.URL, "'" + config.redactedUrl() + "' is not a URL that "
                        + driver.getClass().getName() + " accepts");
            }
        } catch (SQLException e) {
            throw new ConfigException(PoolProperty.URL, "'" + config.redactedUrl() + "' was rejected by "
                    + driver.getClass().getName() + ": " + Redaction.message(e.getMessage(), config.password()));
        }
        return new FromDriver(driver, config);
    }

    private static Driver driverForUrl(PoolConfig config, ClassLoader loader) {
        try {
            for (Driver candidate : ServiceLoader.load(Driver.class, loader)) {
                try {
                    if (candidate.acceptsURL(config.url())) {
                        return candidate;
                    }
                } catch (SQLException ignored) {
                    // This driver cannot judge the URL; ask the next one.
                }
            }
        } catch (ServiceConfigurationError e) {
            // A broken driver JAR on the path; the registered drivers below may still serve.
        }
        try {
            return DriverManager.getDriver(config.url());
        } catch (SQLException e) {
            throw new ConfigException(PoolProperty.URL, "no JDBC driver visible to the resource adapter accepts '"
                    + config.redactedUrl() + "': set " + PoolProperty.DRIVER_CLASS
                    + " and make the driver available to the adapter (see README, 'Adding a driver')");
        }
    }

    static <T> T instantiate(PoolProperty property, String className, Class<T> type, ClassLoader loader) {
        Class<?> cls;
        try {
            cls = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            try {
                cls = Class.forName(className, true, context != null ? context : loader);
            } catch (ClassNotFoundException | LinkageError again) {
                throw new ConfigException(property, "class '" + className + "' is not visible to the resource "
                        + "adapter; add the JDBC driver as a module or deployment dependency (see README, "
                        + "'Adding a driver')");
            }
        }
        if (!type.isAssignableFrom(cls)) {
            throw new ConfigException(property, "class '" + className + "' is not a " + type.getName());
        }
        try {
            return type.cast(cls.getConstructor().newInstance());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new ConfigException(property, "class '" + className + "' could not be instantiated: " + cause);
        }
    }

    /**
     * A driver has no standard login timeout (DriverManager's is global to the JVM), so the known drivers get theirs
     * as connection properties; ConnectionProperties may still override them. Without a bound, a database host that
     * drops packets would hold a borrower for the operating system's TCP timeout (minutes).
     */
    static Map<String, String> loginTimeout(String driverClass, int seconds) {
        if (seconds == 0) {
            return Map.of();
        }
        return switch (driverClass) {
            case "org.postgresql.Driver" -> Map.of("loginTimeout", String.valueOf(seconds),
                    "connectTimeout", String.valueOf(seconds));
            case "org.mariadb.jdbc.Driver" -> Map.of("connectTimeout", String.valueOf(seconds * 1000L));
            default -> Map.of();
        };
    }

    /** The data sources known to keep the setLoginTimeout the adapter gives them (H2's ignores it). */
    static boolean honoursLoginTimeout(CommonDataSource dataSource) {
        String name = dataSource.getClass().getName();
        return name.startsWith("org.postgresql.") || name.startsWith("org.mariadb.jdbc.");
    }

    private static final class FromDriver extends ConnectionSource {
        private final Driver driver;
        private final String url;
        private final Properties base;
        private final String description;

        FromDriver(Driver driver, PoolConfig config) {
            this.driver = driver;
            this.url = config.url();
            this.base = new Properties();
            loginTimeout(driver.getClass().getName(), config.loginTimeoutSeconds()).forEach(base::setProperty);
            base.putAll(config.connectionProperties());
            this.description = config.redactedUrl() + " via " + driver.getClass().getName();
        }

        @Override
        boolean boundsLogin() {
            return !loginTimeout(driver.getClass().getName(), 1).isEmpty();
        }

        @Override
        Physical connect(Credentials credentials) throws SQLException {
            Properties properties = new Properties();
            properties.putAll(base);
            if (credentials.user() != null) {
                properties.setProperty("user", credentials.user());
            }
            if (credentials.password() != null) {
                properties.setProperty("password", credentials.password());
            }
            Connection connection = driver.connect(url, properties);
            if (connection == null) {
                throw new SQLException(driver.getClass().getName() + " does not accept the URL", "08001");
            }
            return new Physical.Local(connection);
        }

        @Override
        String describe() {
            return description;
        }
    }

    private static final class FromDataSource extends ConnectionSource {
        private final DataSource dataSource;

        FromDataSource(PoolConfig config, ClassLoader loader) {
            this.dataSource = instantiate(PoolProperty.DATA_SOURCE_CLASS, config.dataSourceClass(), DataSource.class,
                    loader);
            Beans.configure(dataSource, config.dataSourceClass(), config);
        }

        @Override
        boolean boundsLogin() {
            return honoursLoginTimeout(dataSource);
        }

        @Override
        Physical connect(Credentials credentials) throws SQLException {
            return new Physical.Local(credentials.user() == null
                    ? dataSource.getConnection()
                    : dataSource.getConnection(credentials.user(), credentials.password()));
        }

        @Override
        String describe() {
            return dataSource.getClass().getName();
        }
    }

    /** Physical connections owned by XAConnections, so the server can enlist them in global transactions. */
    private static final class FromXADataSource extends ConnectionSource {
        private final XADataSource dataSource;

        FromXADataSource(PoolConfig config, ClassLoader loader) {
            this.dataSource = instantiate(PoolProperty.XA_DATA_SOURCE_CLASS, config.xaDataSourceClass(),
                    XADataSource.class, loader);
            Beans.configure(dataSource, config.xaDataSourceClass(), config);
        }

        @Override
        boolean boundsLogin() {
            return honoursLoginTimeout(dataSource);
        }

        @Override
        Physical connect(Credentials credentials) throws SQLException {
            return Physical.Xa.of(credentials.user() == null
                    ? dataSource.getXAConnection()
                    : dataSource.getXAConnection(credentials.user(), credentials.password()));
        }

        @Override
        String describe() {
            return dataSource.getClass().getName() + " (XA)";
        }
    }

    /**
     * Url and DataSourceProperties applied to a data source's JavaBean setters, with errors naming the property,
     * and LoginTimeout.
     */
    private static final class Beans {
        private Beans() {
        }

        static void configure(CommonDataSource dataSource, String className, PoolConfig config) {
            try {
                dataSource.setLoginTimeout(config.loginTimeoutSeconds());
            } catch (SQLException | UnsupportedOperationException ignored) {
                // Optional in JDBC; the data source then uses its own connect timeout.
            }
            Map<String, PropertyDescriptor> beanProperties = beanProperties(dataSource.getClass());
            if (config.url() != null) {
                PropertyDescriptor urlProperty = beanProperties.get("url");
                if (urlProperty == null || urlProperty.getWriteMethod() == null) {
                    throw new ConfigException(PoolProperty.URL, className + " has no URL property; "
                            + "leave Url empty and configure it through " + PoolProperty.DATA_SOURCE_PROPERTIES);
                }
                set(dataSource, urlProperty, "url", config.url());
            }
            config.dataSourceProperties().forEach((name, value) -> {
                PropertyDescriptor property = beanProperties.get(name.toLowerCase(java.util.Locale.ROOT));
                if (property == null || property.getWriteMethod() == null) {
                    throw new ConfigException(PoolProperty.DATA_SOURCE_PROPERTIES, className
                            + " has no writable property '" + name + "'");
                }
                set(dataSource, property, name, value);
            });
        }

        private static Map<String, PropertyDescriptor> beanProperties(Class<?> type) {
            try {
                Map<String, PropertyDescriptor> byName = new java.util.HashMap<>();
                for (PropertyDescriptor p : Introspector.getBeanInfo(type).getPropertyDescriptors()) {
                    byName.put(p.getName().toLowerCase(java.util.Locale.ROOT), p);
                }
                // Read once per activation: nothing is gained from the JDK's JVM-wide cache, which would keep a
                // driver bundled in the RAR, and so the RAR's class loader, loaded after an undeploy.
                for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                    Introspector.flushFromCaches(c);
                }
                return byName;
            } catch (IntrospectionException e) {
                throw new ConfigException(PoolProperty.DATA_SOURCE_PROPERTIES, "cannot inspect " + type.getName()
                        + ": " + e.getMessage());
            }
        }

        private static void set(Object dataSource, PropertyDescriptor property, String name, String text) {
            Method setter = property.getWriteMethod();
            Class<?> type = setter.getParameterTypes()[0];
            Object value;
            try {
                value = convert(type, text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(PoolProperty.DATA_SOURCE_PROPERTIES, "property '" + name + "' needs a "
                        + type.getSimpleName() + " value");
            }
            try {
                setter.invoke(dataSource, value);
            } catch (ReflectiveOperationException e) {
                Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                throw new ConfigException(PoolProperty.DATA_SOURCE_PROPERTIES, "property '" + name
                        + "' was rejected: " + (cause == null ? e : cause.getMessage()));
            }
        }

        private static Object convert(Class<?> type, String text) {
            if (type == String.class) {
                return text;
            } else if (type == int.class || type == Integer.class) {
                return Integer.valueOf(text);
            } else if (type == long.class || type == Long.class) {
                return Long.valueOf(text);
            } else if (type == boolean.class || type == Boolean.class) {
                if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException(text);
                }
                return Boolean.valueOf(text);
            } else if (type == short.class || type == Short.class) {
                return Short.valueOf(text);
            } else if (type == char[].class) {
                return text.toCharArray();
            }
            throw new IllegalArgumentException(type.getName());
        }
    }
}
