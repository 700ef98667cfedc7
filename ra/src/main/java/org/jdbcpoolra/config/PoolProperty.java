package org.jdbcpoolra.config;

/**
 * Every property of the adapter, declared once: its name (as servers and scripts spell it), what kind of value it
 * takes, its default, its unit, whether it is a secret, and one line saying what it does. {@link PoolConfig} is
 * parsed from these declarations; the factory's JavaBean setters, README's table and each server's scripts are
 * checked against them by tests. The hazard it guards against: a property spelled or defaulted differently in one
 * of the many places a deployer meets it.
 */
public enum PoolProperty {
    POOL_NAME("PoolName", Kind.TEXT, Group.DATABASE, Source.EVERY, "", "",
            "Name that starts every log line and error of this pool; empty: the URL without its parameters"),
    URL("Url", Kind.TEXT, Group.DATABASE, Source.EVERY, "", "",
            "JDBC URL, e.g. jdbc:postgresql://host/db; required with a driver"),
    DRIVER_CLASS("DriverClass", Kind.CLASS_NAME, Group.DATABASE, Source.DRIVER, "", "",
            "java.sql.Driver class; empty: the driver that accepts the URL"),
    DATA_SOURCE_CLASS("DataSourceClass", Kind.CLASS_NAME, Group.DATABASE, Source.DATA_SOURCE, "", "",
            "javax.sql.DataSource class used instead of a driver"),
    XA_DATA_SOURCE_CLASS("XADataSourceClass", Kind.CLASS_NAME, Group.DATABASE, Source.XA_DATA_SOURCE, "", "",
            "javax.sql.XADataSource class, for connections the server can enlist in XA transactions"),
    /** Not "TransactionSupport": the factory's getTransactionSupport() belongs to the JCA interface of that name. */
    TRANSACTION_SUPPORT_LEVEL("TransactionSupportLevel", Kind.TRANSACTION_LEVEL, Group.DATABASE, Source.EVERY, "",
            "", "NoTransaction, LocalTransaction or XATransaction; empty: XATransaction with an XADataSourceClass, "
                    + "else LocalTransaction"),
    DATA_SOURCE_PROPERTIES("DataSourceProperties", Kind.KEY_VALUES, Group.DATABASE, Source.ANY_DATA_SOURCE, "", "",
            "JavaBean properties of the DataSource or XADataSource class: name=value;name=value"),
    USER("User", Kind.TEXT, Group.DATABASE, Source.EVERY, "", "", "Database user"),
    PASSWORD("Password", Kind.SECRET, Group.DATABASE, Source.EVERY, "", "", "Database password; never logged"),
    USER_FILE("UserFile", Kind.TEXT, Group.DATABASE, Source.EVERY, "", "",
            "File holding the user, read again for new connections whenever it changes; instead of User"),
    PASSWORD_FILE("PasswordFile", Kind.TEXT, Group.DATABASE, Source.EVERY, "", "",
            "File holding the password (a mounted secret), read again for new connections whenever it changes; "
                    + "instead of Password"),
    CONNECTION_PROPERTIES("ConnectionProperties", Kind.KEY_VALUES, Group.DATABASE, Source.DRIVER, "", "",
            "Extra driver properties: name=value;name=value"),
    TRANSACTION_ISOLATION("TransactionIsolation", Kind.ISOLATION, Group.TUNING, Source.EVERY, "", "",
            "READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ or SERIALIZABLE; empty: the driver's default"),
    VALIDATION_QUERY("ValidationQuery", Kind.TEXT, Group.TUNING, Source.EVERY, "", "",
            "Query that validates a connection; empty: Connection.isValid"),
    VALIDATION_TIMEOUT("ValidationTimeout", Kind.DURATION, Group.TUNING, Source.EVERY, "5", "seconds", 1, 3600,
            "Seconds one validation may take (1 to 3600)"),
    LOGIN_TIMEOUT("LoginTimeout", Kind.DURATION, Group.TUNING, Source.EVERY, "30", "seconds", 0, 3600,
            "Seconds opening a connection may take"),
    NETWORK_TIMEOUT("NetworkTimeout", Kind.DURATION, Group.TUNING, Source.EVERY, "300", "seconds", 0, 86400,
            "Seconds the driver waits for any reply from the database before it gives the connection up "
                    + "(Connection.setNetworkTimeout), so a database gone silent fails its borrowers; 0: forever"),
    QUERY_TIMEOUT("QueryTimeout", Kind.DURATION, Group.TUNING, Source.EVERY, "0", "seconds", 0, 86400,
            "Default query timeout of every statement; 0: none"),
    PREPARED_STATEMENT_CACHE_SIZE("PreparedStatementCacheSize", Kind.COUNT, Group.TUNING, Source.EVERY, "0",
            "statements", 0, 10_000, "Prepared statements kept open per physical connection, by SQL; 0: off"),
    FATAL_ERROR_CLASSIFIER("FatalErrorClassifier", Kind.CLASS_NAME, Group.TUNING, Source.EVERY, "", "",
            "Class implementing org.jdbcpoolra.spi.FatalErrorClassifier; empty: the built-in rules"),
    FATAL_SQL_STATES("FatalSqlStates", Kind.LIST, Group.TUNING, Source.EVERY, "", "",
            "More SQLStates (5 characters) or SQLState classes (2) that mean the connection is lost, "
                    + "comma-separated; added to the classifier's"),
    FATAL_ERROR_CODES("FatalErrorCodes", Kind.LIST, Group.TUNING, Source.EVERY, "", "",
            "More vendor error codes that mean the connection is lost, comma-separated; added to the classifier's"),
    INIT_SQL("InitSql", Kind.TEXT, Group.TUNING, Source.EVERY, "", "",
            "Statements run once on every new physical connection, separated by ';'; one that fails fails the "
                    + "connection's creation"),
    MAX_LIFETIME("MaxLifetime", Kind.DURATION, Group.TUNING, Source.EVERY, "1800", "seconds", 0, 86400,
            "Seconds a physical connection serves before it is retired (each up to a tenth sooner, at random, so "
                    + "they do not retire together); 0: no limit"),
    MAX_USES("MaxUses", Kind.COUNT, Group.TUNING, Source.EVERY, "0", "borrows",
            "Borrows a physical connection serves before it is retired; 0: no limit"),
    AUTH_FAILURE_BACKOFF("AuthFailureBackoffMillis", Kind.DURATION, Group.TUNING, Source.EVERY, "5000",
            "milliseconds", 0, 3_600_000,
            "After the database refuses the pool's credentials, new connections fail at once for "
                    + "this long unless the credentials change; 0: always try"),
    VALIDATION_BYPASS("ValidationBypassMillis", Kind.DURATION, Group.TUNING, Source.EVERY, "500", "milliseconds",
            0, 60_000,
            "A connection returned without a fatal error within this many milliseconds is valid without a round "
                    + "trip; 0: always ask the database"),
    KEEPALIVE("KeepaliveSeconds", Kind.DURATION, Group.TUNING, Source.EVERY, "120", "seconds", 0, 86400,
            "The adapter itself validates a connection idle this long and reports a dead one to the server, which "
                    + "removes it before a borrower meets it; 0: off"),
    TRANSACTION_POOLER("TransactionPooler", Kind.BOOLEAN, Group.TUNING, Source.EVERY, "false", "",
            "true when connections go through a transaction pooler (PgBouncer in transaction mode), where each "
                    + "transaction may run on another server session: setTransactionIsolation and setSchema, which "
                    + "drivers apply to the session, are then refused, and so are TransactionIsolation and InitSql");

