package org.jdbcpoolra.config;

import static org.jdbcpoolra.config.PoolProperty.*;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.resource.spi.TransactionSupport.TransactionSupportLevel;

/**
 * The adapter's whole configuration as one immutable, validated value. The factory's JavaBean setters only collect
 * strings; {@link #from(Map)} checks them once, by the declarations of {@link PoolProperty}, and every later decision
 * reads this record. A record so that {@code equals}/{@code hashCode} of the factory (which the JCA spec ties to its
 * properties) come from one place.
 *
 * @param poolName                 prefix of every log line; defaults to the URL's database part
 * @param url                      JDBC URL (required with a driver; optional with a data source)
 * @param driverClass              a {@code java.sql.Driver} class, or null to find one by URL
 * @param dataSourceClass          a {@code javax.sql.DataSource} class used instead of a driver, or null
 * @param xaDataSourceClass        a {@code javax.sql.XADataSource} class used instead of a driver, or null
 * @param dataSourceProperties     JavaBean properties set on that data source (either kind)
 * @param user                     user name, or null
 * @param password                 password, or null; never printed
 * @param userFile                 a file holding the user, read for new connections when it changes, or null
 * @param passwordFile             a file holding the password, read for new connections when it changes, or null
 * @param connectionProperties     extra properties passed to the driver
 * @param transactionIsolation     a {@code Connection.TRANSACTION_*} level, or -1 for the driver's default
 * @param validationQuery          query run to validate a connection, or null to use {@code Connection.isValid}
 * @param validationTimeoutSeconds bound on one validation; 0 means the driver's default (no bound)
 * @param loginTimeoutSeconds      bound on opening a physical connection (data sources and drivers that honour it)
 * @param networkTimeoutSeconds    how long the driver waits for any reply before it gives the connection up; 0: forever
 * @param queryTimeoutSeconds      default query timeout of every statement the application creates; 0 means none
 * @param preparedStatementCacheSize prepared statements kept open per physical connection, by SQL; 0 means off
 * @param fatalErrorClassifier     class name of a {@code FatalErrorClassifier}, or null for the built-in one
 * @param fatalSqlStates           SQLStates (5 characters) or classes (2) that are fatal besides the classifier's
 * @param fatalErrorCodes          vendor error codes that are fatal besides the classifier's
 * @param initSql                  statements run once on every new physical connection, in order
 * @param authFailureBackoffMillis after the database refused the pool's credentials, how long new connections fail
 *                                 at once unless the credentials change; 0: always try
 * @param maxLifetimeSeconds       how long a physical connection serves before it is retired; 0: no limit
 * @param maxUses                  how many borrows a physical connection serves before it is retired; 0: no limit
 * @param validationBypassMillis   a connection returned fine this recently is valid without a round trip; 0: never
 * @param keepaliveSeconds         the adapter validates connections idle this long itself; 0: off
 * @param transactionPooler        connections go through a transaction pooler: what a driver sets for the session
 *                                 (isolation, schema) is refused, since the next transaction may run on another one
 * @param transactionSupport       the level this connection definition offers the server (JCA 7.13: it overrides
 *                                 the level in the deployer's configuration); XA needs an XA data source
 */
