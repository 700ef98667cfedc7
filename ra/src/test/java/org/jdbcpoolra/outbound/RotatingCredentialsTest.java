package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.util.Set;

import javax.security.auth.Subject;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.security.PasswordCredential;

import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Rotating credentials (PasswordFile) and the back-off after a refusal")
class RotatingCredentialsTest {
    private static final String USER = "ROTA";
    private static final String FIRST = "first-Secret-11";
    private static final String SECOND = "second-Secret-22";

    @TempDir
    Path dir;
    private Path passwordFile;
    private TestDatabase db;
    private JdbcManagedConnectionFactory factory;

    @BeforeEach
    void open() throws Exception {
        db = TestDatabase.withUser(USER, FIRST);
        passwordFile = dir.resolve("db-password");
        write(FIRST + "\n");
        factory = db.factory();
        factory.setUser(USER);
        factory.setPasswordFile(passwordFile.toString());
    }

    @AfterEach
    void close() throws Exception {
        factory.closeAll();
        db.close();
    }

    @Test
    @DisplayName("a rotated password is read for the next new connection; older connections serve on and match")
    void rotatedPasswordIsUsedWithoutARestart() throws Exception {
        ManagedConnection before = factory.createManagedConnection(null, null);

        db.execute("ALTER USER " + USER + " SET PASSWORD '" + SECOND + "'");
        write(SECOND + "\n");
        ManagedConnection after = factory.createManagedConnection(null, null);

        assertSame(before, factory.matchManagedConnections(Set.of(before), null, null));
        assertSame(after, factory.matchManagedConnections(Set.of(after), null, null));
        Connection handle = (Connection) before.getConnection(null, null);
        assertTrue(handle.isValid(1));
        handle.close();
    }

    @Test
    @DisplayName("after a refusal the same credentials fail at once, without asking the database, for the back-off")
    void refusedCredentialsFailFastUntilTheyChange() throws Exception {
        db.execute("ALTER USER " + USER + " SET PASSWORD '" + SECOND + "'");
        ResourceException refused = assertThrows(ResourceException.class,
                () -> factory.createManagedConnection(null, null));
        assertFalse(refused.getMessage().contains("refused"), "the first attempt asks the database: " + refused);

        // The database would accept the file's password again now: failing anyway proves nobody asked it.
        db.execute("ALTER USER " + USER + " SET PASSWORD '" + FIRST + "'");
        ResourceException fast = assertThrows(ResourceException.class,
                () -> factory.createManagedConnection(null, null));
        assertTrue(fast.getMessage().contains("ms ago; AuthFailureBackoffMillis: no new attempt with the same "
                + "credentials for 5000 ms]"), fast.getMessage());
        assertTrue(fast.getMessage().contains("as user '" + USER + "'"), fast.getMessage());
        assertFalse(fast.getMessage().contains(FIRST) || fast.getMessage().contains(SECOND), fast.getMessage());

        db.execute("ALTER USER " + USER + " SET PASSWORD '" + SECOND + "'");
        write(SECOND);
        factory.createManagedConnection(null, null);
    }

    @Test
    @DisplayName("with AuthFailureBackoffMillis=0 every attempt asks the database")
    void zeroBackoffAlwaysAsks() throws Exception {
        factory.setAuthFailureBackoffMillis("0");
        db.execute("ALTER USER " + USER + " SET PASSWORD '" + SECOND + "'");
        assertThrows(ResourceException.class, () -> factory.createManagedConnection(null, null));

        db.execute("ALTER USER " + USER + " SET PASSWORD '" + FIRST + "'");
        factory.createManagedConnection(null, null);
    }

    @Test
    @DisplayName("a container sign-on echoing the pool's user (Payara's, with an empty password) uses the file")
    void containerEchoOfThePoolsUserUsesTheFile() throws Exception {
        Subject subject = new Subject();
        PasswordCredential echo = new PasswordCredential(USER, new char[0]);
        echo.setManagedConnectionFactory(factory);
        subject.getPrivateCredentials().add(echo);
        db.execute("ALTER USER " + USER + " SET PASSWORD '" + SECOND + "'");
        write(SECOND);

        ManagedConnection mc = factory.createManagedConnection(subject, null);

        assertSame(mc, factory.matchManagedConnections(Set.of(mc), null, null));
    }

    @Test
    @DisplayName("a missing password file fails the activation, naming PasswordFile")
    void missingFileFailsTheActivation() throws Exception {
        factory.setPasswordFile(dir.resolve("absent").toString());

        ResourceException e = assertThrows(ResourceException.class, () -> factory.createManagedConnection(null, null));

        assertTrue(e.getMessage().contains("PasswordFile: cannot read"), e.getMessage());
    }

    @Test
    @DisplayName("an empty password file fails the activation, naming PasswordFile, instead of signing on with \"\"")
    void emptyFileFailsTheActivation() throws Exception {
        write("");

        ResourceException e = assertThrows(ResourceException.class, () -> factory.createManagedConnection(null, null));

        assertTrue(e.getMessage().contains("PasswordFile: "), e.getMessage());
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }

    @Test
    @DisplayName("Password and PasswordFile together are refused")
    void passwordAndFileTogetherAreRefused() {
        factory.setPassword(FIRST);

        ResourceException e = assertThrows(ResourceException.class, () -> factory.createManagedConnection(null, null));

        assertTrue(e.getMessage().contains("set only one of Password and PasswordFile"), e.getMessage());
        assertFalse(e.getMessage().contains(FIRST));
    }

    /** A later modification time than the last write, whatever the file system's clock resolution. */
    private void write(String content) throws Exception {
        FileTime previous = Files.exists(passwordFile) ? Files.getLastModifiedTime(passwordFile) : null;
        Files.writeString(passwordFile, content);
        if (previous != null && Files.getLastModifiedTime(passwordFile).compareTo(previous) <= 0) {
            Files.setLastModifiedTime(passwordFile, FileTime.fromMillis(previous.toMillis() + 1000));
        }
        assertEquals(content, Files.readString(passwordFile));
    }
}
