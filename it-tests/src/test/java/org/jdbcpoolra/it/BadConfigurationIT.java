package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jdbcpoolra.it.support.MisconfigurationScenario;
import org.jdbcpoolra.it.support.SharedPool;
import org.jdbcpoolra.it.support.PoolSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Mistakes whose error the database or its driver shapes (where it is, who logs in, what URL it accepts), each
 * applied with src-deploy's scripts as a second pool beside the healthy one: what the deployer sees names the cause,
 * and no message and no log line carries the password. (BadPoolSettingsIT has those that do not depend on the
 * database.)
 */
@SharedPool
@Tag("driver")
class BadConfigurationIT extends MisconfigurationScenario {
    private static final String WRONG_PASSWORD = "wrong-Secret-0815";
    private static final String URL_PASSWORD = "url-Secret-4242";

    @Test
    @DisplayName("A host and port where no database listens: the borrower's error names the URL and the refusal")
    void unreachableDatabaseIsNamed() {
        String seen = errorSeen(PoolSettings.defaults().with("Url", database.unreachableUrl()));
        assertTrue(seen.contains("cannot open a connection to " + database.unreachableUrl()), seen);
    }

    @Test
    @DisplayName("A wrong password: the error names the user and the database's refusal, never the password")
    void wrongPasswordIsRefusedWithoutShowingIt() {
        String seen = errorSeen(PoolSettings.defaults().with("Password", WRONG_PASSWORD));
        assertTrue(seen.contains("as user '" + database.user() + "'"), seen);
        assertFalse(seen.contains(WRONG_PASSWORD), seen);
    }

    @Test
    @DisplayName("A malformed URL: refused, naming Url and the driver that does not accept it")
    void malformedUrlIsRefused() {
        String noScheme = errorSeen(PoolSettings.defaults().with("Url", database.url().substring("jdbc:".length())));
        assertTrue(noScheme.contains("Url: must start with 'jdbc:'"), noScheme);
        // jdbc:postgresql//host..., jdbc:h2tcp://...: a typo the driver itself rejects.
        String typo = database.url().replaceFirst("^jdbc:(\\w+):", "jdbc:$1");
        String seen = errorSeen(PoolSettings.defaults().with("Url", typo));
        assertTrue(seen.contains("Url: '" + typo.split("[;?]")[0]) && seen.contains("is not a URL that "
                + database.driverClass() + " accepts"), seen);
    }

    @Test
    @DisplayName("InitSql the database refuses: the borrower's error names InitSql, the statement by its number and "
            + "first word, and the reason")
    void failingInitSqlIsNamed() {
        String seen = errorSeen(PoolSettings.defaults().with("InitSql", "SELEKT 1"));
        assertTrue(seen.contains("InitSql failed at statement 1 of 1 (SELEKT ...)"), seen);
    }

    @Test
    @DisplayName("A wrong password inside the URL: the error names the refusal, never the URL's password")
    void wrongPasswordInTheUrlIsNotShown() {
        String seen = errorSeen(PoolSettings.defaults().with("Url", database.urlWithPassword(URL_PASSWORD))
                .with("Password", ""));
        assertTrue(seen.contains("cannot open a connection to "), seen);
        assertFalse(seen.contains(URL_PASSWORD), seen);
    }

    @Override
    protected List<String> secrets() {
        return List.of(database.password(), WRONG_PASSWORD, URL_PASSWORD);
    }
}
