package org.jdbcpoolra.it.jpa;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

@ApplicationPath("/")
public class JpaApplication extends Application {
}
