package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.support.Deployments;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.ReadsPoolStatistics;
import org.jdbcpoolra.it.support.Http.Reply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The pool is reachable the ways applications reach it: the EAR's own EJB, injection and JNDI lookup elsewhere. */
@ReadsPoolStatistics
class LookupAndInjectionIT extends PoolScenario {
    @Deployment(testable = false)
    static WebArchive probe() {
        return Deployments.probe();
    }

    @Test
    @DisplayName("The example EJB, injected by reference jdbc/Pool, stores and lists notes over HTTP")
    void exampleEjbStoresAndListsNotesOverHttp() throws Exception {
        String body = "note-" + System.nanoTime();
        Reply created = Http.post(Http.example("/api/notes"), body);
        assertEquals(201, created.status(), created.body());

        Reply listed = Http.get(Http.example("/api/notes"));
        assertEquals(200, listed.status(), listed.body());
        assertTrue(listed.body().contains(body), listed.body());
        if (server.exampleUsesTestDatabase()) {
            assertEquals(1, database.notesWithBody(body), "the note is in the pool's database: the EJB used our pool");
        } else {
            assertTrue(Files.readString(server.serverLog()).contains("java:app/jdbc/Pool: first connection"),
                    "our adapter served the EAR's own pool");
        }
    }

    @Test
    @DisplayName("A note added in a transaction marked rollback-only is not kept")
    void exampleRollbackDiscardsTheNote() {
        String body = "lost-" + System.nanoTime();
        Reply reply = Http.post(Http.example("/api/notes/rollback"), body);
        assertEquals(200, reply.status(), reply.body());

        assertFalse(Http.get(Http.example("/api/notes")).body().contains(body));
        if (server.exampleUsesTestDatabase()) {
            assertEquals(0, database.notesWithBody(body));
        }
    }

    @Test
    @DisplayName("The example's HTTP front shows the server's pool statistics")
    void exampleShowsPoolStatistics() {
        Reply reply = Http.get(Http.example("/api/pool"));
        assertEquals(200, reply.status(), reply.body());
        for (String marker : server.exampleStatisticsMarkers()) {
            assertTrue(reply.body().contains(marker), marker + " in " + reply.body());
        }
    }

    @Test
    @DisplayName("Another deployment gets the pool injected with @Resource(lookup = <the server's global name>)")
    void separateDeploymentInjectsByLookup() {
        Reply reply = Http.get(Http.probe("/direct"));
        assertEquals(200, reply.status(), reply.body());
        assertEquals("org.jdbcpoolra.handle.ConnectionHandle", reply.body());
    }

    @Test
    @DisplayName("A JNDI lookup of the pool's global name returns our DataSource handing out connection handles")
    void jndiLookupReturnsOurDataSource() {
        Reply reply = Http.get(Http.probe("/probe/lookup?name=" + server.jndiName()));
        assertEquals(200, reply.status(), reply.body());
        String[] parts = reply.body().split("\\|");
        assertEquals("org.jdbcpoolra.outbound.JdbcDataSource", parts[1]);
        assertEquals("org.jdbcpoolra.handle.ConnectionHandle", parts[2]);
    }
}
