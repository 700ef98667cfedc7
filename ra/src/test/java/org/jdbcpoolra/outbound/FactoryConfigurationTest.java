package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.InvalidPropertyException;
import jakarta.resource.spi.ManagedConnection;

import org.jdbcpoolra.config.ConfigException;
import org.jdbcpoolra.config.PoolConfig;
import org.jdbcpoolra.config.PoolProperty;
import org.jdbcpoolra.support.AlwaysFatal;
import org.jdbcpoolra.support.CountingClassifier;
import org.jdbcpoolra.support.IndiscreetDataSource;
import org.jdbcpoolra.support.RecordingListener;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The factory turns the deployer's properties into connections. A mistake must fail the deployment with the
 * property's name; a failed login must say why without ever showing the password, in any message of the chain.
 */
@DisplayName("JdbcManagedConnectionFactory configuration")
class FactoryConfigurationTest {
    private static final String PASSWORD = "s3cr3t-Pa55";
    private static final ConnectionManager NO_MANAGER = (factory, info) -> {
        throw new AssertionError("not used");
    };

    private TestDatabase db;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.create();
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void unknownDriverClassIsAnInvalidDriverClass() {
        JdbcManagedConnectionFactory factory = db.factory();
        factory.setDriverClass("com.example.NoSuchDriver");

        InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                () -> factory.createConnectionFactory(NO_MANAGER));

