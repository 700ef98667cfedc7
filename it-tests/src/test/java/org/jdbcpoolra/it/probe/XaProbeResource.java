package org.jdbcpoolra.it.probe;

import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** HTTP front of {@link XaProbe}: "ok", or 503 with why the transaction rolled back. */
@RequestScoped
@Path("/xa")
@Produces(MediaType.TEXT_PLAIN)
public class XaProbeResource {
    @EJB
    private XaProbe probe;

    @EJB
    private XaTimeouts timeouts;

    /** An XA transaction over both databases that times out while its borrower works: "second rows|commit". */
    @POST
    @Path("/timeout")
    public String timeout(@QueryParam("tag") String tag, @QueryParam("timeout") int timeoutSeconds,
            @QueryParam("workMillis") long workMillis) throws Exception {
        return timeouts.outliveTimeout(tag, timeoutSeconds, workMillis);
    }

    @POST
    @Path("/write")
    public Response write(@QueryParam("tag") String tag, @QueryParam("outcome") String outcome) {
        try {
            probe.writeBoth(tag, outcome);
            return Response.ok("ok").build();
        } catch (Exception e) {
            return Response.status(503).entity(ProbeResource.describe(e)).build();
        }
    }

    @POST
    @Path("/fail-at-prepare")
    public Response failAtPrepare(@QueryParam("tag") String tag, @QueryParam("id") int id) {
        try {
            probe.failAtPrepare(tag, id);
            return Response.ok("ok").build();
        } catch (Exception e) {
            return Response.status(503).entity(ProbeResource.describe(e)).build();
        }
    }

    /** "ok|waitedMillis|session" or 503 "waitedMillis|error" (the wait measured here, also for a refused borrow). */
    @POST
    @Path("/hold")
    public Response hold(@QueryParam("which") String which, @QueryParam("millis") long millis) {
        long start = System.nanoTime();
        try {
            return Response.ok("ok|" + probe.hold(which, millis)).build();
        } catch (Exception e) {
            return Response.status(503).entity((System.nanoTime() - start) / 1_000_000 + "|"
                    + ProbeResource.describe(e)).build();
        }
    }

    @POST
    @Path("/crash")
    public Response crash(@QueryParam("tag") String tag, @QueryParam("marker") String marker) {
        try {
            probe.crashWhileCommitting(tag, marker);
            return Response.ok("survived").build();
        } catch (Exception e) {
            return Response.status(503).entity(ProbeResource.describe(e)).build();
        }
    }
}
