package org.jdbcpoolra.example.web;

import java.util.List;

import jakarta.ejb.EJB;
import jakarta.ws.rs.Consumes;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jdbcpoolra.example.Note;
import org.jdbcpoolra.example.NotesService;

/**
 * Drive the example with curl:
 * <pre>
 * curl -X POST -H 'Content-Type: text/plain' -d 'hello' http://localhost:8080/jdbc-pool-example/api/notes
 * curl http://localhost:8080/jdbc-pool-example/api/notes
 * curl -X POST -H 'Content-Type: text/plain' -d 'lost' http://localhost:8080/jdbc-pool-example/api/notes/rollback
 * curl 'http://localhost:8080/jdbc-pool-example/api/notes/count?body=hello'
 * </pre>
 */
@RequestScoped
@Path("/notes")
@Produces(MediaType.APPLICATION_JSON)
public class NotesResource {

    @EJB
    private NotesService notes;

    /** The table is created on first use, so the application deploys even while the database is down. */
    private static volatile boolean tableReady;

    private NotesService notes() {
        if (!tableReady) {
            notes.createTable();
            tableReady = true;
        }
        return notes;
    }

    @GET
    public List<Note> list() {
        return notes().list();
    }

    /** How many notes have this body, counted by the database, and which connection class served the count. */
    @GET
    @Path("/count")
    public java.util.Map<String, Object> count(@jakarta.ws.rs.QueryParam("body") String body) {
        return notes().count(body);
    }

    @POST
    @Consumes(MediaType.TEXT_PLAIN)
    public Response add(String body) {
        return Response.status(Response.Status.CREATED).entity(notes().add(body)).build();
    }

    /** Inserts a note in a transaction that is then marked rollback-only: the note is not kept. */
    @POST
    @Path("/rollback")
    @Consumes(MediaType.TEXT_PLAIN)
    public Note addThenRollBack(String body) {
        return notes().addThenRollBack(body);
    }
}
