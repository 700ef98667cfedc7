package org.jdbcpoolra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The configuration is validated once, from the strings the server injected. Every error names the property it is
 * about, because that is what the deployer has to fix, and never carries the password, because it ends up in logs.
 */
@DisplayName("PoolConfig")
class PoolConfigTest {
    private static final String PASSWORD = "s3cr3t-Pa55";

    /** A valid configuration with a password, plus {@code overrides} (a null value removes the property). */
    private static Map<PoolProperty, String> raw(Object... overrides) {
        Map<PoolProperty, String> raw = new HashMap<>();
        raw.put(PoolProperty.URL, "jdbc:h2:mem:pool");
        raw.put(PoolProperty.USER, "app");
        raw.put(PoolProperty.PASSWORD, PASSWORD);
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                raw.remove((PoolProperty) overrides[i]);
            } else {
                raw.put((PoolProperty) overrides[i], (String) overrides[i + 1]);
            }
        }
        return raw;
    }

    static Stream<Arguments> invalidConfigurations() {
        return Stream.of(
                Arguments.of("missing Url", raw(PoolProperty.URL, null), PoolProperty.URL),
                Arguments.of("blank Url", raw(PoolProperty.URL, "   "), PoolProperty.URL),
                Arguments.of("Url without jdbc:", raw(PoolProperty.URL, "h2:mem:pool"), PoolProperty.URL),
                Arguments.of("Url without jdbc:, with a password in it",
                        raw(PoolProperty.URL, "postgresql://app:" + PASSWORD + "@db/shop?password=" + PASSWORD),
                        PoolProperty.URL),
                Arguments.of("DriverClass and DataSourceClass",
                        raw(PoolProperty.DRIVER_CLASS, "org.h2.Driver", PoolProperty.DATA_SOURCE_CLASS,
                                "org.h2.jdbcx.JdbcDataSource"), PoolProperty.DRIVER_CLASS),
                Arguments.of("DriverClass that is no class name", raw(PoolProperty.DRIVER_CLASS, "org.h2.Driver;x"),
                        PoolProperty.DRIVER_CLASS),
                Arguments.of("FatalErrorClassifier that is no class name",
                        raw(PoolProperty.FATAL_ERROR_CLASSIFIER, "1st.Classifier"),
                                PoolProperty.FATAL_ERROR_CLASSIFIER),
                Arguments.of("unknown TransactionIsolation", raw(PoolProperty.TRANSACTION_ISOLATION, "SOMETIMES"),
                        PoolProperty.TRANSACTION_ISOLATION),
                Arguments.of("numeric TransactionIsolation that is no level",
                        raw(PoolProperty.TRANSACTION_ISOLATION, "3"), PoolProperty.TRANSACTION_ISOLATION),
                Arguments.of("non-numeric ValidationTimeout", raw(PoolProperty.VALIDATION_TIMEOUT, "five"),
                        PoolProperty.VALIDATION_TIMEOUT),
                Arguments.of("fractional ValidationTimeout", raw(PoolProperty.VALIDATION_TIMEOUT, "1.5"),
                        PoolProperty.VALIDATION_TIMEOUT),
                Arguments.of("negative ValidationTimeout", raw(PoolProperty.VALIDATION_TIMEOUT, "-1"),
                        PoolProperty.VALIDATION_TIMEOUT),
                Arguments.of("non-numeric LoginTimeout", raw(PoolProperty.LOGIN_TIMEOUT, "30s"),
                        PoolProperty.LOGIN_TIMEOUT),
                Arguments.of("negative LoginTimeout", raw(PoolProperty.LOGIN_TIMEOUT, "-30"),
                        PoolProperty.LOGIN_TIMEOUT),
                Arguments.of("non-numeric QueryTimeout", raw(PoolProperty.QUERY_TIMEOUT, "soon"),
                        PoolProperty.QUERY_TIMEOUT),
                Arguments.of("negative QueryTimeout", raw(PoolProperty.QUERY_TIMEOUT, "-1"),
                        PoolProperty.QUERY_TIMEOUT),
                Arguments.of("ConnectionProperties entry without '='",
                        raw(PoolProperty.CONNECTION_PROPERTIES, "password=" + PASSWORD + ";ssl"),
                        PoolProperty.CONNECTION_PROPERTIES),
                Arguments.of("ConnectionProperties entry without a key",
                        raw(PoolProperty.CONNECTION_PROPERTIES, "password=" + PASSWORD + ";=true"),
                        PoolProperty.CONNECTION_PROPERTIES),
                Arguments.of("DataSourceProperties entry without '='",
                        raw(PoolProperty.DATA_SOURCE_PROPERTIES, "serverName=db;portNumber"),
                        PoolProperty.DATA_SOURCE_PROPERTIES),
                Arguments.of("DriverClass and XADataSourceClass", raw(PoolProperty.DRIVER_CLASS, "org.h2.Driver",
                        PoolProperty.XA_DATA_SOURCE_CLASS, "org.h2.jdbcx.JdbcDataSource"), PoolProperty.DRIVER_CLASS),
                Arguments.of("XATransaction without an XA data source",
                        raw(PoolProperty.TRANSACTION_SUPPORT_LEVEL, "XATransaction"),
                                PoolProperty.TRANSACTION_SUPPORT_LEVEL),
                Arguments.of("negative PreparedStatementCacheSize",
                        raw(PoolProperty.PREPARED_STATEMENT_CACHE_SIZE, "-1"),
                                PoolProperty.PREPARED_STATEMENT_CACHE_SIZE),
                Arguments.of("non-numeric PreparedStatementCacheSize",
                        raw(PoolProperty.PREPARED_STATEMENT_CACHE_SIZE, "many"),
                        PoolProperty.PREPARED_STATEMENT_CACHE_SIZE),
                Arguments.of("unknown TransactionSupportLevel",
                        raw(PoolProperty.TRANSACTION_SUPPORT_LEVEL, "sometimes"),
                        PoolProperty.TRANSACTION_SUPPORT_LEVEL),
                Arguments.of("a SQLState of 3 characters", raw(PoolProperty.FATAL_SQL_STATES, "08006, 570"),
                        PoolProperty.FATAL_SQL_STATES),
                Arguments.of("a vendor code that is no number", raw(PoolProperty.FATAL_ERROR_CODES, "1927,gone"),
                        PoolProperty.FATAL_ERROR_CODES),
                Arguments.of("a negative ValidationBypassMillis", raw(PoolProperty.VALIDATION_BYPASS, "-5"),
                        PoolProperty.VALIDATION_BYPASS),
                Arguments.of("TransactionPooler neither true nor false", raw(PoolProperty.TRANSACTION_POOLER, "yes"),
                        PoolProperty.TRANSACTION_POOLER),
                Arguments.of("InitSql behind a transaction pooler", raw(PoolProperty.TRANSACTION_POOLER, "true",
                        PoolProperty.INIT_SQL, "SET search_path TO app"), PoolProperty.INIT_SQL),
                Arguments.of("TransactionIsolation behind a transaction pooler", raw(PoolProperty.TRANSACTION_POOLER,
                        "TRUE", PoolProperty.TRANSACTION_ISOLATION, "SERIALIZABLE"),
                        PoolProperty.TRANSACTION_ISOLATION),
                Arguments.of("TransactionIsolation NONE, which no connection can be set to",
                        raw(PoolProperty.TRANSACTION_ISOLATION, "NONE"), PoolProperty.TRANSACTION_ISOLATION),
                Arguments.of("NetworkTimeout of an hour written in milliseconds",
                        raw(PoolProperty.NETWORK_TIMEOUT, "3600000"), PoolProperty.NETWORK_TIMEOUT),
                Arguments.of("NetworkTimeout beyond what an int of milliseconds holds",
                        raw(PoolProperty.NETWORK_TIMEOUT, "4294968"), PoolProperty.NETWORK_TIMEOUT),
                Arguments.of("ValidationTimeout 0: a validation without a bound",
                        raw(PoolProperty.VALIDATION_TIMEOUT, "0"), PoolProperty.VALIDATION_TIMEOUT),
                Arguments.of("ValidationTimeout beyond an int of milliseconds",
                        raw(PoolProperty.VALIDATION_TIMEOUT, "2147484"), PoolProperty.VALIDATION_TIMEOUT),
                Arguments.of("LoginTimeout of days", raw(PoolProperty.LOGIN_TIMEOUT, "9000000"),
                        PoolProperty.LOGIN_TIMEOUT),
                Arguments.of("QueryTimeout of days", raw(PoolProperty.QUERY_TIMEOUT, "9000000"),
                        PoolProperty.QUERY_TIMEOUT),
                Arguments.of("PreparedStatementCacheSize of 2^30",
                        raw(PoolProperty.PREPARED_STATEMENT_CACHE_SIZE, "1073741824"),
                        PoolProperty.PREPARED_STATEMENT_CACHE_SIZE),
                Arguments.of("PreparedStatementCacheSize of a million",
                        raw(PoolProperty.PREPARED_STATEMENT_CACHE_SIZE, "1000000"),
                        PoolProperty.PREPARED_STATEMENT_CACHE_SIZE),
                Arguments.of("a number beyond int", raw(PoolProperty.MAX_LIFETIME, "99999999999"),
                        PoolProperty.MAX_LIFETIME));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigurations")
    @DisplayName("an invalid value is refused with the property's name and without the password")
    void invalidValueIsRefusedNamingTheProperty(String description, Map<PoolProperty, String> raw,
            PoolProperty property) {
        ConfigException e = assertThrows(ConfigException.class, () -> PoolConfig.from(raw));

        assertEquals(property.propertyName(), e.property());
        assertTrue(e.getMessage().startsWith(property + ": "), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }

    @Test
    @DisplayName("an entry without '=' is refused without quoting it: it may be the tail of a password with a ';'")
    void keyValueErrorQuotesNoValue() {
        String head = PASSWORD.substring(0, 4);
        String tail = PASSWORD.substring(4);
        ConfigException e = assertThrows(ConfigException.class, () -> PoolConfig.from(raw(
                PoolProperty.DATA_SOURCE_PROPERTIES, "user=app;password=" + head + ";" + tail)));

        assertEquals(PoolProperty.DATA_SOURCE_PROPERTIES.propertyName(), e.property());
        assertFalse(e.getMessage().contains(tail), e.getMessage());
    }

    @Test
    void aValidConfigurationIsReadAsGiven() {
        PoolConfig config = PoolConfig.from(raw(
                PoolProperty.POOL_NAME, "orders",
                PoolProperty.DRIVER_CLASS, "org.h2.Driver",
                PoolProperty.CONNECTION_PROPERTIES, "ssl=true; options = -c search_path=app ;",
                PoolProperty.TRANSACTION_ISOLATION, "read_committed",
                PoolProperty.VALIDATION_QUERY, "SELECT 1",
                PoolProperty.VALIDATION_TIMEOUT, "10",
                PoolProperty.LOGIN_TIMEOUT, "0",
                PoolProperty.FATAL_ERROR_CLASSIFIER, "com.example.Classifier"));

        assertEquals("orders", config.poolName());
        assertEquals("jdbc:h2:mem:pool", config.url());
        assertEquals("org.h2.Driver", config.driverClass());
        assertEquals("app", config.user());
        assertEquals(PASSWORD, config.password());
        assertEquals(Map.of("ssl", "true", "options", "-c search_path=app"), config.connectionProperties());
        assertEquals(Connection.TRANSACTION_READ_COMMITTED, config.transactionIsolation());
        assertEquals("SELECT 1", config.validationQuery());
        assertEquals(10, config.validationTimeoutSeconds());
        assertEquals(0, config.loginTimeoutSeconds());
        assertEquals("com.example.Classifier", config.fatalErrorClassifier());
    }

    @Test
    @DisplayName("unset and blank properties get their defaults")
    void unsetPropertiesGetDefaults() {
        PoolConfig config = PoolConfig.from(raw(PoolProperty.DRIVER_CLASS, "  ", PoolProperty.VALIDATION_QUERY, "",
                PoolProperty.URL, "jdbc:h2:mem:pool;DB_CLOSE_DELAY=-1;PASSWORD=" + PASSWORD));

        assertNull(config.driverClass());
        assertNull(config.validationQuery());
        assertEquals(-1, config.transactionIsolation());
        assertEquals(Integer.parseInt(PoolProperty.VALIDATION_TIMEOUT.defaultValue()),
                config.validationTimeoutSeconds());
        assertEquals(Integer.parseInt(PoolProperty.LOGIN_TIMEOUT.defaultValue()), config.loginTimeoutSeconds());
        assertEquals(Map.of(), config.connectionProperties());
        assertEquals("jdbc:h2:mem:pool", config.poolName(), "the URL without its parameters");
        assertEquals(500, config.validationBypassMillis());
        assertEquals(List.of(), config.initSql());
        assertEquals(Set.of(), config.fatalSqlStates());
    }

    @Test
    @DisplayName("InitSql is split on ';' outside quotes; fatal states and codes are read as lists")
    void initSqlAndFatalListsAreParsed() {
        PoolConfig config = PoolConfig.from(raw(PoolProperty.URL, "jdbc:h2:mem:pool",
                PoolProperty.INIT_SQL, " SET application_name = 'a;b' ; SET search_path = \"x;y\";; ",
                PoolProperty.FATAL_SQL_STATES, "42p01, ,XX", PoolProperty.FATAL_ERROR_CODES, "1146, 5555"));

        assertEquals(List.of("SET application_name = 'a;b'", "SET search_path = \"x;y\""), config.initSql());
        assertEquals(Set.of("42P01", "XX"), config.fatalSqlStates());
        assertEquals(Set.of(1146, 5555), config.fatalErrorCodes());
    }

    @ParameterizedTest
    @CsvSource({
            "READ_UNCOMMITTED, 1", "read-committed, 2", "Repeatable Read, 4", "TRANSACTION_SERIALIZABLE, 8",
            "2, 2", "8, 8"})
    void transactionIsolationIsReadByNameOrNumber(String text, int level) {
        assertEquals(level, PoolConfig.from(raw(PoolProperty.TRANSACTION_ISOLATION, text)).transactionIsolation());
    }

    @Test
    @DisplayName("a data source needs no Url")
    void aDataSourceNeedsNoUrl() {
        PoolConfig config = PoolConfig.from(raw(PoolProperty.URL, null,
                PoolProperty.DATA_SOURCE_CLASS, "org.h2.jdbcx.JdbcDataSource",
                PoolProperty.DATA_SOURCE_PROPERTIES, "url=jdbc:h2:mem:ds;user=sa"));

        assertNull(config.url());
        assertEquals(Map.of("url", "jdbc:h2:mem:ds", "user", "sa"), config.dataSourceProperties());
        assertEquals("JdbcDataSource", config.poolName());
    }

    @ParameterizedTest
    @CsvSource({"'', false, LocalTransaction", "'', true, XATransaction", "local, true, LocalTransaction",
            "NoTransaction, false, NoTransaction", "xa, true, XATransaction", "XA_TRANSACTION, true, XATransaction"})
    @DisplayName("TransactionSupportLevel: by name, or XA exactly when an XA data source is configured")
    void transactionSupportLevelByNameOrByDataSource(String text, boolean xa, String level) {
        PoolConfig config = PoolConfig.from(raw(PoolProperty.TRANSACTION_SUPPORT_LEVEL, text,
                PoolProperty.XA_DATA_SOURCE_CLASS, xa ? "org.h2.jdbcx.JdbcDataSource" : null));

        assertEquals(level, config.transactionSupport().name());
    }

    @Test
    @DisplayName("the password is taken verbatim: spaces may be part of it")
    void passwordIsTakenVerbatim() {
        String padded = " " + PASSWORD + " ";
        assertEquals(padded, PoolConfig.from(raw(PoolProperty.PASSWORD, padded)).password());
    }

    @Test
    @DisplayName("toString shows no password, wherever it was configured")
    void toStringShowsNoPassword() {
        PoolConfig config = PoolConfig.from(raw(
                PoolProperty.URL, "jdbc:postgresql://app:" + PASSWORD + "@db/shop?password=" + PASSWORD,
                PoolProperty.CONNECTION_PROPERTIES, "password=" + PASSWORD + ";sslpassword=" + PASSWORD));

        String text = config.toString();

        assertFalse(text.contains(PASSWORD), text);
        assertTrue(text.contains("password=***"), text);
        assertTrue(text.contains("db/shop"), "the rest of the URL is still there: " + text);
    }

    @Test
    @DisplayName("a data source's properties, which may hold a password, are not printed")
    void toStringShowsNoDataSourcePassword() {
        PoolConfig config = PoolConfig.from(raw(PoolProperty.URL, null,
                PoolProperty.DATA_SOURCE_CLASS, "org.h2.jdbcx.JdbcDataSource",
                PoolProperty.DATA_SOURCE_PROPERTIES, "url=jdbc:h2:mem:ds;password=" + PASSWORD));

        assertFalse(config.toString().contains(PASSWORD), config.toString());
    }

    @Test
    @DisplayName("the configuration cannot change after validation")
    void configurationIsImmutable() {
        Map<PoolProperty, String> raw = raw(PoolProperty.CONNECTION_PROPERTIES, "ssl=true");
        PoolConfig config = PoolConfig.from(raw);

        raw.put(PoolProperty.URL, "jdbc:h2:mem:other");
        raw.put(PoolProperty.CONNECTION_PROPERTIES, "ssl=false");

        assertEquals("jdbc:h2:mem:pool", config.url());
        assertThrows(UnsupportedOperationException.class, () -> config.connectionProperties().put("ssl", "false"));
        assertThrows(UnsupportedOperationException.class, () -> config.dataSourceProperties().put("x", "y"));
    }

    @Test
    void equallyConfiguredPoolsAreEqual() {
        assertEquals(PoolConfig.from(raw()), PoolConfig.from(raw()));
        assertEquals(PoolConfig.from(raw()).hashCode(), PoolConfig.from(raw()).hashCode());
        assertFalse(PoolConfig.from(raw()).equals(PoolConfig.from(raw(PoolProperty.URL, "jdbc:h2:mem:other"))));
    }
}
