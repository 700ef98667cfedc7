package org.jdbcpoolra.it.probe;

import java.sql.SQLException;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * What a probe call that threw answers: each exception of the chain as "class|SQLState|message" on a line, so a test
 * can tell a connection failure (SQLState class 08) from others even where a container wrapped it (an EJB's
 * exception, a transaction manager's RollbackException). Without it each server answers in its own format, often the
 * outermost message alone.
 */
@Provider
public class ProbeFailures implements ExceptionMapper<Exception> {
    private static final int MOST_CAUSES = 12;

    @Override
    public Response toResponse(Exception e) {
        if (e instanceof WebApplicationException web) {
            return web.getResponse();
        }
        return Response.status(Response.Status.INTERNAL_SERVER_ERROR).type(MediaType.TEXT_PLAIN_TYPE)
                .entity(chain(e)).build();
    }

    /** Each exception of the chain, the next exception of a SQLException before its cause. */
    static String chain(Throwable e) {
        StringBuilder chain = new StringBuilder();
        Throwable t = e;
        for (int i = 0; t != null && i < MOST_CAUSES; i++) {
            chain.append(ProbeResource.describe(t)).append('\n');
            Throwable next = t instanceof SQLException sql && sql.getNextException() != null ? sql.getNextException()
                    : t.getCause();
            t = next == t ? null : next;
        }
        return chain.toString();
    }
}
