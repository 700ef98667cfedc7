package org.jdbcpoolra.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a scenario asks of the pool, in server-neutral names; each {@link ServerControl} maps them onto its own
 * src-deploy properties file. Unset names keep the test defaults ({@link ServerControl#MIN} etc.) and the shipped
 * defaults of pool.properties. Names: url, user, password, driver-class, min, max, blocking-timeout-millis,
 * validate-on-borrow, background-validation-millis (WildFly only), validation-timeout-seconds,
 * query-timeout-seconds, login-timeout-seconds, leak-detection (true: WildFly's cached connection manager closes
 * and reports what an EJB call left open; Payara reclaims after leak-timeout-seconds), xa (databases that get an
 * XA connection definition too), xa-no-validation (those of them whose XA pool does not validate on borrow).
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
                settings = settings.with(pair.substring(0, eq), pair.substring(eq + 1));
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
        return get("url", database.url());
    }

    public String user() {
        return get("user", database.user());
    }

    public String password() {
        return get("password", database.password());
    }

    public String driverClass() {
        return get("driver-class", database.driverClass());
    }

    public int min() {
        return Integer.parseInt(get("min", String.valueOf(ServerControl.MIN)));
    }

    public int max() {
        return Integer.parseInt(get("max", String.valueOf(ServerControl.MAX)));
    }

    /** The adapter properties a scenario set, under the key both servers' pool.properties give them. */
    public Map<String, String> adapterProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String name : List.of("validation-timeout-seconds", "query-timeout-seconds", "login-timeout-seconds")) {
            String value = values.get(name);
            if (value != null) {
                properties.put("pool." + name, value);
            }
        }
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

    public boolean leakDetection() {
        return Boolean.parseBoolean(get("leak-detection", "false"));
    }
}
