package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A database host that accepts connections and never answers (a hung server, a half-open load balancer): the
 * refusal of an unreachable host is quick, this is not. Every borrower must fail within LoginTimeout plus a little,
 * with an error that says so. PostgreSQL's and MariaDB's drivers give up by themselves (the adapter sets their
 * timeouts); H2's driver has no login timeout, so there the adapter gives up for it.
 */
@PoolSettings.Use({"Url={silentUrl}", "LoginTimeout=" + SilentDatabaseAtLoginIT.LOGIN_TIMEOUT_SECONDS})
@Tag("driver")
@Tag("login")
class SilentDatabaseAtLoginIT extends PoolScenario {
    static final int LOGIN_TIMEOUT_SECONDS = 3;
    /** What a borrower may take beyond LoginTimeout: the server's own work around a failed creation. */
    private static final long SLACK_MILLIS = 2000;
    private static final int BORROWERS = 4;

    @Test
    @DisplayName("A database that accepts and never answers fails every borrower within LoginTimeout, saying so")
    void everyBorrowerFailsWithinLoginTimeout() throws Exception {
        List<String> bodies = new ArrayList<>();
        long longest = 0;
        int acceptedBefore = database.silentListener().accepted();
        for (int round = 0; round < 2; round++) {
            List<CompletableFuture<Reply>> borrowers = new ArrayList<>();
            List<Long> starts = new ArrayList<>();
            for (int i = 0; i < BORROWERS; i++) {
                starts.add(System.nanoTime());
                borrowers.add(Http.postAsync(Http.probe("/probe/query?sql=SELECT%201")));
            }
            for (int i = 0; i < BORROWERS; i++) {
                Reply reply = borrowers.get(i).get();
                long waited = (System.nanoTime() - starts.get(i)) / 1_000_000;
                longest = Math.max(longest, waited);
                assertEquals(503, reply.status(), "a borrower got a connection from a database that never "
                        + "answered: " + reply.body());
                bodies.add(reply.body());
            }
        }
        System.out.println(database.name() + ", silent at login: " + bodies.size() + " borrowers failed, the longest "
                + "after " + longest + " ms (LoginTimeout " + LOGIN_TIMEOUT_SECONDS + " s); first error: "
                + bodies.get(0) + "; last: " + bodies.get(bodies.size() - 1));
        assertTrue(longest <= LOGIN_TIMEOUT_SECONDS * 1000L + SLACK_MILLIS, "a borrower waited " + longest
                + " ms with LoginTimeout " + LOGIN_TIMEOUT_SECONDS + " s");
        String silentHost = database.silentUrl().split("[;?]")[0];
        for (String body : bodies) {
            assertTrue(body.contains(facts.jndiName()) && body.contains(silentHost),
                    "the error names the pool and the database it could not log in to: " + body);
            assertTrue(body.split("\\|")[2].startsWith("08"), "a connection error's SQLState (class 08): " + body);
            assertFalse(body.contains(database.password()), body);
        }
        // The failures are the silent host's doing: the pool's logins reached it and got no answer.
        assertTrue(database.silentListener().accepted() > acceptedBefore, "no login reached the silent host");
    }
}
