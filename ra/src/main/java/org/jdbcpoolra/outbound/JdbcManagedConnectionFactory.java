package org.jdbcpoolra.outbound;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

import org.jdbcpoolra.config.ConfigException;
import org.jdbcpoolra.config.PoolConfig;
import org.jdbcpoolra.config.PoolProperty;
import org.jdbcpoolra.handle.ConnectionHandle;
import org.jdbcpoolra.tx.ConnectionState;

/**
 * Creates physical connections for the server's pool, matches pooled ones to requests and validates idle ones.
 * The {@code @ConfigProperty} setters only collect strings, one per {@link PoolProperty}; the first
 * {@code createConnectionFactory} or {@code createManagedConnection} validates them once into a {@link PoolConfig},
 * builds the {@link PoolRuntime} and seals the configuration: from then on a setter that would change a value is
 * refused, so nothing changes behind the server's back and {@code equals}/{@code hashCode} (which JCA ties to the
 * properties) stay stable. Descriptions and defaults of the properties live in the registry, not in annotations.
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

    /** The raw values as the server set them; guarded by itself. */
    private final EnumMap<PoolProperty, String> values = new EnumMap<>(PoolProperty.class);

    /** Built once, at activation; non-null means sealed. */
    private transient volatile PoolRuntime runtime;
    private transient ResourceAdapter resourceAdapter;
    /** Guarded by {@code values}: scheduled once, when both the runtime and the adapter exist. */
    private transient Housekeeping housekeeping;
    private transient PrintWriter logWriter;
    private final transient Set<JdbcManagedConnection> live = ConcurrentHashMap.newKeySet();

    // ---- configuration (JavaBean properties, one per PoolProperty) ----------------------------------------------

    /**
     * Collects a value until the pool is activated; afterwards only the value it already has is accepted, and a
     * change is refused naming the property (never its value: it may be a secret).
     */
    private void set(PoolProperty property, String value) {
        synchronized (values) {
            if (runtime != null) {
                if (!Objects.equals(values.get(property), value)) {
                    throw new java.lang.IllegalStateException(poolNameOrDefault() + ": " + property
                            + " cannot change once the pool is active; change the pool's configuration and "
                            + "redeploy (or reload) it instead");
                }
                return;
            }
            if (value == null) {
                values.remove(property);
            } else {
                values.put(property, value);
            }
        }
    }

    private String get(PoolProperty property) {
        synchronized (values) {
            return values.get(property);
        }
    }

    private EnumMap<PoolProperty, String> snapshot() {
        synchronized (values) {
            return new EnumMap<>(values);
        }
    }

    @ConfigProperty
    public void setPoolName(String value) { set(PoolProperty.POOL_NAME, value); }
    public String getPoolName() { return get(PoolProperty.POOL_NAME); }

    @ConfigProperty(confidential = true)
    public void setUrl(String value) { set(PoolProperty.URL, value); }
    public String getUrl() { return get(PoolProperty.URL); }

    @ConfigProperty
    public void setDriverClass(String value) { set(PoolProperty.DRIVER_CLASS, value); }
    public String getDriverClass() { return get(PoolProperty.DRIVER_CLASS); }

    @ConfigProperty
    public void setDataSourceClass(String value) { set(PoolProperty.DATA_SOURCE_CLASS, value); }
    public String getDataSourceClass() { return get(PoolProperty.DATA_SOURCE_CLASS); }

    @ConfigProperty
    public void setXADataSourceClass(String value) { set(PoolProperty.XA_DATA_SOURCE_CLASS, value); }
    public String getXADataSourceClass() { return get(PoolProperty.XA_DATA_SOURCE_CLASS); }

    @ConfigProperty
    public void setTransactionSupportLevel(String value) { set(PoolProperty.TRANSACTION_SUPPORT_LEVEL, value); }
    public String getTransactionSupportLevel() { return get(PoolProperty.TRANSACTION_SUPPORT_LEVEL); }

    @ConfigProperty(confidential = true)
    public void setDataSourceProperties(String value) { set(PoolProperty.DATA_SOURCE_PROPERTIES, value); }
    public String getDataSourceProperties() { return get(PoolProperty.DATA_SOURCE_PROPERTIES); }

    @ConfigProperty
    public void setUser(String value) { set(PoolProperty.USER, value); }
    public String getUser() { return get(PoolProperty.USER); }

    @ConfigProperty(confidential = true)
    public void setPassword(String value) { set(PoolProperty.PASSWORD, value); }
    public String getPassword() { return get(PoolProperty.PASSWORD); }

    @ConfigProperty
    public void setUserFile(String value) { set(PoolProperty.USER_FILE, value); }
    public String getUserFile() { return get(PoolProperty.USER_FILE); }

    @ConfigProperty
    public void setPasswordFile(String value) { set(PoolProperty.PASSWORD_FILE, value); }
    public String getPasswordFile() { return get(PoolProperty.PASSWORD_FILE); }

    @ConfigProperty
    public void setAuthFailureBackoffMillis(String value) { set(PoolProperty.AUTH_FAILURE_BACKOFF, value); }
    public String getAuthFailureBackoffMillis() { return get(PoolProperty.AUTH_FAILURE_BACKOFF); }

    @ConfigProperty(confidential = true)
    public void setConnectionProperties(String value) { set(PoolProperty.CONNECTION_PROPERTIES, value); }
    public String getConnectionProperties() { return get(PoolProperty.CONNECTION_PROPERTIES); }

    @ConfigProperty
    public void setTransactionIsolation(String value) { set(PoolProperty.TRANSACTION_ISOLATION, value); }
    public String getTransactionIsolation() { return get(PoolProperty.TRANSACTION_ISOLATION); }

    @ConfigProperty
    public void setValidationQuery(String value) { set(PoolProperty.VALIDATION_QUERY, value); }
    public String getValidationQuery() { return get(PoolProperty.VALIDATION_QUERY); }

    @ConfigProperty
    public void setValidationTimeout(String value) { set(PoolProperty.VALIDATION_TIMEOUT, value); }
    public String getValidationTimeout() { return get(PoolProperty.VALIDATION_TIMEOUT); }

    @ConfigProperty
    public void setLoginTimeout(String value) { set(PoolProperty.LOGIN_TIMEOUT, value); }
    public String getLoginTimeout() { return get(PoolProperty.LOGIN_TIMEOUT); }

    @ConfigProperty
    public void setNetworkTimeout(String value) { set(PoolProperty.NETWORK_TIMEOUT, value); }
    public String getNetworkTimeout() { return get(PoolProperty.NETWORK_TIMEOUT); }

    @ConfigProperty
    public void setQueryTimeout(String value) { set(PoolProperty.QUERY_TIMEOUT, value); }
    public String getQueryTimeout() { return get(PoolProperty.QUERY_TIMEOUT); }

    @ConfigProperty
    public void setPreparedStatementCacheSize(String value) { set(PoolProperty.PREPARED_STATEMENT_CACHE_SIZE, value); }
    public String getPreparedStatementCacheSize() { return get(PoolProperty.PREPARED_STATEMENT_CACHE_SIZE); }

    @ConfigProperty
    public void setFatalErrorClassifier(String value) { set(PoolProperty.FATAL_ERROR_CLASSIFIER, value); }
    public String getFatalErrorClassifier() { return get(PoolProperty.FATAL_ERROR_CLASSIFIER); }

    @ConfigProperty
    public void setFatalSqlStates(String value) { set(PoolProperty.FATAL_SQL_STATES, value); }
    public String getFatalSqlStates() { return get(PoolProperty.FATAL_SQL_STATES); }

    @ConfigProperty
    public void setFatalErrorCodes(String value) { set(PoolProperty.FATAL_ERROR_CODES, value); }
    public String getFatalErrorCodes() { return get(PoolProperty.FATAL_ERROR_CODES); }

    @ConfigProperty
    public void setInitSql(String value) { set(PoolProperty.INIT_SQL, value); }
    public String getInitSql() { return get(PoolProperty.INIT_SQL); }

    @ConfigProperty
    public void setMaxLifetime(String value) { set(PoolProperty.MAX_LIFETIME, value); }
    public String getMaxLifetime() { return get(PoolProperty.MAX_LIFETIME); }

    @ConfigProperty
    public void setMaxUses(String value) { set(PoolProperty.MAX_USES, value); }
    public String getMaxUses() { return get(PoolProperty.MAX_USES); }

    @ConfigProperty
    public void setValidationBypassMillis(String value) { set(PoolProperty.VALIDATION_BYPASS, value); }
    public String getValidationBypassMillis() { return get(PoolProperty.VALIDATION_BYPASS); }

    @ConfigProperty
    public void setKeepaliveSeconds(String value) { set(PoolProperty.KEEPALIVE, value); }
    public String getKeepaliveSeconds() { return get(PoolProperty.KEEPALIVE); }

    @ConfigProperty
    public void setTransactionPooler(String value) { set(PoolProperty.TRANSACTION_POOLER, value); }
    public String getTransactionPooler() { return get(PoolProperty.TRANSACTION_POOLER); }

    /** The validated configuration: the activated one, or (before activation) what the current values give. */
    public PoolConfig config() {
        PoolRuntime r = runtime;
        return r != null ? r.config() : PoolConfig.from(snapshot());
    }

    /** Validates, builds and seals, once; a configuration that fails leaves the factory unsealed. */
    private PoolRuntime activate() {
        PoolRuntime r = runtime;
        if (r != null) {
            return r;
        }
        synchronized (values) {
            if (runtime == null) {
                PoolRuntime built = PoolRuntime.build(PoolConfig.from(new EnumMap<>(values)),
                        JdbcManagedConnectionFactory.class.getClassLoader());
                built.counters().publish(built.config().poolName());
                runtime = built;
                scheduleHousekeeping(built);
            }
            return runtime;
        }
    }

    /**
     * The adapter's background work for this pool (renewals ahead of retirement, keepalive checks) on the adapter's
     * timer, once both the runtime and the adapter exist. A failure to schedule costs the background work, never the
     * activation.
     */
    private void scheduleHousekeeping(PoolRuntime r) {
        if (housekeeping != null || !Housekeeping.needed(r.config())) {
            return;
        }
        if (!(resourceAdapter instanceof FactoryRegistry registry)) {
            // Outside a server (unit tests): nothing pools the connections, so nothing needs keeping alive.
            LOG.fine(() -> r.config().poolName() + ": no resource adapter, so no background checks");
            return;
        }
        Housekeeping task = new Housekeeping(r.config(), live);
        try {
            if (registry.repeat(task, task.periodMillis())) {
                r.renewals().afterSwap(() -> registry.soon(task));
                housekeeping = task;
                return;
            }
        } catch (RuntimeException e) {
            LOG.warning(() -> r.config().poolName() + ": background checks could not be scheduled: " + e);
            return;
        }
        LOG.warning(() -> r.config().poolName() + ": " + PoolProperty.KEEPALIVE + " has no effect and retired "
                + "connections are replaced by the server: the resource adapter has no timer from the server");
    }

    /** Whether retired connections are renewed in the background (the adapter's timer runs this pool's work). */
    boolean renewsInBackground() {
        return housekeeping != null;
    }

    /** How long before its retirement a connection's renewal is opened; 0 without background work. */
    private long renewalLeadNanos() {
        Housekeeping task = housekeeping;
        return task == null ? 0 : task.leadNanos();
    }

    /** The runtime of an activated pool; the server calls match and validation only after activation. */
    private PoolRuntime runtime() throws ResourceException {
        PoolRuntime r = runtime;
        return r != null ? r : validated();
    }

    // ---- JCA ManagedConnectionFactory ------------------------------------------------------------------------

    @Override
    public Object createConnectionFactory(ConnectionManager connectionManager) throws ResourceException {
        PoolRuntime r = validated();
        LOG.info(() -> r.config().poolName() + ": connection factory ready for " + r.source().describe());
        return new JdbcDataSource(this, connectionManager);
    }

    @Override
    public Object createConnectionFactory() throws ResourceException {
        throw new NotSupportedException(poolNameOrDefault() + ": this adapter runs only inside a Jakarta EE "
                + "server, which pools its connections");
    }

    private PoolRuntime validated() throws ResourceException {
        try {
            return activate();
        } catch (ConfigException e) {
            InvalidPropertyException invalid = new InvalidPropertyException(poolNameOrDefault()
                    + ": invalid configuration: " + e.getMessage());
            invalid.initCause(e);
            throw invalid;
        }
    }

    private String poolNameOrDefault() {
        String name = get(PoolProperty.POOL_NAME);
        return name != null && !name.isBlank() ? name : "jdbc-pool-ra";
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        PoolRuntime r = validated();
        ConnectionOpener.Opened opened = r.opener().open(credentialsFor(r, subject, info));
        try {
            JdbcManagedConnection mc = new JdbcManagedConnection(this, r, opened, renewalLeadNanos());
            live.add(mc);
            return mc;
        } catch (RuntimeException | Error e) {
            ConnectionOpener.closeQuietly(opened.physical());
            throw e;
        }
    }

    private Credentials credentialsFor(PoolRuntime r, Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        if (info instanceof JdbcConnectionRequestInfo request) {
            return request.credentials();
        }
        if (subject != null) {
            for (PasswordCredential credential : subject.getPrivateCredentials(PasswordCredential.class)) {
                if (credential.getManagedConnectionFactory() == null
                        || equals(credential.getManagedConnectionFactory())) {
                    Credentials given = new Credentials(credential.getUserName(),
                            new String(credential.getPassword()));
                    return r.signOn().isOwn(given) ? SignOn.IDENTITY : given;
                }
            }
            throw new SecurityException(r.config().poolName() + ": the caller's Subject has no password "
                    + "credential for this pool");
        }
        return SignOn.IDENTITY;
    }

    /**
     * Picks a pooled connection opened with the same credentials; the server offers candidates one by one. A broken
     * one is never picked, whatever the server still thinks of it; a retired one (MaxLifetime, MaxUses) once it has
     * been renewed, or while its renewal is coming.
     */
    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo info)
            throws ResourceException {
        Credentials wanted = credentialsFor(runtime(), subject, info);
        for (Object candidate : candidates) {
            if (candidate instanceof JdbcManagedConnection mc && mc.factory() == this
                    && mc.credentials().sameAs(wanted) && mc.state() != ConnectionState.BROKEN && mc.matchable()) {
                return mc;
            }
        }
        return null;
    }

    /** Validates idle connections for the server (validate-on-match and background validation). */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Set getInvalidConnections(Set candidates) {
        Set invalid = new HashSet<>();
        for (Object candidate : candidates) {
            if (candidate instanceof JdbcManagedConnection mc && !mc.isValid()) {
                invalid.add(mc);
            }
        }
        return invalid;
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
     * leaves sessions open in the database. One connection that fails to close does not keep the others open.
     */
    public void closeAll() {
        PoolRuntime r = runtime;
        if (r != null) {
            try {
                r.counters().withdraw();
            } catch (RuntimeException e) {
                LOG.fine(() -> r.config().poolName() + ": withdrawing the counters: " + e);
            }
        }
        for (JdbcManagedConnection mc : live) {
            LOG.warning(() -> mc + ": still open when the resource adapter stopped; closing it");
            try {
                mc.destroy();
            } catch (ResourceException | RuntimeException e) {
                LOG.log(Level.FINE, () -> mc + ": destroy failed: " + e);
            } catch (Error e) {
                LOG.log(Level.WARNING, () -> mc + ": destroy failed: " + e);
            }
        }
    }

    @Override
    public void setResourceAdapter(ResourceAdapter adapter) {
        this.resourceAdapter = adapter;
        if (adapter instanceof FactoryRegistry registry) {
            registry.register(this);
        }
        synchronized (values) {
            // Liberty activates a factory (its first lookup) before it associates the adapter.
            if (runtime != null) {
                scheduleHousekeeping(runtime);
            }
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

    /**
     * Equal when configured alike: by the sealed configuration once active; before that by what the current values
     * give (or, while they are invalid, by the values themselves).
     */
    private Object identity() {
        PoolRuntime r = runtime;
        if (r != null) {
            return r.config();
        }
        EnumMap<PoolProperty, String> current = snapshot();
        try {
            return PoolConfig.from(current);
        } catch (ConfigException e) {
            return current;
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
