package org.jdbcpoolra.outbound;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.security.auth.Subject;
import javax.sql.DataSource;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConfigProperty;
import jakarta.resource.spi.ConnectionDefinition;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import jakarta.resource.spi.ResourceAllocationException;
import jakarta.resource.spi.SecurityException;
import jakarta.resource.spi.TransactionSupport;
import jakarta.resource.spi.ValidatingManagedConnectionFactory;
import jakarta.resource.spi.security.PasswordCredential;

import org.jdbcpoolra.JdbcResourceAdapter;
import org.jdbcpoolra.config.ConfigException;
import org.jdbcpoolra.config.PoolConfig;
import org.jdbcpoolra.config.Redaction;
import org.jdbcpoolra.handle.ConnectionHandle;
import org.jdbcpoolra.spi.ConnectionValidator;
import org.jdbcpoolra.spi.FatalErrorClassifier;
import org.jdbcpoolra.spi.StandardFatalErrorClassifier;

/**
 * Creates physical connections for the server's pool, matches pooled ones to requests and validates idle ones.
 * The {@code @ConfigProperty} setters only collect strings; {@link #config()} validates them once into a
 * {@link PoolConfig}, which also defines {@code equals}/{@code hashCode} as JCA requires.
 */
@ConnectionDefinition(
        connectionFactory = DataSource.class,
        connectionFactoryImpl = JdbcDataSource.class,
        connection = Connection.class,
        connectionImpl = ConnectionHandle.class)
