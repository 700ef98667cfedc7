package org.jdbcpoolra.it.timers;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;

/** Lets the test create a single-action timer: POST /timers/once?tag=...&millis=... */
@RequestScoped
@Path("/timers")
public class TimersResource {
    @EJB
    private PoolTimers timers;

    @POST
    @Path("/once")
    public String once(@QueryParam("tag") String tag, @QueryParam("millis") long millis) {
        timers.once(tag, millis);
        return "created";
    }
}