        assertTrue(e.getMessage().contains(PoolProperty.DRIVER_CLASS.propertyName()), e.getMessage());
        assertTrue(e.getMessage().contains("com.example.NoSuchDriver"), e.getMessage());
        assertEquals(PoolProperty.DRIVER_CLASS.propertyName(), assertInstanceOf(ConfigException.class,
                e.getCause()).property());
    }

    @Test
    void driverClassThatIsNoDriverIsAnInvalidDriverClass() {
        JdbcManagedConnectionFactory factory = db.factory();
        factory.setDriverClass("java.lang.String");

        InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                () -> factory.createConnectionFactory(NO_MANAGER));

        assertTrue(e.getMessage().contains(PoolProperty.DRIVER_CLASS.propertyName()), e.getMessage());
    }

    @Test
    @DisplayName("a URL no driver accepts is an invalid Url, reported without the password it contains")
    void urlNoDriverAcceptsIsAnInvalidUrl() {
        JdbcManagedConnectionFactory factory = new JdbcManagedConnectionFactory();
        factory.setUrl("jdbc:nosuchdb://app:" + PASSWORD + "@db/shop?password=" + PASSWORD);

        InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                () -> factory.createConnectionFactory(NO_MANAGER));

        assertTrue(e.getMessage().contains(PoolProperty.URL + ":"), e.getMessage());
        assertFalse(stackTrace(e).contains(PASSWORD), stackTrace(e));
    }

    @Test
    void urlTheConfiguredDriverRejectsIsAnInvalidUrl() {
        JdbcManagedConnectionFactory factory = new JdbcManagedConnectionFactory();
        factory.setDriverClass("org.h2.Driver");
        factory.setUrl("jdbc:postgresql://db/shop");

        InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                () -> factory.createConnectionFactory(NO_MANAGER));

        assertTrue(e.getMessage().contains(PoolProperty.URL + ":"), e.getMessage());
    }

    @Test
    @DisplayName("an invalid property also stops createManagedConnection, with the same kind of error")
    void invalidPropertyStopsCreateManagedConnection() {
        JdbcManagedConnectionFactory factory = db.factory();
        factory.setValidationTimeout("soon");
        factory.setPassword(PASSWORD);

        InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                () -> factory.createManagedConnection(null, null));

        assertTrue(e.getMessage().contains(PoolProperty.VALIDATION_TIMEOUT.propertyName()), e.getMessage());
        assertFalse(stackTrace(e).contains(PASSWORD));
    }

    @Test
    @DisplayName("a property fixed after a failed validation is validated again")
    void fixedPropertyIsValidatedAgain() throws Exception {
        JdbcManagedConnectionFactory factory = db.factory();
        factory.setDriverClass("com.example.NoSuchDriver");
        assertThrows(InvalidPropertyException.class, () -> factory.createConnectionFactory(NO_MANAGER));

        factory.setDriverClass("org.h2.Driver");

        assertInstanceOf(DataSource.class, factory.createConnectionFactory(NO_MANAGER));
        assertEquals("org.h2.Driver", factory.config().driverClass());
    }

    @Test
    void createConnectionFactoryOutsideAServerIsNotSupported() {
        assertThrows(NotSupportedException.class, () -> db.factory().createConnectionFactory());
    }

    @Test
    @DisplayName("a DataSourceClass gets the Url and its DataSourceProperties as JavaBean properties")
    void dataSourceClassIsConfiguredThroughBeanProperties() throws Exception {
        JdbcManagedConnectionFactory factory = db.factory();
        factory.setDataSourceClass("org.h2.jdbcx.JdbcDataSource");
        factory.setDataSourceProperties("description=orders pool; loginTimeout=7");

        ManagedConnection mc = factory.createManagedConnection(null, null);
        Connection handle = (Connection) mc.getConnection(null, null);

        db.execute("CREATE TABLE item(id INT)");
        assertTrue(handle.getMetaData().getTables(null, null, "ITEM", null).next(), "the configured database");
        mc.destroy();
    }

    @Test
    void unknownDataSourcePropertyIsAnInvalidDataSourceProperties() {
        JdbcManagedConnectionFactory factory = db.factory();
        factory.setDataSourceClass("org.h2.jdbcx.JdbcDataSource");
        factory.setDataSourceProperties("noSuchProperty=1");

        InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                () -> factory.createConnectionFactory(NO_MANAGER));

        assertTrue(e.getMessage().contains(PoolProperty.DATA_SOURCE_PROPERTIES.propertyName()), e.getMessage());
        assertTrue(e.getMessage().contains("noSuchProperty"), e.getMessage());
    }

    @Test
    @DisplayName("a configured FatalErrorClassifier decides which errors are fatal")
    void configuredFatalErrorClassifierIsUsed() throws Exception {
        JdbcManagedConnectionFactory factory = db.factory();
        factory.setFatalErrorClassifier(AlwaysFatal.class.getName());
        ManagedConnection mc = factory.createManagedConnection(null, null);
        RecordingListener listener = new RecordingListener();
        mc.addConnectionEventListener(listener);
        Connection handle = (Connection) mc.getConnection(null, null);

        assertThrows(SQLException.class, () -> handle.createStatement().execute("SELEC 1"));

        assertEquals(List.of("CONNECTION_ERROR_OCCURRED"), listener.types());
        mc.destroy();
    }

    @Test
    void fatalErrorClassifierThatIsNoClassifierIsInvalid() {
        JdbcManagedConnectionFactory factory = db.factory();
        factory.setFatalErrorClassifier("java.lang.String");

        InvalidPropertyException e = assertThrows(InvalidPropertyException.class,
                () -> factory.createConnectionFactory(NO_MANAGER));

        assertTrue(e.getMessage().contains(PoolProperty.FATAL_ERROR_CLASSIFIER.propertyName()), e.getMessage());
    }

    @Test
    @DisplayName("a wrong password fails the login with a message that names the user but not the password")
    void wrongPasswordFailsWithoutShowingIt() throws Exception {
        try (TestDatabase secured = TestDatabase.withUser("OWNER", "right-Pa55")) {
            JdbcManagedConnectionFactory factory = secured.factory();
            factory.setUser("OWNER");
            factory.setPassword(PASSWORD);

            ResourceException e = assertThrows(ResourceException.class,
                    () -> factory.createManagedConnection(null, null));

            assertTrue(e.getMessage().contains("OWNER"), e.getMessage());
            assertEquals("28000", e.getErrorCode(), "the driver's SQLState");
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(PASSWORD), t.toString());
            }
            assertFalse(stackTrace(e).contains(PASSWORD));
        }
    }

    @Test
    void rightPasswordOpensTheConnection() throws Exception {
        try (TestDatabase secured = TestDatabase.withUser("OWNER", "right-Pa55")) {
            JdbcManagedConnectionFactory factory = secured.factory();
            factory.setUser("OWNER");
            factory.setPassword("right-Pa55");

            ManagedConnection mc = factory.createManagedConnection(null, null);

            assertEquals("OWNER", mc.getMetaData().getUserName());
            mc.destroy();
        }
    }

    @Test
    @DisplayName("a driver that quotes the password in its messages is redacted at every level of the chain")
    void passwordQuotedByTheDriverIsRedactedEverywhere() {
        JdbcManagedConnectionFactory factory = new JdbcManagedConnectionFactory();
        factory.setDataSourceClass(IndiscreetDataSource.class.getName());
        factory.setUser("app");
        factory.setPassword(PASSWORD);

        ResourceException e = assertThrows(ResourceException.class,
                () -> factory.createManagedConnection(null, null));

        String trace = stackTrace(e);
        assertFalse(trace.contains(PASSWORD), trace);
        assertTrue(e.getMessage().contains("password authentication failed for user app"), e.getMessage());
        assertTrue(trace.contains("protocol error") && trace.contains("handshake"),
                "the causes are kept, only without the password: " + trace);
    }

    @Test
    @DisplayName("neither the validated configuration nor the factory prints the password")
    void configurationDoesNotPrintThePassword() {
        JdbcManagedConnectionFactory factory = db.factory();
        factory.setPassword(PASSWORD);
        factory.setConnectionProperties("password=" + PASSWORD);

        assertFalse(factory.config().toString().contains(PASSWORD));
        assertFalse(new Credentials("app", PASSWORD).toString().contains(PASSWORD));
        assertFalse(new JdbcConnectionRequestInfo("app", PASSWORD).toString().contains(PASSWORD));
    }

    @Test
    void equallyConfiguredFactoriesAreEqual() {
        JdbcManagedConnectionFactory one = configured(db.url());
        JdbcManagedConnectionFactory other = configured(db.url());

        assertEquals(one, other);
        assertEquals(one.hashCode(), other.hashCode());
    }

    @Test
    void factoriesWithDifferentUrlsDiffer() {
        assertNotEquals(configured(db.url()), configured(db.url() + ";MODE=PostgreSQL"));
    }

    @Test
    void factoriesWithDifferentPasswordsDiffer() {
        JdbcManagedConnectionFactory other = configured(db.url());
        other.setPassword("other-password");

        assertNotEquals(configured(db.url()), other);
    }

    @Test
    @DisplayName("invalid configurations compare by their raw values")
    void invalidConfigurationsCompareByRawValues() {
        JdbcManagedConnectionFactory one = configured(db.url());
        JdbcManagedConnectionFactory other = configured(db.url());
        one.setValidationTimeout("soon");
        other.setValidationTimeout("soon");
        JdbcManagedConnectionFactory third = configured(db.url());
        third.setValidationTimeout("later");

        assertEquals(one, other);
        assertEquals(one.hashCode(), other.hashCode());
        assertNotEquals(one, third);
    }

    @Test
    @DisplayName("a factory's identity follows a property changed after first use")
    void identityFollowsChangedProperties() {
        JdbcManagedConnectionFactory one = configured(db.url());
        JdbcManagedConnectionFactory other = configured(db.url());
        assertEquals(one, other);

        other.setUser("someone-else");

        assertNotEquals(one, other);
    }

    @Test
    @DisplayName("once active, a change is refused naming the property (never a password), and identity stays")
    void activeConfigurationRefusesChanges() throws Exception {
        JdbcManagedConnectionFactory factory = configured(db.url());
        int hash = factory.hashCode();
        factory.createConnectionFactory(NO_MANAGER);

        IllegalStateException url = assertThrows(IllegalStateException.class,
                () -> factory.setUrl("jdbc:h2:mem:other"));
        IllegalStateException password = assertThrows(IllegalStateException.class,
                () -> factory.setPassword("new-" + PASSWORD));
        factory.setUrl(db.url());
        factory.setPassword(PASSWORD);

        assertTrue(url.getMessage().contains("Url cannot change once the pool is active"), url.getMessage());
        assertTrue(password.getMessage().contains("Password"), password.getMessage());
        assertFalse(password.getMessage().contains(PASSWORD), password.getMessage());
        assertEquals(db.url(), factory.getUrl());
        assertEquals(db.url(), factory.config().url());
        assertEquals(hash, factory.hashCode());
        assertEquals(configured(db.url()), factory);
    }

    @Test
    @DisplayName("an activation that fails seals nothing: the deployer may correct the value")
    void failedActivationLeavesTheConfigurationOpen() throws Exception {
        JdbcManagedConnectionFactory factory = db.factory();
        factory.setDriverClass("com.example.NoSuchDriver");
        assertThrows(InvalidPropertyException.class, () -> factory.createConnectionFactory(NO_MANAGER));

        factory.setDriverClass("org.h2.Driver");

        assertInstanceOf(DataSource.class, factory.createConnectionFactory(NO_MANAGER));
    }

    @Test
    @DisplayName("the runtime (driver, classifier, validator) is built once, at activation, for every connection")
    void runtimeIsBuiltOnce() throws Exception {
        JdbcManagedConnectionFactory factory = db.factory();
        factory.setFatalErrorClassifier(CountingClassifier.class.getName());
        int before = CountingClassifier.INSTANCES.get();

        factory.createConnectionFactory(NO_MANAGER);
        factory.createConnectionFactory(NO_MANAGER);
        ManagedConnection one = factory.createManagedConnection(null, null);
        ManagedConnection two = factory.createManagedConnection(null, null);
        one.destroy();
        two.destroy();

        assertEquals(1, CountingClassifier.INSTANCES.get() - before);
    }

    private static JdbcManagedConnectionFactory configured(String url) {
        JdbcManagedConnectionFactory factory = new JdbcManagedConnectionFactory();
        factory.setUrl(url);
        factory.setUser("");
        factory.setPassword(PASSWORD);
        factory.setTransactionIsolation("READ_COMMITTED");
        return factory;
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