public class JdbcManagedConnectionFactory
        implements ManagedConnectionFactory, ValidatingManagedConnectionFactory, TransactionSupport,
        ResourceAdapterAssociation {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger("org.jdbcpoolra");

    private final Map<String, String> properties = new HashMap<>();

    private transient volatile Runtime runtime;
    private transient ResourceAdapter resourceAdapter;
    private transient PrintWriter logWriter;
    private final transient Set<JdbcManagedConnection> live = ConcurrentHashMap.newKeySet();
    private final transient AtomicBoolean announced = new AtomicBoolean();

    /** Everything derived from the validated configuration, built together so it is consistent. */
    private record Runtime(PoolConfig config, ConnectionSource source, FatalErrorClassifier fatalErrors,
            ConnectionValidator validator, Credentials defaultCredentials) {
    }

    // ---- configuration (JavaBean properties) -----------------------------------------------------------------

    private void set(String name, String value) {
        synchronized (properties) {
            if (value == null) {
                properties.remove(name);
            } else {
                properties.put(name, value);
            }
            runtime = null;
        }
    }

    private String get(String name) {
        synchronized (properties) {
            return properties.get(name);
        }
    }

    @ConfigProperty(description = "Name that starts every log line of this pool (default: derived from the URL)")
    public void setPoolName(String value) { set(PoolConfig.POOL_NAME, value); }
    public String getPoolName() { return get(PoolConfig.POOL_NAME); }

    @ConfigProperty(description = "JDBC URL, e.g. jdbc:h2:mem:pool or jdbc:postgresql://host/db")
    public void setUrl(String value) { set(PoolConfig.URL, value); }
    public String getUrl() { return get(PoolConfig.URL); }

    @ConfigProperty(description = "java.sql.Driver class; empty to find a driver that accepts the URL")
    public void setDriverClass(String value) { set(PoolConfig.DRIVER_CLASS, value); }
    public String getDriverClass() { return get(PoolConfig.DRIVER_CLASS); }

    @ConfigProperty(description = "javax.sql.DataSource class to use instead of a driver")
    public void setDataSourceClass(String value) { set(PoolConfig.DATA_SOURCE_CLASS, value); }
    public String getDataSourceClass() { return get(PoolConfig.DATA_SOURCE_CLASS); }

    @ConfigProperty(description = "javax.sql.XADataSource class, for connections the server can enlist in XA "
            + "transactions (e.g. org.postgresql.xa.PGXADataSource)")
    public void setXADataSourceClass(String value) { set(PoolConfig.XA_DATA_SOURCE_CLASS, value); }
    public String getXADataSourceClass() { return get(PoolConfig.XA_DATA_SOURCE_CLASS); }

    @ConfigProperty(description = "NoTransaction, LocalTransaction or XATransaction; empty: XATransaction with an "
            + "XADataSourceClass, else LocalTransaction")
    public void setTransactionSupportLevel(String value) { set(PoolConfig.TRANSACTION_SUPPORT, value); }
    public String getTransactionSupportLevel() { return get(PoolConfig.TRANSACTION_SUPPORT); }

    @ConfigProperty(description = "JavaBean properties of the DataSource or XADataSource class: name=value;name=value")
    public void setDataSourceProperties(String value) { set(PoolConfig.DATA_SOURCE_PROPERTIES, value); }
    public String getDataSourceProperties() { return get(PoolConfig.DATA_SOURCE_PROPERTIES); }

    @ConfigProperty(description = "Database user")
    public void setUser(String value) { set(PoolConfig.USER, value); }
    public String getUser() { return get(PoolConfig.USER); }

    @ConfigProperty(description = "Database password", confidential = true)
    public void setPassword(String value) { set(PoolConfig.PASSWORD, value); }
    public String getPassword() { return get(PoolConfig.PASSWORD); }

    @ConfigProperty(description = "Extra driver properties: name=value;name=value")
    public void setConnectionProperties(String value) { set(PoolConfig.CONNECTION_PROPERTIES, value); }
    public String getConnectionProperties() { return get(PoolConfig.CONNECTION_PROPERTIES); }

    @ConfigProperty(description = "Default isolation: READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ, "
            + "SERIALIZABLE; empty for the driver's default")
    public void setTransactionIsolation(String value) { set(PoolConfig.TRANSACTION_ISOLATION, value); }
    public String getTransactionIsolation() { return get(PoolConfig.TRANSACTION_ISOLATION); }

    @ConfigProperty(description = "Query that validates a connection; empty to use Connection.isValid")
    public void setValidationQuery(String value) { set(PoolConfig.VALIDATION_QUERY, value); }
    public String getValidationQuery() { return get(PoolConfig.VALIDATION_QUERY); }

    @ConfigProperty(description = "Seconds one validation may take", defaultValue = "5")
    public void setValidationTimeout(String value) { set(PoolConfig.VALIDATION_TIMEOUT, value); }
    public String getValidationTimeout() { return get(PoolConfig.VALIDATION_TIMEOUT); }

    @ConfigProperty(description = "Seconds opening a connection may take", defaultValue = "30")
    public void setLoginTimeout(String value) { set(PoolConfig.LOGIN_TIMEOUT, value); }
    public String getLoginTimeout() { return get(PoolConfig.LOGIN_TIMEOUT); }

    @ConfigProperty(description = "Default query timeout in seconds of every statement; 0 for none",
            defaultValue = "0")
    public void setQueryTimeout(String value) { set(PoolConfig.QUERY_TIMEOUT, value); }
    public String getQueryTimeout() { return get(PoolConfig.QUERY_TIMEOUT); }

    @ConfigProperty(description = "Prepared statements kept open per physical connection, by SQL; 0 for none",
            defaultValue = "0")
    public void setPreparedStatementCacheSize(String value) { set(PoolConfig.PREPARED_STATEMENT_CACHE_SIZE, value); }
    public String getPreparedStatementCacheSize() { return get(PoolConfig.PREPARED_STATEMENT_CACHE_SIZE); }

    @ConfigProperty(description = "Class implementing org.jdbcpoolra.spi.FatalErrorClassifier; empty for the "
            + "built-in H2/PostgreSQL/MariaDB rules")
    public void setFatalErrorClassifier(String value) { set(PoolConfig.FATAL_ERROR_CLASSIFIER, value); }
    public String getFatalErrorClassifier() { return get(PoolConfig.FATAL_ERROR_CLASSIFIER); }

    /** The validated configuration. */
    public PoolConfig config() {
        return runtime().config();
    }

    private Runtime runtime() {
        Runtime r = runtime;
        if (r != null) {
            return r;
        }
        synchronized (properties) {
            if (runtime == null) {
                PoolConfig config = PoolConfig.from(new HashMap<>(properties));
                ClassLoader loader = JdbcManagedConnectionFactory.class.getClassLoader();
                FatalErrorClassifier fatalErrors = config.fatalErrorClassifier() == null
                        ? new StandardFatalErrorClassifier()
                        : ConnectionSource.instantiate(PoolConfig.FATAL_ERROR_CLASSIFIER,
                                config.fatalErrorClassifier(), FatalErrorClassifier.class, loader);
                ConnectionValidator validator = config.validationQuery() == null
                        ? ConnectionValidator.ping()
                        : ConnectionValidator.query(config.validationQuery());
                runtime = new Runtime(config, ConnectionSource.create(config, loader), fatalErrors, validator,
                        new Credentials(config.user(), config.password()));
            }
            return runtime;
        }
    }

    FatalErrorClassifier fatalErrors() {
        return runtime().fatalErrors();
    }

    // ---- JCA ManagedConnectionFactory ------------------------------------------------------------------------

    @Override
    public Object createConnectionFactory(ConnectionManager connectionManager) throws ResourceException {
        Runtime r = validated();
        LOG.info(() -> r.config().poolName() + ": connection factory ready for " + r.source().describe());
        return new JdbcDataSource(this, connectionManager);
    }

    @Override
    public Object createConnectionFactory() throws ResourceException {
        throw new NotSupportedException(poolNameOrDefault() + ": this adapter runs only inside a Jakarta EE "
                + "server, which pools its connections");
    }

    private Runtime validated() throws ResourceException {
        try {
            return runtime();
        } catch (ConfigException e) {
            InvalidPropertyException invalid = new InvalidPropertyException(poolNameOrDefault()
                    + ": invalid configuration: " + e.getMessage());
            invalid.initCause(e);
            throw invalid;
        }
    }

    private String poolNameOrDefault() {
        String name = get(PoolConfig.POOL_NAME);
        return name != null && !name.isBlank() ? name : "jdbc-pool-ra";
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        Runtime r = validated();
        Credentials credentials = credentialsFor(r, subject, info);
        Physical physical;
        try {
            physical = r.source().open(credentials);
        } catch (SQLException e) {
            throw openFailed(r, credentials, e);
        } catch (RuntimeException e) {
            throw openFailed(r, credentials, new SQLException(e.toString(), "08001"));
        }
        try {
            announce(r, physical.connection());
            JdbcManagedConnection mc = new JdbcManagedConnection(this, r.config(), credentials, physical);
            live.add(mc);
            return mc;
        } catch (SQLException e) {
            try {
                physical.close();
            } catch (SQLException ignored) {
                // Already failing: the original problem is what matters.
            }
            throw openFailed(r, credentials, e);
        }
    }

    private ResourceAllocationException openFailed(Runtime r, Credentials credentials, SQLException e) {
        String message = r.config().poolName() + ": cannot open a connection to " + r.source().describe()
                + (credentials.user() != null ? " as user '" + credentials.user() + "'" : "") + ": "
                + Redaction.text(e.getMessage(), credentials.password());
        ResourceAllocationException failure = new ResourceAllocationException(message, e.getSQLState());
        failure.initCause(sanitized(e, credentials.password(), 0));
        return failure;
    }

    /** A copy of the driver's exception chain with the password removed from every message. */
    private static SQLException sanitized(SQLException e, String password, int depth) {
        SQLException copy = new SQLException(Redaction.text(e.getMessage(), password), e.getSQLState(),
                e.getErrorCode());
        copy.setStackTrace(e.getStackTrace());
        Throwable cause = e.getCause();
        if (cause instanceof SQLException sql && depth < 4) {
            copy.initCause(sanitized(sql, password, depth + 1));
        } else if (cause != null && depth < 4) {
            Exception plain = new Exception(cause.getClass().getName() + ": "
                    + Redaction.text(cause.getMessage(), password));
            plain.setStackTrace(cause.getStackTrace());
            copy.initCause(plain);
        }
        return copy;
    }

    private void announce(Runtime r, Connection physical) throws SQLException {
        if (announced.compareAndSet(false, true)) {
            DatabaseMetaData md = physical.getMetaData();
            LOG.info(r.config().poolName() + ": first connection to " + md.getDatabaseProductName() + " "
                    + md.getDatabaseProductVersion() + " with driver " + md.getDriverName() + " "
                    + md.getDriverVersion());
        }
    }

    private Credentials credentialsFor(Runtime r, Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        if (info instanceof JdbcConnectionRequestInfo request) {
            return request.credentials();
        }
        if (subject != null) {
            for (PasswordCredential credential : subject.getPrivateCredentials(PasswordCredential.class)) {
                if (credential.getManagedConnectionFactory() == null
                        || equals(credential.getManagedConnectionFactory())) {
                    return new Credentials(credential.getUserName(), new String(credential.getPassword()));
                }
            }
            throw new SecurityException(r.config().poolName() + ": the caller's Subject has no password "
                    + "credential for this pool");
        }
        return r.defaultCredentials();
    }

    /** Picks a pooled connection opened with the same credentials; the server offers candidates one by one. */
    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        Credentials wanted = credentialsFor(runtime(), subject, info);
        for (Object candidate : candidates) {
            if (candidate instanceof JdbcManagedConnection mc && mc.factory() == this
                    && mc.credentials().sameAs(wanted)) {
                return mc;
            }
        }
        return null;
    }

    /** Validates idle connections for the server (validate-on-match and background validation). */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Set getInvalidConnections(Set candidates) throws ResourceException {
        Runtime r = runtime();
        Set invalid = new HashSet<>();
        for (Object candidate : candidates) {
            if (candidate instanceof JdbcManagedConnection mc && !isValid(r, mc)) {
                invalid.add(mc);
            }
        }
        return invalid;
    }

    private boolean isValid(Runtime r, JdbcManagedConnection mc) {
        if (mc.isBroken()) {
            return false;
        }
        try {
            if (r.validator().isValid(mc.physical(), r.config().validationTimeoutSeconds())) {
                return true;
            }
            LOG.info(() -> r.config().poolName() + ": validation found a dead connection; the server will "
                    + "replace it");
        } catch (SQLException e) {
            LOG.info(() -> r.config().poolName() + ": validation failed (" + e.getSQLState() + "): "
                    + e.getMessage() + "; the server will replace the connection");
        }
        return false;
    }

    /**
     * The configured level (JCA 7.13: the server uses it instead of the deployer's setting). An invalid
     * configuration answers local here and fails the activation in createConnectionFactory, with its message.
     */
    @Override
    public TransactionSupportLevel getTransactionSupport() {
        try {
            return config().transactionSupport();
        } catch (ConfigException invalid) {
            return TransactionSupportLevel.LocalTransaction;
        }
    }

    void destroyed(JdbcManagedConnection mc) {
        live.remove(mc);
    }

    /** Number of physical connections this factory holds open. */
    public int openConnections() {
        return live.size();
    }

    /**
     * The adapter is stopping: closes physical connections the server did not destroy, so that an undeploy never
     * leaves sessions open in the database.
     */
    public void closeAll() {
        for (JdbcManagedConnection mc : live) {
            LOG.warning(() -> mc + ": still open when the resource adapter stopped; closing it");
            try {
                mc.destroy();
            } catch (ResourceException e) {
                LOG.log(Level.FINE, "destroy failed", e);
            }
        }
    }

    @Override
    public void setResourceAdapter(ResourceAdapter adapter) {
        this.resourceAdapter = adapter;
        if (adapter instanceof JdbcResourceAdapter jdbc) {
            jdbc.register(this);
        }
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return resourceAdapter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    /** Equal when configured alike; an invalid configuration compares by its raw values. */
    private Object identity() {
        try {
            return config();
        } catch (ConfigException e) {
            synchronized (properties) {
                return new HashMap<>(properties);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof JdbcManagedConnectionFactory other && identity().equals(other.identity()));
    }

    @Override
    public int hashCode() {
        return identity().hashCode();
    }
}
