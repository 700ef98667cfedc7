package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jdbcpoolra.it.support.MisconfigurationScenario;
import org.jdbcpoolra.it.support.SharedPool;
import org.jdbcpoolra.it.support.PoolSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Pool settings and adapter properties a deployer gets wrong whatever the database: refused by the scripts, the
 * server or the adapter, naming the setting. (BadConfigurationIT has the mistakes whose error the database or its
 * driver shapes.)
 */
@SharedPool
@Tag("machinery")
class BadPoolSettingsIT extends MisconfigurationScenario {

    @Test
    @DisplayName("An unknown driver class: the activation fails naming DriverClass and the class")
    void unknownDriverClassIsNamed() {
        String seen = errorSeen(PoolSettings.defaults().with("DriverClass", "org.example.NoSuchDriver"));
        assertTrue(seen.contains("DriverClass: class 'org.example.NoSuchDriver' is not visible"), seen);
    }

    @Test
    @DisplayName("min above max: refused, naming the pool size setting")
    void minAboveMaxIsRefused() {
        String seen = errorSeen(PoolSettings.defaults().with("min", "6").with("max", "3"));
        assertTrue(facts.poolSizeSettings().stream().anyMatch(seen::contains), seen);
    }

    @Test
    @DisplayName("A negative pool size: refused, naming the setting")
    void negativeSizeIsRefused() {
        String seen = errorSeen(PoolSettings.defaults().with("max", "-1"));
        assertTrue(facts.poolSizeSettings().stream().anyMatch(seen::contains), seen);
    }

    @Test
    @DisplayName("A timeout that is not a number: refused, naming the property")
    void nonNumericTimeoutsAreRefused() {
        String adapter = errorSeen(PoolSettings.defaults().with("QueryTimeout", "soon"));
        assertTrue(adapter.contains("QueryTimeout: 'soon' is not a whole number of seconds"), adapter);
        String pool = errorSeen(PoolSettings.defaults().with("blocking-timeout-millis", "soon"));
        assertTrue(pool.contains(facts.blockingTimeoutSetting()), pool);
    }
}
