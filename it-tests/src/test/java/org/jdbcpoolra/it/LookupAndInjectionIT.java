package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.jboss.dmr.ModelNode;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.Probe;
import org.jdbcpoolra.it.support.ReadsPoolStatistics;
import org.jdbcpoolra.it.support.Http.Reply;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The pool is reachable the ways applications reach it: the EAR's own EJB, injection and JNDI lookup elsewhere. */
@ReadsPoolStatistics
@Tag("machinery")
class LookupAndInjectionIT extends PoolScenario {

    @Test
    @DisplayName("The example EJB, injected by reference jdbc/Pool, stores and lists notes over HTTP")
    void exampleEjbStoresAndListsNotesOverHttp() throws Exception {
        String body = "note-" + System.nanoTime();
        Reply created = Http.post(Http.example("/api/notes"), body);
        assertEquals(201, created.status(), created.body());

        Reply listed = Http.get(Http.example("/api/notes"));
        assertEquals(200, listed.status(), listed.body());
        assertTrue(listed.body().contains(body), listed.body());
        ModelNode counted = ModelNode.fromJSONString(Http.get(Http.example("/api/notes/count?body=" + body)).body());
        assertEquals(1, counted.get("rows").asInt(), "rows the example's database holds for the note");
        assertEquals("org.jdbcpoolra.handle.ConnectionHandle", counted.get("connection").asString(),
                "the example's connections come from our adapter");
        assertEquals(1, database.notesWithBody(body), "the note is in the pool's database: the EJB used our pool");
    }

    @Test
    @DisplayName("A note added in a transaction marked rollback-only is not kept")
    void exampleRollbackDiscardsTheNote() {
        String body = "lost-" + System.nanoTime();
        Reply reply = Http.post(Http.example("/api/notes/rollback"), body);
        assertEquals(200, reply.status(), reply.body());

        assertFalse(Http.get(Http.example("/api/notes")).body().contains(body));
        ModelNode counted = ModelNode.fromJSONString(Http.get(Http.example("/api/notes/count?body=" + body)).body());
        assertEquals(0, counted.get("rows").asInt(), "rows the example's database holds for the rolled back note");
        assertEquals(0, database.notesWithBody(body), "notes in the pool's database");
    }

    @Test
    @DisplayName("The example's HTTP front shows the server's pool statistics")
    void exampleShowsPoolStatistics() {
        // Payara creates a server-level pool, and monitors it, from the first lookup of its resource on.
        Probe.query("SELECT 1");
        Reply reply = Http.get(Http.example("/api/pool"));
        assertEquals(200, reply.status(), reply.body());
        ModelNode pools = ModelNode.fromJSONString(reply.body());
        assertTrue(pools.keys().stream().anyMatch(pool -> pools.get(pool).hasDefined(facts.exampleStatistic())),
                facts.exampleStatistic() + " of a pool in " + reply.body());
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
        Reply reply = Http.get(Http.probe("/probe/lookup?name=" + facts.jndiName()));
        assertEquals(200, reply.status(), reply.body());
        String[] parts = reply.body().split("\\|");
        assertEquals("org.jdbcpoolra.outbound.JdbcDataSource", parts[1]);
        assertEquals("org.jdbcpoolra.handle.ConnectionHandle", parts[2]);
    }
}
