package org.jdbcpoolra.it.jpa;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/** POST /visits?tag=&count= persists, POST /visits/fail?tag= persists and fails, GET /visits?tag= counts. */
@RequestScoped
@Path("/visits")
public class VisitsResource {
    @EJB
    private Visits visits;

    @POST
    public String record(@QueryParam("tag") String tag, @QueryParam("count") int count) {
        visits.record(tag, count);
        return "recorded";
    }

    @POST
    @Path("/fail")
    public String fail(@QueryParam("tag") String tag) {
        try {
            visits.recordThenFail(tag);
            return "committed";
        } catch (EJBException expected) {
            return "rolled back";
        }
    }

    @GET
    public String count(@QueryParam("tag") String tag) {
        return String.valueOf(visits.count(tag));
    }
}
