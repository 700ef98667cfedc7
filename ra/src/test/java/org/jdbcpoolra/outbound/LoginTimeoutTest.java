package org.jdbcpoolra.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** LoginTimeout reaches the known drivers as their own connect-timeout properties, in their own units. */
@DisplayName("Login timeout for drivers")
class LoginTimeoutTest {
    @Test
    @DisplayName("PostgreSQL gets loginTimeout and connectTimeout in seconds")
    void postgresqlInSeconds() {
        assertEquals(Map.of("loginTimeout", "12", "connectTimeout", "12"),
                ConnectionSource.loginTimeout("org.postgresql.Driver", 12));
    }

    @Test
    @DisplayName("MariaDB gets connectTimeout in milliseconds")
    void mariadbInMilliseconds() {
        assertEquals(Map.of("connectTimeout", "12000"), ConnectionSource.loginTimeout("org.mariadb.jdbc.Driver", 12));
    }

    @Test
    @DisplayName("0 (no bound) and unknown drivers add nothing")
    void nothingForZeroOrUnknown() {
        assertEquals(Map.of(), ConnectionSource.loginTimeout("org.postgresql.Driver", 0));
        assertEquals(Map.of(), ConnectionSource.loginTimeout("org.h2.Driver", 12));
    }
}