public record PoolConfig(
        String poolName,
        String url,
        String driverClass,
        String dataSourceClass,
        String xaDataSourceClass,
        Map<String, String> dataSourceProperties,
        String user,
        String password,
        String userFile,
        String passwordFile,
        Map<String, String> connectionProperties,
        int transactionIsolation,
        String validationQuery,
        int validationTimeoutSeconds,
        int loginTimeoutSeconds,
        int networkTimeoutSeconds,
        int queryTimeoutSeconds,
        int preparedStatementCacheSize,
        String fatalErrorClassifier,
        Set<String> fatalSqlStates,
        Set<Integer> fatalErrorCodes,
        List<String> initSql,
        int authFailureBackoffMillis,
        int maxLifetimeSeconds,
        int maxUses,
        int validationBypassMillis,
        int keepaliveSeconds,
        boolean transactionPooler,
        TransactionSupportLevel transactionSupport) {

    public PoolConfig {
        dataSourceProperties = Collections.unmodifiableMap(new LinkedHashMap<>(dataSourceProperties));
        connectionProperties = Collections.unmodifiableMap(new LinkedHashMap<>(connectionProperties));
        fatalSqlStates = Set.copyOf(fatalSqlStates);
        fatalErrorCodes = Set.copyOf(fatalErrorCodes);
        initSql = List.copyOf(initSql);
    }

    /**
     * Validates raw property values (as the server injected them; blank means unset, and unset means the
     * registry's default) into a configuration.
     *
     * @throws ConfigException naming the first property that cannot be used
     */
    public static PoolConfig from(Map<PoolProperty, String> raw) {
        String url = text(raw, URL);
        String driverClass = className(raw, DRIVER_CLASS);
        String dataSourceClass = className(raw, DATA_SOURCE_CLASS);
        String xaDataSourceClass = className(raw, XA_DATA_SOURCE_CLASS);
        if ((driverClass != null ? 1 : 0) + (dataSourceClass != null ? 1 : 0) + (xaDataSourceClass != null ? 1 : 0)
                > 1) {
            throw new ConfigException(driverClass != null ? DRIVER_CLASS : DATA_SOURCE_CLASS, "set only one of "
                    + DRIVER_CLASS + ", " + DATA_SOURCE_CLASS + " and " + XA_DATA_SOURCE_CLASS);
        }
        TransactionSupportLevel transactionSupport = transactionSupport(text(raw, TRANSACTION_SUPPORT_LEVEL),
                xaDataSourceClass != null);
        if (dataSourceClass == null && xaDataSourceClass == null) {
            if (url == null) {
                throw new ConfigException(URL, "is required (a JDBC URL such as jdbc:h2:mem:pool) unless "
                        + DATA_SOURCE_CLASS + " or " + XA_DATA_SOURCE_CLASS + " is set");
            }
            if (!url.startsWith("jdbc:")) {
                throw new ConfigException(URL, "must start with 'jdbc:' but was '" + Redaction.url(url) + "'");
            }
        }
        if (text(raw, USER) != null && text(raw, USER_FILE) != null) {
            throw new ConfigException(USER_FILE, "set only one of " + USER + " and " + USER_FILE);
        }
        if (secret(raw, PASSWORD) != null && text(raw, PASSWORD_FILE) != null) {
            throw new ConfigException(PASSWORD_FILE, "set only one of " + PASSWORD + " and " + PASSWORD_FILE);
        }
        boolean transactionPooler = bool(raw, TRANSACTION_POOLER);
        if (transactionPooler) {
            for (PoolProperty sessionWide : List.of(TRANSACTION_ISOLATION, INIT_SQL)) {
                if (text(raw, sessionWide) != null) {
                    throw new ConfigException(sessionWide, "cannot be used with " + TRANSACTION_POOLER + "=true: "
                            + "it sets the server session once, but behind a transaction pooler each transaction may "
                            + "run on another session; set it in the database instead (ALTER ROLE ... SET ...)");
                }
            }
        }
        String poolName = text(raw, POOL_NAME);
        return new PoolConfig(
                poolName != null ? poolName : defaultPoolName(url,
                        dataSourceClass != null ? dataSourceClass : xaDataSourceClass),
                url,
                driverClass,
                dataSourceClass,
                xaDataSourceClass,
                keyValues(raw, DATA_SOURCE_PROPERTIES),
                text(raw, USER),
                secret(raw, PASSWORD),
                text(raw, USER_FILE),
                text(raw, PASSWORD_FILE),
                keyValues(raw, CONNECTION_PROPERTIES),
                isolation(text(raw, TRANSACTION_ISOLATION)),
                text(raw, VALIDATION_QUERY),
                duration(raw, VALIDATION_TIMEOUT),
                duration(raw, LOGIN_TIMEOUT),
                duration(raw, NETWORK_TIMEOUT),
                duration(raw, QUERY_TIMEOUT),
                count(raw, PREPARED_STATEMENT_CACHE_SIZE),
                className(raw, FATAL_ERROR_CLASSIFIER),
                sqlStates(raw, FATAL_SQL_STATES),
                errorCodes(raw, FATAL_ERROR_CODES),
                statements(text(raw, INIT_SQL)),
                duration(raw, AUTH_FAILURE_BACKOFF),
                duration(raw, MAX_LIFETIME),
                count(raw, MAX_USES),
                duration(raw, VALIDATION_BYPASS),
                duration(raw, KEEPALIVE),
                transactionPooler,
                transactionSupport);
    }

    /** Blank: XA where an XA data source is configured, else local. */
    static TransactionSupportLevel transactionSupport(String text, boolean xaDataSource) {
        if (text == null) {
            return xaDataSource ? TransactionSupportLevel.XATransaction : TransactionSupportLevel.LocalTransaction;
        }
        String name = text.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace("transaction", "");
        TransactionSupportLevel level = switch (name) {
            case "no", "none" -> TransactionSupportLevel.NoTransaction;
            case "local" -> TransactionSupportLevel.LocalTransaction;
            case "xa" -> TransactionSupportLevel.XATransaction;
            default -> throw new ConfigException(TRANSACTION_SUPPORT_LEVEL, "'" + text + "' is not one of "
                    + "NoTransaction, LocalTransaction, XATransaction");
        };
        if (level == TransactionSupportLevel.XATransaction && !xaDataSource) {
            throw new ConfigException(TRANSACTION_SUPPORT_LEVEL, "XATransaction needs " + XA_DATA_SOURCE_CLASS
                    + " (a javax.sql.XADataSource such as org.postgresql.xa.PGXADataSource)");
        }
        return level;
    }

    /** The URL as it may appear in a log line or message. */
    public String redactedUrl() {
        return Redaction.url(url);
    }

    @Override
    public String toString() {
        return "PoolConfig[poolName=" + poolName + ", url=" + redactedUrl() + ", driverClass=" + driverClass
                + ", dataSourceClass=" + dataSourceClass + ", xaDataSourceClass=" + xaDataSourceClass
                + ", transactionSupport=" + transactionSupport + ", user=" + user + ", userFile=" + userFile
                + ", passwordFile=" + passwordFile
                + ", password=" + (password == null ? "<none>" : "***")
                + ", connectionProperties=" + maskSecrets(connectionProperties).keySet()
                + ", transactionIsolation=" + transactionIsolation + ", validationQuery=" + validationQuery
                + ", validationTimeoutSeconds=" + validationTimeoutSeconds
                + ", loginTimeoutSeconds=" + loginTimeoutSeconds + ", networkTimeoutSeconds=" + networkTimeoutSeconds
                + ", queryTimeoutSeconds=" + queryTimeoutSeconds
                + ", preparedStatementCacheSize=" + preparedStatementCacheSize + ", fatalSqlStates=" + fatalSqlStates
                + ", fatalErrorCodes=" + fatalErrorCodes + ", initSql=" + initSql.size() + " statement(s)"
                + ", maxLifetimeSeconds=" + maxLifetimeSeconds + ", maxUses=" + maxUses
                + ", validationBypassMillis=" + validationBypassMillis + ", keepaliveSeconds=" + keepaliveSeconds
                + ", transactionPooler=" + transactionPooler + "]";
    }

    private static Map<String, String> maskSecrets(Map<String, String> properties) {
        Map<String, String> masked = new LinkedHashMap<>(properties);
        masked.replaceAll((k, v) -> k.toLowerCase(Locale.ROOT).contains("password") ? "***" : v);
        return masked;
    }

    /** The value as given, or the default; a secret is taken as it is, spaces included. */
    private static String secret(Map<PoolProperty, String> raw, PoolProperty property) {
        String v = raw.get(property);
        return v == null || v.isEmpty() ? emptyToNull(property.defaultValue()) : v;
    }

    /** The trimmed value, or the default; null when both are blank. */
    private static String text(Map<PoolProperty, String> raw, PoolProperty property) {
        String v = raw.get(property);
        if (v != null) {
            v = v.trim();
        }
        return v == null || v.isEmpty() ? emptyToNull(property.defaultValue()) : v;
    }

    private static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static String defaultPoolName(String url, String dataSourceClass) {
        if (url == null) {
            return dataSourceClass.substring(dataSourceClass.lastIndexOf('.') + 1);
        }
        String noParams = Redaction.url(url).split("[;?]", 2)[0];
        return noParams.length() > 60 ? noParams.substring(0, 60) : noParams;
    }

    private static String className(Map<PoolProperty, String> raw, PoolProperty property) {
        String name = text(raw, property);
        if (name != null && !name.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*")) {
            throw new ConfigException(property, "'" + name + "' is not a Java class name");
        }
        return name;
    }

    private static Map<String, String> keyValues(Map<PoolProperty, String> raw, PoolProperty property) {
        return keyValues(property, text(raw, property));
    }

    /** Parses {@code key=value;key=value}; a value may contain '=' but not ';'. */
    static Map<String, String> keyValues(PoolProperty property, String text) {
        Map<String, String> result = new LinkedHashMap<>();
        if (text == null) {
            return result;
        }
        for (String pair : text.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0 || pair.substring(0, eq).isBlank()) {
                // Never quoted: an entry without '=' may be the tail of a password that holds a ';'.
                throw new ConfigException(property, "expected key=value pairs separated by ';' but entry "
                        + (result.size() + 1) + (eq < 0 ? " has no '='" : " has no key")
                        + " (entries are not shown: one may hold a secret)");
            }
            result.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return result;
    }

    static int isolation(String text) {
        if (text == null) {
            return -1;
        }
        String name = text.toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        if (name.startsWith("TRANSACTION_")) {
            name = name.substring("TRANSACTION_".length());
        }
        return switch (name) {
            case "NONE", "0" -> throw new ConfigException(TRANSACTION_ISOLATION, "NONE is not a level a connection can "
                    + "be set to; leave it empty for the driver's default");
            case "READ_UNCOMMITTED", "1" -> Connection.TRANSACTION_READ_UNCOMMITTED;
            case "READ_COMMITTED", "2" -> Connection.TRANSACTION_READ_COMMITTED;
            case "REPEATABLE_READ", "4" -> Connection.TRANSACTION_REPEATABLE_READ;
            case "SERIALIZABLE", "8" -> Connection.TRANSACTION_SERIALIZABLE;
            default -> throw new ConfigException(TRANSACTION_ISOLATION, "'" + text + "' is not one of "
                    + "READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ, SERIALIZABLE");
        };
    }

    private static boolean bool(Map<PoolProperty, String> raw, PoolProperty property) {
        String text = text(raw, property);
        if (!"true".equalsIgnoreCase(text) && !"false".equalsIgnoreCase(text)) {
            throw new ConfigException(property, "must be true or false but was '" + text + "'");
        }
        return Boolean.parseBoolean(text);
    }

    private static int count(Map<PoolProperty, String> raw, PoolProperty property) {
        return bounded(property, text(raw, property), "a whole number");
    }

    /** Comma-separated items, blanks dropped. */
    private static List<String> list(Map<PoolProperty, String> raw, PoolProperty property) {
        String text = text(raw, property);
        List<String> items = new ArrayList<>();
        if (text != null) {
            for (String item : text.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }

    private static Set<String> sqlStates(Map<PoolProperty, String> raw, PoolProperty property) {
        Set<String> states = new LinkedHashSet<>();
        for (String state : list(raw, property)) {
            String upper = state.toUpperCase(Locale.ROOT);
            if (!upper.matches("[0-9A-Z]{2}|[0-9A-Z]{5}")) {
                throw new ConfigException(property, "'" + state + "' is neither a SQLState (5 letters or digits) "
                        + "nor a SQLState class (2)");
            }
            states.add(upper);
        }
        return states;
    }

    private static Set<Integer> errorCodes(Map<PoolProperty, String> raw, PoolProperty property) {
        Set<Integer> codes = new LinkedHashSet<>();
        for (String code : list(raw, property)) {
            long value = wholeNumber(property, code, "a vendor error code (a whole number)");
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new ConfigException(property, "'" + code + "' is not a vendor error code (an int)");
            }
            codes.add((int) value);
        }
        return codes;
    }

    /**
     * Splits on ';' outside quotes, so a literal may hold one; a statement needing a ';' of its own (a procedure
     * body) does not fit here.
     */
    static List<String> statements(String text) {
        List<String> statements = new ArrayList<>();
        if (text == null) {
            return statements;
        }
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == ';') {
                addStatement(statements, current);
                continue;
            }
            current.append(c);
        }
        addStatement(statements, current);
        return statements;
    }

    private static void addStatement(List<String> statements, StringBuilder text) {
        if (!text.toString().isBlank()) {
            statements.add(text.toString().trim());
        }
        text.setLength(0);
    }

    private static int duration(Map<PoolProperty, String> raw, PoolProperty property) {
        return bounded(property, text(raw, property), "a whole number of " + property.unit());
    }

    /** A whole number within the property's declared bounds. */
    private static int bounded(PoolProperty property, String text, String what) {
        long value = wholeNumber(property, text, what);
        if (value < property.min() || value > property.max()) {
            throw new ConfigException(property, "must be " + property.min() + " to " + property.max()
                    + (property.unit().isEmpty() ? "" : " " + property.unit()) + " but was " + value
                    + (property.min() > 0 ? " (0 would mean no bound: a wait without a deadline)" : ""));
        }
        return (int) value;
    }

    private static long wholeNumber(PoolProperty property, String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(property, "'" + text + "' is not " + what);
        }
    }
}