    /** What a value must look like; the parser of each kind lives in {@link PoolConfig}. */
    public enum Kind {
        TEXT, SECRET, CLASS_NAME, KEY_VALUES, LIST, ISOLATION, TRANSACTION_LEVEL, DURATION, COUNT, BOOLEAN
    }

    /**
     * {@code DATABASE}: which database and how to reach it, the deployer's own values (examples in the scripts).
     * {@code TUNING}: how the pool behaves, where every script ships the default declared here.
     */
    public enum Group {
        DATABASE, TUNING
    }

    /** Which connection definitions a property means something to, by where their connections come from. */
    public enum Source {
        EVERY, DRIVER, DATA_SOURCE, XA_DATA_SOURCE, ANY_DATA_SOURCE;

        /** Whether a connection definition whose connections come from an XA data source uses it. */
        public boolean appliesToXa() {
            return this == EVERY || this == XA_DATA_SOURCE || this == ANY_DATA_SOURCE;
        }

        /** Whether a connection definition with a driver or a plain data source uses it. */
        public boolean appliesToLocal() {
            return this != XA_DATA_SOURCE;
        }
    }

    private final String propertyName;
    private final Kind kind;
    private final Group group;
    private final Source source;
    private final String defaultValue;
    private final String unit;
    private final long min;
    private final long max;
    private final String description;

    PoolProperty(String propertyName, Kind kind, Group group, Source source, String defaultValue, String unit,
            String description) {
        this(propertyName, kind, group, source, defaultValue, unit, 0, Integer.MAX_VALUE, description);
    }

    /**
     * A number with bounds: what drivers take (a network timeout is an int of milliseconds), what makes sense (a
     * cache of a million statements per connection does not), and 1 where 0 would mean "no bound" and a wait without
     * a deadline.
     */
    PoolProperty(String propertyName, Kind kind, Group group, Source source, String defaultValue, String unit,
            long min, long max, String description) {
        this.propertyName = propertyName;
        this.kind = kind;
        this.group = group;
        this.source = source;
        this.defaultValue = defaultValue;
        this.unit = unit;
        this.min = min;
        this.max = max;
        this.description = description;
    }

    /** The name as the server's configuration, the scripts and README spell it: {@code QueryTimeout}. */
    public String propertyName() {
        return propertyName;
    }

    public Kind kind() {
        return kind;
    }

    public Group group() {
        return group;
    }

    public Source source() {
        return source;
    }

    /** The value used when the property is unset or blank; empty when unset means "none" or "derived". */
    public String defaultValue() {
        return defaultValue;
    }

    /** The unit of a number (seconds, statements); empty otherwise. */
    public String unit() {
        return unit;
    }

    /** The smallest value a number may take. */
    public long min() {
        return min;
    }

    /** The largest value a number may take. */
    public long max() {
        return max;
    }

    /**
     * Never shown in clear by consoles (JCA's confidential flag): the password, and what can carry one (a URL's
     * password parameter or user info, a driver's or data source's password property).
     */
    public boolean confidential() {
        return kind == Kind.SECRET || this == URL || this == CONNECTION_PROPERTIES || this == DATA_SOURCE_PROPERTIES;
    }

    public String description() {
        return description;
    }

    /** The property of that name, or null. */
    public static PoolProperty named(String propertyName) {
        for (PoolProperty property : values()) {
            if (property.propertyName.equals(propertyName)) {
                return property;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return propertyName;
    }
}
