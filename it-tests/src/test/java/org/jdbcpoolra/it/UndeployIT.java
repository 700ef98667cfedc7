package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.jdbcpoolra.it.support.ServerControl.MIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Deployments;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.Http.Reply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The remove script (undeploy + deactivate) leaves no session behind; the configure script brings the pool back. */
@Deployments.Uses(Deployments.Probe.LOOKUP_ONLY)
@Tag("machinery")
class UndeployIT extends PoolScenario {

    @Test
    @DisplayName("Undeploying closes every physical session; configuring again brings the pool back")
    void undeployClosesEverySession() throws Exception {
        List<CompletableFuture<Reply>> holders = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            holders.add(Http.postAsync(Http.probe("/probe/hold?millis=1000")));
        }
        for (CompletableFuture<Reply> holder : holders) {
            assertEquals(200, holder.get().status());
        }
        assertEquals(MAX, database.poolSessions(), "the pool grew to max before the undeploy");

        server.remove();
        Await.value("POOL sessions after undeploy", database::poolSessions, 0, Duration.ofSeconds(15));

        server.configure(PoolSettings.defaults());
        Http.awaitOk(Http.example("/api/pool"));
        Reply again = Http.get(Http.probe("/probe/session"));
        assertEquals(200, again.status(), again.body());
        Await.value("POOL sessions after configuring again", database::poolSessions,
                facts.sessionsAfterFirstBorrow(MIN), Duration.ofSeconds(20));
    }

    @Test
    @DisplayName("The configured password appears nowhere in the server log")
    void passwordNeverLogged() throws Exception {
        String log = Files.readString(facts.serverLog());
        assertFalse(log.isEmpty());
        assertFalse(log.contains(database.password()), "the server log contains the pool password");
    }
}
