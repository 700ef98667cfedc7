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

/**
 * WildFly only (Payara has no {@code java:/} namespace and would fail the deployment): the pool injected with
 * {@code @Resource(lookup = "java:/jdbc/Pool")}, as the README shows.
 */
@RequestScoped
@Path("/direct")
@Produces(MediaType.TEXT_PLAIN)
public class WildFlyDirectLookupProbe {

    @Resource(lookup = "java:/jdbc/Pool")
    private DataSource dataSource;

    @GET
    public String handleClass() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return c.getClass().getName();
        }
    }
}
