package org.jdbcpoolra.it.probe;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Payara: the pool injected with {@code @Resource(lookup = "jdbc/Pool")}, the server-level resource name. */
@RequestScoped
@Path("/direct")
@Produces(MediaType.TEXT_PLAIN)
public class PayaraDirectLookupProbe {

    @Resource(lookup = "jdbc/Pool")
    private DataSource dataSource;

    @GET
    public String handleClass() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.getClass().getName();
        }
    }
}
