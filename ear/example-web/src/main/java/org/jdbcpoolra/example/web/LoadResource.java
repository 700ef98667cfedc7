package org.jdbcpoolra.example.web;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jdbcpoolra.example.NotesService;

/**
 * One borrower that holds a connection for a while, so that load shows on the live page and in the metrics:
 * {@code while true; do curl -s -X POST 'http://localhost:8080/jdbc-pool-example/api/load?holdMillis=200'; done}.
 */
@RequestScoped
@Path("/load")
@Produces(MediaType.TEXT_PLAIN)
public class LoadResource {
    private static final long MOST_MILLIS = 10_000;

    @EJB
    private NotesService notes;

    @POST
    public Response borrow(@QueryParam("holdMillis") Long holdMillis) {
        long millis = holdMillis == null ? 100 : holdMillis;
        if (millis < 0 || millis > MOST_MILLIS) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity("holdMillis must be between 0 and " + MOST_MILLIS + ", was " + millis + "\n").build();
        }
        notes.sample(millis);
        return Response.ok("ok\n").build();
    }
}
