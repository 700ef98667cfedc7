package org.jdbcpoolra.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Set;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;

import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A fatal verdict makes the server destroy the connection; a wrong one either throws away good connections (too
 * eager) or hands out dead ones again (too lax).
 */
@DisplayName("StandardFatalErrorClassifier")
class StandardFatalErrorClassifierTest {
    private final FatalErrorClassifier classifier = new StandardFatalErrorClassifier();

    @ParameterizedTest
    @ValueSource(strings = {"08000", "08001", "08003", "08004", "08006", "08007", "08S01"})
    @DisplayName("SQLState class 08 (connection exception) is fatal")
    void connectionExceptionClassIsFatal(String state) {
        assertTrue(classifier.isFatal(new SQLException("connection problem", state)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"57P01", "57P02", "57P03"})
    @DisplayName("PostgreSQL administrator shutdown, crash shutdown and 'cannot connect now' are fatal")
    void postgreSqlShutdownIsFatal(String state) {
        assertTrue(classifier.isFatal(new SQLException("terminating connection due to administrator command", state)));
    }

    @ParameterizedTest
    @CsvSource({"90067, Connection is broken", "90098, The database has been closed",
            "90121, Database is already closed"})
    void h2ConnectionLossIsFatal(String state, String message) {
        assertTrue(classifier.isFatal(new SQLException(message, state, Integer.parseInt(state))));
    }

    @Test
    @DisplayName("the exception of a real H2 connection whose database was shut down is fatal")
    void realH2ShutdownIsFatal() throws Exception {
        TestDatabase db = TestDatabase.create();
        try (Connection victim = DriverManager.getConnection(db.url())) {
            db.close();

            SQLException e = assertThrows(SQLException.class, () -> victim.createStatement().executeQuery("SELECT 1"));

            assertTrue(classifier.isFatal(e), e::toString);
        }
    }

    @ParameterizedTest
    @CsvSource({"1927, 70100", "2006, HY000", "2013, HY000", "4031, HY000", "1927, 08S01"})
    @DisplayName("MariaDB connection killed, server gone away, lost connection, inactivity disconnect are fatal")
    void mariaDbConnectionLossCodesAreFatal(int code, String state) {
        assertTrue(classifier.isFatal(new SQLException("Connection was killed", state, code)));
    }

    @Test
    void mariaDbConnectionKilledWithoutSqlStateIsFatal() {
        assertTrue(classifier.isFatal(new SQLException("Connection was killed", null, 1927)));
    }

    @Test
    @DisplayName("the JDBC types for a lost connection are fatal whatever their SQLState")
    void connectionLossTypesAreFatal() {
        assertTrue(classifier.isFatal(new SQLNonTransientConnectionException("gone")));
        assertTrue(classifier.isFatal(new SQLNonTransientConnectionException("gone", "HY000")));
        assertTrue(classifier.isFatal(new SQLRecoverableException("reconnect needed")));
    }

    @Test
    @DisplayName("a fatal exception wrapped as the cause of another is found")
    void fatalCauseIsFound() {
        SQLException wrapper = new SQLException("query failed", "42000",
                new SQLException("I/O error", "08006"));

        assertTrue(classifier.isFatal(wrapper));
    }

    @Test
    @DisplayName("a fatal exception behind a non-SQL cause is found")
    void fatalCauseBehindAnIoExceptionIsFound() {
        IOException io = new IOException("socket closed", new SQLException("I/O error", "08006"));

        assertTrue(classifier.isFatal(new SQLException("query failed", "HY000", io)));
    }

    @Test
    @DisplayName("a fatal exception chained as the next exception is found")
    void fatalNextExceptionIsFound() {
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 failed", "HY000", new int[0]);
        batch.setNextException(new SQLException("An I/O error occurred while sending to the backend", "08006"));

        assertTrue(classifier.isFatal(batch));
    }

    @ParameterizedTest
    @ValueSource(strings = {"42000", "42001", "42P01", "23505", "23503", "22001", "40001", "40P01", "HY000",
            "57014", "25000"})
    @DisplayName("errors of the statement, the data or the transaction are not fatal")
    void applicationErrorsAreNotFatal(String state) {
        assertFalse(classifier.isFatal(new SQLException("not about the connection", state)));
    }

    @Test
    void errorsWithoutStateOrCodeAreNotFatal() {
        assertFalse(classifier.isFatal(new SQLException("something")));
        assertFalse(classifier.isFatal(new SQLSyntaxErrorException("bad syntax", "42000")));
        assertFalse(classifier.isFatal(new SQLTransientConnectionException("pool timeout", "HYT00")),
                "a transient connection failure leaves the connection usable");
    }

    @Test
    @DisplayName("real H2 syntax and constraint errors are not fatal")
    void realH2ApplicationErrorsAreNotFatal() throws Exception {
        try (TestDatabase db = TestDatabase.create();
                Connection connection = DriverManager.getConnection(db.url());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE item(id INT PRIMARY KEY)");
            statement.execute("INSERT INTO item VALUES (1)");

            SQLException syntax = assertThrows(SQLException.class, () -> statement.execute("SELEC 1"));
            SQLException duplicate = assertThrows(SQLException.class,
                    () -> statement.execute("INSERT INTO item VALUES (1)"));

            assertFalse(classifier.isFatal(syntax), syntax::toString);
            assertFalse(classifier.isFatal(duplicate), duplicate::toString);
        }
    }

    @Test
    @DisplayName("a cyclic chain of next exceptions ends the search instead of looping")
    void cyclicChainTerminates() {
        SQLException first = new SQLException("first", "42000");
        SQLException second = new SQLException("second", "42000");
        first.setNextException(second);
        second.setNextException(first);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertFalse(classifier.isFatal(first)));
    }

    @Test
    @DisplayName("configured SQLStates, SQLState classes and vendor codes are fatal besides the built-in ones")
    void configuredStatesAndCodesAreAdded() {
        FatalErrorClassifier configured = StandardFatalErrorClassifier.withExtra(Set.of("42P01", "XX"),
                Set.of(5555));

        assertFalse(classifier.isFatal(new SQLException("no such table", "42P01")));
        assertTrue(configured.isFatal(new SQLException("no such table", "42P01")));
        assertTrue(configured.isFatal(new SQLException("internal error", "XX000")));
        assertTrue(configured.isFatal(new SQLException("custom", "HY000", 5555)));
        assertTrue(configured.isFatal(new SQLException("wrapped", "42000", new SQLException("inner", "42P01"))));
        assertTrue(configured.isFatal(new SQLException("built-in still", "08006")));
        assertFalse(configured.isFatal(new SQLException("other", "42601", 1064)));
    }

    @Test
    @DisplayName("a deployer's classifier keeps its own answers and gains the configured states and codes")
    void configuredStatesAreAddedToADeployersClassifier() {
        FatalErrorClassifier own = e -> "own".equals(e.getMessage());
        FatalErrorClassifier both = StandardFatalErrorClassifier.either(own, Set.of("42P01"), Set.of());

        assertTrue(both.isFatal(new SQLException("own", "00000")));
        assertTrue(both.isFatal(new SQLException("no such table", "42P01")));
        assertFalse(both.isFatal(new SQLException("gone", "08006")), "the built-in rules are not added");
        assertTrue(StandardFatalErrorClassifier.either(own, Set.of(), Set.of()) == own);
    }
}
