package org.jdbcpoolra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** JDBC URLs may carry a password of their own; what goes to logs and messages must not. */
@DisplayName("Redaction")
class RedactionTest {
    private static final String PASSWORD = "s3cr3t-Pa55";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:postgresql://db:5432/shop?user=app&password=s3cr3t-Pa55&ssl=true"
                    + " | jdbc:postgresql://db:5432/shop?user=app&password=***&ssl=true",
            "jdbc:h2:tcp://db/shop;USER=app;PASSWORD=s3cr3t-Pa55;MODE=PostgreSQL"
                    + " | jdbc:h2:tcp://db/shop;USER=app;PASSWORD=***;MODE=PostgreSQL",
            "jdbc:sqlserver://db;user=app;pwd=s3cr3t-Pa55 | jdbc:sqlserver://db;user=app;pwd=***",
            "jdbc:x://db?passwd=s3cr3t-Pa55 | jdbc:x://db?passwd=***",
            "jdbc:x://db?Pass = s3cr3t-Pa55 | jdbc:x://db?Pass = ***",
            "jdbc:postgresql://db/shop?sslpassword=s3cr3t-Pa55 | jdbc:postgresql://db/shop?sslpassword=***",
            "jdbc:mariadb://app:s3cr3t-Pa55@db:3306/shop | jdbc:mariadb://app:***@db:3306/shop",
            "jdbc:mysql://app:s3cr3t-Pa55@db/shop?password=s3cr3t-Pa55 | jdbc:mysql://app:***@db/shop?password=***",
            "jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(HOST=db))(PASSWORD=s3cr3t-Pa55))"
                    + " | jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(HOST=db))(PASSWORD=***))"})
    void urlMasksPasswords(String url, String expected) {
        assertEquals(expected, Redaction.url(url));
    }

    @ParameterizedTest
    @DisplayName("secrets in Oracle's user/password@ form, with '/', '@' or braces inside, are masked whole")
    @ValueSource(strings = {
            "jdbc:oracle:thin:scott/s3cr3t-Pa55@db:1521:orcl",
            "jdbc:oracle:thin:scott/s3cr3t-Pa55@//db:1521/svc",
            "jdbc:oracle:oci:scott/s3cr3t-Pa55@tns_alias",
            "jdbc:postgresql://app:s3cr/3t-Pa55@db/shop",
            "jdbc:postgresql://app:s3cr@3t-Pa55@db/shop",
            "jdbc:sqlserver://db;user=app;password={s3cr;3t-Pa55}",
            "jdbc:sqlserver://db;password={s3cr;3t-Pa55};user=app"})
    void urlMasksEveryFormOfPassword(String url) {
        String masked = Redaction.url(url);
        for (String part : new String[] {"s3cr", "3t-Pa55"}) {
            assertFalse(masked.contains(part), masked);
        }
        assertTrue(masked.contains("***"), masked);
    }

    @Test
    @DisplayName("a very short password is masked where it stands alone, not in every word that contains it")
    void shortSecretDoesNotGiveItselfAwayByPattern() {
        assertEquals("authentication failed for user 'app' with password ***",
                Redaction.text("authentication failed for user 'app' with password a", "a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:h2:mem:pool;DB_CLOSE_DELAY=-1", "jdbc:postgresql://db:5432/shop?user=app",
            "jdbc:mariadb://db:3306/shop", "jdbc:postgresql://app@db/shop"})
    void urlWithoutSecretsIsUnchanged(String url) {
        assertEquals(url, Redaction.url(url));
    }

    @Test
    void nullUrlStaysNull() {
        assertNull(Redaction.url(null));
    }

    @Test
    void textRemovesEveryOccurrenceOfTheSecret() {
        assertEquals("login failed for app with *** (***)",
                Redaction.text("login failed for app with " + PASSWORD + " (" + PASSWORD + ")", PASSWORD));
    }

    @Test
    void textWithoutASecretIsUnchanged() {
        assertEquals("login failed", Redaction.text("login failed", null));
        assertEquals("login failed", Redaction.text("login failed", ""));
        assertNull(Redaction.text(null, PASSWORD));
    }

    @Test
    @DisplayName("a driver's message loses the password and the secrets of any URL it quotes")
    void messageMasksThePasswordAndQuotedUrls() {
        assertEquals("cannot connect to jdbc:postgresql://db/app?password=*** with *** as jdbc:mariadb://app:***@db/x",
                Redaction.message("cannot connect to jdbc:postgresql://db/app?password=url-Secret with " + PASSWORD
                        + " as jdbc:mariadb://app:info-Secret@db/x", PASSWORD));
    }
}
