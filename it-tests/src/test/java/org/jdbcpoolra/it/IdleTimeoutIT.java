package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.WildFlyServer.IDLE_TIMEOUT_MINUTES;
import static org.jdbcpoolra.it.support.WildFlyServer.MAX;
import static org.jdbcpoolra.it.support.WildFlyServer.MIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Deployments;
import org.jdbcpoolra.it.support.H2Database;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolSetup;
import org.jdbcpoolra.it.support.WildFlyServer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Idle timeout: WildFly counts it in minutes, so this one test takes one to two minutes. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@ServerSetup(PoolSetup.class)
class IdleTimeoutIT {

    private final H2Database database = H2Database.get();

    @Deployment(testable = false)
    static WebArchive probe() {
        return Deployments.probe();
    }

    @Test
    @DisplayName("Sessions above min are closed once idle longer than the idle timeout; min stay")
    void idleSessionsAboveMinAreClosed() throws Exception {
        List<java.util.concurrent.CompletableFuture<Reply>> holders = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            holders.add(Http.postAsync(Http.probe("/probe/hold?millis=1500")));
        }
        for (var holder : holders) {
            assertEquals(200, holder.get().status());
        }
        assertEquals(MAX, database.poolSessions(), "the pool grew to max");

        Duration took = Await.value("POOL sessions after the idle timeout", database::poolSessions, MIN,
                Duration.ofMinutes(IDLE_TIMEOUT_MINUTES).multipliedBy(3));
        assertTrue(took.toSeconds() >= IDLE_TIMEOUT_MINUTES * 60L - 35,
                "idle sessions closed after " + took.toSeconds() + " s, before the idle timeout");
        assertTrue(WildFlyServer.poolStatistics().get("TimedOut") >= MAX - MIN);
        Reply still = Http.get(Http.probe("/probe/session"));
        assertEquals(200, still.status(), "the pool still serves after shrinking");
    }
}
