package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.support.Deployments;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Mistakes a deployer makes, each applied with src-deploy's scripts as a second pool (the RAR deployed alone) beside
 * the healthy one. What the deployer sees (the scripts' refusal, or else the first borrower's error) names the
 * property or the cause, and no message and no log line carries the password.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadConfigurationIT extends PoolScenario {
    private static final String WRONG_PASSWORD = "wrong-Secret-0815";

    @Deployment(testable = false)
    static WebArchive probe() {
        return Deployments.probe();
    }

    @Test
    @DisplayName("A host and port where no database listens: the borrower's error names the URL and the refusal")
    void unreachableDatabaseIsNamed() {
        String seen = errorSeen(PoolSettings.defaults().with("url", database.unreachableUrl()));
        assertTrue(seen.contains("cannot open a connection to " + database.unreachableUrl()), seen);
    }

    @Test
    @DisplayName("A wrong password: the error names the user and the database's refusal, never the password")
    void wrongPasswordIsRefusedWithoutShowingIt() {
        String seen = errorSeen(PoolSettings.defaults().with("password", WRONG_PASSWORD));
        assertTrue(seen.contains("as user '" + database.user() + "'"), seen);
        assertFalse(seen.contains(WRONG_PASSWORD), seen);
    }

    @Test
    @DisplayName("An unknown driver class: the activation fails naming DriverClass and the class")
    void unknownDriverClassIsNamed() {
        String seen = errorSeen(PoolSettings.defaults().with("driver-class", "org.example.NoSuchDriver"));
        assertTrue(seen.contains("DriverClass: class 'org.example.NoSuchDriver' is not visible"), seen);
    }

    @Test
    @DisplayName("min above max: refused, naming the pool size setting")
    void minAboveMaxIsRefused() {
        String seen = errorSeen(PoolSettings.defaults().with("min", "6").with("max", "3"));
        assertTrue(server.poolSizeSettings().stream().anyMatch(seen::contains), seen);
    }

    @Test
    @DisplayName("A negative pool size: refused, naming the setting")
    void negativeSizeIsRefused() {
        String seen = errorSeen(PoolSettings.defaults().with("max", "-1"));
        assertTrue(server.poolSizeSettings().stream().anyMatch(seen::contains), seen);
    }

    @Test
    @DisplayName("A timeout that is not a number: refused, naming the property")
    void nonNumericTimeoutsAreRefused() {
        String adapter = errorSeen(PoolSettings.defaults().with("query-timeout-seconds", "soon"));
        assertTrue(adapter.contains("QueryTimeout: 'soon' is not a whole number of seconds"), adapter);
        String pool = errorSeen(PoolSettings.defaults().with("blocking-timeout-millis", "soon"));
        assertTrue(pool.contains(server.blockingTimeoutSetting()), pool);
    }

    @Test
    @DisplayName("A malformed URL: refused, naming Url and the driver that does not accept it")
    void malformedUrlIsRefused() {
        String noScheme = errorSeen(PoolSettings.defaults().with("url", database.url().substring("jdbc:".length())));
        assertTrue(noScheme.contains("Url: must start with 'jdbc:'"), noScheme);
        // jdbc:postgresql//host..., jdbc:h2tcp://...: a typo the driver itself rejects.
        String typo = database.url().replaceFirst("^jdbc:(\\w+):", "jdbc:$1");
        String seen = errorSeen(PoolSettings.defaults().with("url", typo));
        assertTrue(seen.contains("Url: '" + typo.split("[;?]")[0]) && seen.contains("is not a URL that "
                + database.driverClass() + " accepts"), seen);
    }

    @Test
    @Order(Integer.MAX_VALUE)
    @DisplayName("After all of the above, neither the real nor the wrong password is in any line of the server log")
    void passwordsAreInNoLogLine() throws Exception {
        List<String> lines = Files.readAllLines(server.serverLog());
        assertFalse(lines.isEmpty());
        assertEquals(List.of(), lines.stream()
                .filter(line -> line.contains(database.password()) || line.contains(WRONG_PASSWORD)).toList());
    }

    /**
     * What the deployer sees: the scripts' refusal, or else the first borrower's error (the second pool is then
     * removed again). It never holds the password the pool was given.
     */
    private String errorSeen(PoolSettings settings) {
        String refused = server.configureStandalone(settings);
        String seen;
        if (refused != null) {
            seen = refused;
        } else {
            try {
                Reply reply = Http.post(Http.probe("/probe/borrow?name="
                        + URLEncoder.encode(server.standaloneJndiName(), StandardCharsets.UTF_8)), "");
                assertEquals(503, reply.status(), "a borrower of a badly configured pool was served: " + reply.body());
                seen = reply.body();
            } finally {
                server.removeStandalone();
            }
        }
        System.out.println(server.name() + "/" + database.name() + " " + settings.values() + " ->\n" + seen);
        assertFalse(seen.contains(settings.password()), "the error shows the password:\n" + seen);
        return seen;
    }
}
