package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Set;

import javax.security.auth.Subject;

import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.SecurityException;
import jakarta.resource.spi.security.PasswordCredential;

import org.h2.jdbc.JdbcConnection;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The server offers pooled connections for a request ({@code matchManagedConnections}): a connection logged in as one
 * user must never serve another. It also asks which idle connections are dead ({@code getInvalidConnections}).
 */
@DisplayName("Matching and validating pooled connections")
class MatchingAndValidationTest {
    private static final String USER = "OWNER";
    private static final String PASSWORD = "right-Pa55";

    private TestDatabase db;
    private JdbcManagedConnectionFactory factory;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.withUser(USER, PASSWORD);
        // ADMIN because H2 lets only administrators connect with DB_CLOSE_DELAY in the URL.
        db.execute("CREATE USER OTHER PASSWORD 'other-Pa55' ADMIN");
        factory = db.factory();
        factory.setUser(USER);
        factory.setPassword(PASSWORD);
    }

    @AfterEach
    void close() throws Exception {
        factory.closeAll();
        db.close();
    }

    /** One borrower who runs a statement and gives the connection back, as the server sees it. */
    private static void borrowAndReturn(ManagedConnection mc) throws Exception {
        Connection handle = (Connection) mc.getConnection(null, null);
        handle.createStatement().execute("SELECT 1");
        handle.close();
        mc.cleanup();
    }

    @Nested
    @DisplayName("matching")
    class Matching {

        @Test
        void candidateWithTheConfiguredCredentialsMatchesARequestWithout() throws Exception {
            ManagedConnection mc = factory.createManagedConnection(null, null);

            assertSame(mc, factory.matchManagedConnections(Set.of(mc), null, null));
        }

        @Test
        void candidateMatchesARequestForTheSameCredentials() throws Exception {
            ManagedConnection mc = factory.createManagedConnection(null, null);

            assertSame(mc, factory.matchManagedConnections(Set.of(mc), null,
                    new JdbcConnectionRequestInfo(USER, PASSWORD)));
        }

        @Test
        void candidateDoesNotMatchARequestForOtherCredentials() throws Exception {
            ManagedConnection mc = factory.createManagedConnection(null, null);

            assertNull(factory.matchManagedConnections(Set.of(mc), null,
                    new JdbcConnectionRequestInfo("OTHER", "other-Pa55")));
            assertNull(factory.matchManagedConnections(Set.of(mc), null,
                    new JdbcConnectionRequestInfo(USER, "another-password")));
        }

        @Test
        @DisplayName("a connection opened for a request's user serves that user, not the configured one")
        void connectionOpenedForARequestServesOnlyThatUser() throws Exception {
            JdbcConnectionRequestInfo other = new JdbcConnectionRequestInfo("OTHER", "other-Pa55");
            ManagedConnection mc = factory.createManagedConnection(null, other);
            Connection handle = (Connection) mc.getConnection(null, other);

            assertEquals("OTHER", handle.getMetaData().getUserName());
            assertSame(mc, factory.matchManagedConnections(Set.of(mc), null,
                    new JdbcConnectionRequestInfo("OTHER", "other-Pa55")));
            assertNull(factory.matchManagedConnections(Set.of(mc), null, null));
        }

        @Test
        void theMatchingCandidateIsPickedAmongOthers() throws Exception {
            JdbcConnectionRequestInfo other = new JdbcConnectionRequestInfo("OTHER", "other-Pa55");
            ManagedConnection forOther = factory.createManagedConnection(null, other);
            ManagedConnection forOwner = factory.createManagedConnection(null, null);

            assertSame(forOwner, factory.matchManagedConnections(Set.of(forOther, forOwner), null, null));
            assertSame(forOther, factory.matchManagedConnections(Set.of(forOther, forOwner), null, other));
        }

        @Test
        @DisplayName("a container-managed sign-on (a Subject with a password credential) is matched by its credential")
        void subjectCredentialsAreUsed() throws Exception {
            Subject subject = subject("OTHER", "other-Pa55");
            ManagedConnection mc = factory.createManagedConnection(subject, null);

            assertEquals("OTHER", ((Connection) mc.getConnection(subject, null)).getMetaData().getUserName());
            assertSame(mc, factory.matchManagedConnections(Set.of(mc), subject("OTHER", "other-Pa55"), null));
            assertNull(factory.matchManagedConnections(Set.of(mc), null, null));
        }

        @Test
        void subjectWithoutAPasswordCredentialIsRefused() {
            assertThrows(SecurityException.class, () -> factory.createManagedConnection(new Subject(), null));
        }

        @Test
        @DisplayName("a Subject whose only password credential is another pool's is refused, not signed on with it")
        void credentialOfAnotherPoolIsRefused() throws Exception {
            JdbcManagedConnectionFactory other = db.factory();
            other.setUser("OTHER");
            other.setPassword("other-Pa55");
            PasswordCredential credential = new PasswordCredential("OTHER", "other-Pa55".toCharArray());
            credential.setManagedConnectionFactory(other);
            Subject subject = new Subject();
            subject.getPrivateCredentials().add(credential);

            assertThrows(SecurityException.class, () -> factory.createManagedConnection(subject, null));
        }

        private Subject subject(String user, String password) {
            PasswordCredential credential = new PasswordCredential(user, password.toCharArray());
            credential.setManagedConnectionFactory(factory);
            Subject subject = new Subject();
            subject.getPrivateCredentials().add(credential);
            return subject;
        }
    }

    @Nested
    @DisplayName("validation")
    class Validation {

        /** Every validation here asks the database; the bypass has its own tests below. */
        @BeforeEach
        void alwaysAsk() {
            factory.setValidationBypassMillis("0");
        }

        @Test
        void healthyConnectionIsValid() throws Exception {
            ManagedConnection mc = factory.createManagedConnection(null, null);

            assertEquals(Set.of(), factory.getInvalidConnections(Set.of(mc)));
        }

        @Test
        @DisplayName("a connection closed behind the pool's back is reported, a healthy one beside it is not")
        void connectionClosedBehindItsBackIsInvalid() throws Exception {
            ManagedConnection dead = factory.createManagedConnection(null, null);
            ManagedConnection healthy = factory.createManagedConnection(null, null);
            closePhysical(dead);

            assertEquals(Set.of(dead), factory.getInvalidConnections(Set.of(dead, healthy)));
        }

        @Test
        void validationQueryAcceptsAHealthyConnection() throws Exception {
            factory.setValidationQuery("SELECT 1");
            ManagedConnection mc = factory.createManagedConnection(null, null);

            assertEquals(Set.of(), factory.getInvalidConnections(Set.of(mc)));
        }

        @Test
        void validationQueryReportsAConnectionClosedBehindItsBack() throws Exception {
            factory.setValidationQuery("SELECT 1");
            ManagedConnection dead = factory.createManagedConnection(null, null);
            ManagedConnection healthy = factory.createManagedConnection(null, null);
            closePhysical(dead);

            assertEquals(Set.of(dead), factory.getInvalidConnections(Set.of(dead, healthy)));
        }

        @Test
        void failingValidationQueryMakesTheConnectionInvalid() throws Exception {
            factory.setValidationQuery("SELECT * FROM no_such_table");
            ManagedConnection mc = factory.createManagedConnection(null, null);

            assertEquals(Set.of(mc), factory.getInvalidConnections(Set.of(mc)));
        }

        @Test
        @DisplayName("every connection of a database that went away is reported")
        void connectionsOfAShutDownDatabaseAreInvalid() throws Exception {
            ManagedConnection one = factory.createManagedConnection(null, null);
            ManagedConnection two = factory.createManagedConnection(null, null);

            db.execute("SHUTDOWN");
            db = TestDatabase.withUser(USER, PASSWORD);   // @AfterEach needs one to close

            assertEquals(Set.of(one, two), factory.getInvalidConnections(Set.of(one, two)));
        }

        @Test
        void objectsThatAreNotOurConnectionsAreIgnored() throws Exception {
            assertEquals(Set.of(), factory.getInvalidConnections(Set.of("not a managed connection")));
        }

        private void closePhysical(ManagedConnection mc) throws Exception {
            Connection handle = (Connection) mc.getConnection(null, null);
            handle.unwrap(JdbcConnection.class).close();
            handle.close();
            mc.cleanup();
        }
    }

    @Nested
    @DisplayName("validation bypass (ValidationBypassMillis)")
    class ValidationBypass {

        /** Each validation that reaches the database leaves a row: the round trips are counted, not guessed. */
        @BeforeEach
        void countValidations() throws Exception {
            db.execute("CREATE TABLE validations (n INT)");
            factory.setValidationQuery("INSERT INTO validations VALUES (1)");
        }

        @Test
        @DisplayName("a connection given back fine within the window is valid without a round trip")
        void recentlyReturnedConnectionIsNotAsked() throws Exception {
            ManagedConnection mc = factory.createManagedConnection(null, null);
            borrowAndReturn(mc);

            assertEquals(Set.of(), factory.getInvalidConnections(Set.of(mc)));
            assertEquals(0, db.count("validations"));
        }

        @Test
        @DisplayName("a connection idle longer than the window is asked")
        void idleConnectionIsAsked() throws Exception {
            factory.setValidationBypassMillis("1");
            ManagedConnection mc = factory.createManagedConnection(null, null);
            borrowAndReturn(mc);
            Thread.sleep(20);

            assertEquals(Set.of(), factory.getInvalidConnections(Set.of(mc)));
            assertEquals(1, db.count("validations"));
        }

        @Test
        @DisplayName("with 0 every validation is a round trip")
        void zeroAlwaysAsks() throws Exception {
            factory.setValidationBypassMillis("0");
            ManagedConnection mc = factory.createManagedConnection(null, null);
            borrowAndReturn(mc);

            factory.getInvalidConnections(Set.of(mc));
            factory.getInvalidConnections(Set.of(mc));
            assertEquals(2, db.count("validations"));
        }

        @Test
        @DisplayName("a connection broken by a fatal error (here one of FatalSqlStates) is invalid within the window")
        void brokenConnectionIsInvalidWithinTheWindow() throws Exception {
            factory.setFatalSqlStates("42S02");
            ManagedConnection mc = factory.createManagedConnection(null, null);
            Connection handle = (Connection) mc.getConnection(null, null);
            assertThrows(java.sql.SQLException.class,
                    () -> handle.createStatement().execute("SELECT * FROM no_such_table"));
            handle.close();
            mc.cleanup();

            assertEquals(Set.of(mc), factory.getInvalidConnections(Set.of(mc)));
        }
    }

    @Nested
    @DisplayName("retirement (MaxUses, MaxLifetime)")
    class Retirement {

        private JdbcConnection physicalOf(ManagedConnection mc) throws Exception {
            try (Connection handle = (Connection) mc.getConnection(null, null)) {
                return handle.unwrap(JdbcConnection.class);
            }
        }

        @Test
        @DisplayName("after MaxUses borrows the background pass opens a new physical connection, swapped in as the "
                + "connection comes back")
        void maxUsesRenewsThePhysicalConnectionOnReturn() throws Exception {
            factory.setMaxUses("2");
            JdbcManagedConnection mc = (JdbcManagedConnection) factory.createManagedConnection(null, null);
            JdbcConnection first = physicalOf(mc);
            mc.cleanup();
            assertFalse(first.isClosed());

            JdbcConnection second = physicalOf(mc);
            mc.keepAlive(Long.MAX_VALUE);
            assertFalse(first.isClosed(), "the borrower's physical connection stays while it is lent");
            mc.cleanup();

            assertSame(first, second, "the same physical connection served both borrows");
            assertTrue(first.isClosed(), "the retired physical connection is closed");
            assertFalse(mc.retired());
            assertEquals(Set.of(), factory.getInvalidConnections(Set.of(mc)));
            assertSame(mc, factory.matchManagedConnections(Set.of(mc), null, null));
            JdbcConnection renewed = physicalOf(mc);
            assertFalse(renewed == first || renewed.isClosed(), "a new physical connection serves the next borrow");
        }

        @Test
        @DisplayName("after a renewal, local transactions and cached statements run on the new physical connection")
        void renewedConnectionServesTransactionsAndStatementsOnTheNewConnection() throws Exception {
            factory.setMaxUses("1");
            factory.setPreparedStatementCacheSize("4");
            db.execute("CREATE TABLE renewed_rows(id INT)");
            JdbcManagedConnection mc = (JdbcManagedConnection) factory.createManagedConnection(null, null);
            JdbcConnection first;
            try (Connection handle = (Connection) mc.getConnection(null, null);
                    PreparedStatement cached = handle.prepareStatement("SELECT COUNT(*) FROM renewed_rows")) {
                first = handle.unwrap(JdbcConnection.class);
                cached.executeQuery().close();
            }
            mc.keepAlive(Long.MAX_VALUE);
            mc.cleanup();
            assertTrue(first.isClosed(), "the retired physical connection is closed");

            LocalTransaction local = mc.getLocalTransaction();
            try (Connection handle = (Connection) mc.getConnection(null, null)) {
                local.begin();
                handle.createStatement().execute("INSERT INTO renewed_rows VALUES (1)");
                local.rollback();
                local.begin();
                handle.createStatement().execute("INSERT INTO renewed_rows VALUES (2)");
                local.commit();
                try (PreparedStatement cached = handle.prepareStatement("SELECT COUNT(*) FROM renewed_rows");
                        ResultSet rs = cached.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(1, rs.getInt(1), "rows the borrower sees");
                }
            }
            mc.cleanup();
            assertEquals(1, db.count("renewed_rows"), "rows committed after the renewal: the rolled-back one is gone");
        }

        @Test
        @DisplayName("after MaxLifetime an idle connection is renewed by the next background pass")
        void maxLifetimeRenewsAnIdleConnectionInTheBackground() throws Exception {
            factory.setMaxLifetime("1");
            JdbcManagedConnection mc = (JdbcManagedConnection) factory.createManagedConnection(null, null);
            JdbcConnection first = physicalOf(mc);
            mc.cleanup();
            assertFalse(mc.retired());

            Thread.sleep(1100);
            assertTrue(mc.retired());
            mc.keepAlive(Long.MAX_VALUE);

            assertFalse(mc.retired());
            assertTrue(first.isClosed(), "the retired physical connection is closed");
            assertEquals(Set.of(), factory.getInvalidConnections(Set.of(mc)));
            assertFalse(physicalOf(mc).isClosed());
        }

        @Test
        @DisplayName("a retired connection the database no longer lets renew is invalid and never matched")
        void retiredConnectionThatCannotBeRenewedIsInvalid() throws Exception {
            factory.setMaxLifetime("1");
            JdbcManagedConnection mc = (JdbcManagedConnection) factory.createManagedConnection(null, null);
            db.execute("ALTER USER " + USER + " SET PASSWORD 'changed-Pa55'");

            Thread.sleep(1100);

            assertEquals(Set.of(mc), factory.getInvalidConnections(Set.of(mc)));
            assertNull(factory.matchManagedConnections(Set.of(mc), null, null));
        }

        @Test
        @DisplayName("with the defaults (30 minutes, no use limit) a fresh, much-used connection serves on")
        void defaultsDoNotRetire() throws Exception {
            JdbcManagedConnection mc = (JdbcManagedConnection) factory.createManagedConnection(null, null);
            for (int i = 0; i < 100; i++) {
                borrowAndReturn(mc);
            }
            assertFalse(mc.retired());
        }
    }
}
