package org.jdbcpoolra.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import org.jdbcpoolra.support.PhysicalFakes;
import org.jdbcpoolra.support.TestDatabase;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Validation queries")
class ConnectionValidatorTest {

    @Test
    @DisplayName("a validation query runs under a network timeout a second past its own, which is restored after")
    void queryIsBackedByTheNetworkTimeout() throws Exception {
        try (TestDatabase db = TestDatabase.create(); Connection real = DriverManager.getConnection(db.url())) {
            Connection kept = PhysicalFakes.recording(real, new ArrayList<>());
            kept.setNetworkTimeout(Runnable::run, 30_000);
            List<Integer> whileQuerying = new ArrayList<>();
            Connection physical = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("createStatement")) {
                            whileQuerying.add(kept.getNetworkTimeout());
                        }
                        try {
                            return method.invoke(kept, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });

            assertTrue(ConnectionValidator.query("SELECT 1").isValid(physical, 5));

            assertEquals(List.of(6000), whileQuerying);
            assertEquals(30_000, kept.getNetworkTimeout());
        }
    }
}
