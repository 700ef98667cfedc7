package org.jdbcpoolra.example.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The example's HTTP front, under /jdbc-pool-example/api. */
@ApplicationPath("/api")
public class ExampleApplication extends Application {
}
