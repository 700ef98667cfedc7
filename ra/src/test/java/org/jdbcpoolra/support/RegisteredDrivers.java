package org.jdbcpoolra.support;

import java.sql.Driver;
import java.sql.DriverManager;
import java.util.Collections;

/**
 * Counts the JDBC drivers registered in {@link DriverManager} whose classes come from this class's own class loader.
 * Loaded into a deployment's class loader by a test, it sees what DriverManager shows that deployment.
 */
public final class RegisteredDrivers {
    private RegisteredDrivers() {
    }

    public static int ofThisClassLoader() {
        ClassLoader own = RegisteredDrivers.class.getClassLoader();
        int count = 0;
        for (Driver driver : Collections.list(DriverManager.getDrivers())) {
            if (driver.getClass().getClassLoader() == own) {
                count++;
            }
        }
        return count;
    }
}
