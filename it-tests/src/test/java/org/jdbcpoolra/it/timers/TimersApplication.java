package org.jdbcpoolra.it.timers;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

@ApplicationPath("/")
public class TimersApplication extends Application {
}
