package org.jdbcpoolra.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a scenario asks of the pool. Adapter properties go by the names of README's table and of every server's
 * pool.properties ({@code QueryTimeout=1}); the server's own pool settings go by server-neutral names, which each
 * {@link ServerControl} maps onto its src-deploy properties file: min, max, blocking-timeout-millis,
 * validate-on-borrow, background-validation-millis (where the server has it), idle-timeout-seconds (longer than the
 * test default {@link ServerFacts#idleTimeout()}, e.g. to keep Payara's resizer away), leak-detection (true: WildFly's
 * cached connection manager closes and reports what an EJB call left open; Payara reclaims after a timeout),
 * xa (databases that get an XA connection definition too), xa-no-validation (those of them whose XA pool does not
 * validate on borrow). Unset names keep the test defaults ({@link ServerControl#MIN} etc.), the test database's
 * Url, User, Password and DriverClass, and the shipped defaults of pool.properties.
 */
public record PoolSettings(TestDatabase database, Map<String, String> values) {

    /** Settings for the pool a whole test class uses: {@code @PoolSettings.Use({"name=value", ...})}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Use {
        String[] value();
    }

    public PoolSettings {
        values = Map.copyOf(values);
    }

    public static PoolSettings defaults() {
        return new PoolSettings(TestDatabase.get(), Map.of());
    }

    public static PoolSettings forClass(Class<?> testClass) {
        PoolSettings settings = defaults();
        Use use = testClass == null ? null : testClass.getAnnotation(Use.class);
        if (use != null) {
            for (String pair : use.value()) {
                int eq = pair.indexOf('=');
                settings = settings.with(pair.substring(0, eq), settings.database().expand(pair.substring(eq + 1)));
            }
        }
        return settings;
    }

    public PoolSettings with(String name, String value) {
        Map<String, String> next = new LinkedHashMap<>(values);
        next.put(name, value);
        return new PoolSettings(database, next);
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public String url() {
        return get("Url", database.url());
    }

    public String password() {
        return get("Password", database.password());
    }

    public int min() {
        return Integer.parseInt(get("min", String.valueOf(ServerControl.MIN)));
    }

    public int max() {
        return Integer.parseInt(get("max", String.valueOf(ServerControl.MAX)));
    }

    public int blockingTimeoutMillis() {
        return Integer.parseInt(get("blocking-timeout-millis", String.valueOf(ServerControl.BLOCKING_TIMEOUT_MILLIS)));
    }

    public boolean validatesOnBorrow() {
        return Boolean.parseBoolean(get("validate-on-borrow", "true"));
    }

    /**
     * The adapter properties for the pool.properties of any server: the test database's connection, and every
     * property the scenario set, under the property's own name.
     */
    public Map<String, String> adapterProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("Url", database.url());
        properties.put("User", database.user());
        properties.put("Password", database.password());
        properties.put("DriverClass", database.driverClass());
        values.forEach((name, value) -> {
            if (Character.isUpperCase(name.charAt(0))) {
                properties.put(name, value);
            }
        });
        return properties;
    }

    /**
     * {@link #adapterProperties()} plus the server's own pool settings every server has, as typed (a scenario may
     * give a wrong value on purpose), under the keys of that server's pool.properties.
     */
    public Map<String, String> serverProperties(String minKey, String maxKey, String blockingTimeoutKey,
            String validateOnBorrowKey) {
        Map<String, String> properties = adapterProperties();
        properties.put(minKey, get("min", String.valueOf(ServerControl.MIN)));
        properties.put(maxKey, get("max", String.valueOf(ServerControl.MAX)));
        properties.put(blockingTimeoutKey, get("blocking-timeout-millis",
                String.valueOf(ServerControl.BLOCKING_TIMEOUT_MILLIS)));
        properties.put(validateOnBorrowKey, String.valueOf(validatesOnBorrow()));
        return properties;
    }

    /** The databases that get an XA connection definition beside the pool ("xa=postgresql,mariadb"). */
    public List<TestDatabase> xaDatabases() {
        String names = values.get("xa");
        return names == null ? List.of()
                : java.util.Arrays.stream(names.split(",")).map(String::trim).map(TestDatabase::named).toList();
    }

    /** Whether the XA pool of this database validates connections as they are handed out ("xa-no-validation"). */
    public boolean xaValidates(TestDatabase database) {
        return !List.of(get("xa-no-validation", "").split(",")).contains(database.name());
    }

    /** The server's idle timeout: the scenario's, or the shortest the server can be given. */
    public java.time.Duration idleTimeout(java.time.Duration shortest) {
        String seconds = values.get("idle-timeout-seconds");
        return seconds == null ? shortest : java.time.Duration.ofSeconds(Long.parseLong(seconds));
    }

    public boolean leakDetection() {
        return Boolean.parseBoolean(get("leak-detection", "false"));
    }
}
