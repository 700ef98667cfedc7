package org.jdbcpoolra.config;

/**
 * A configuration value that cannot be used. The message always names the property and never carries a password,
 * because it ends up in server logs and deployment failures.
 */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String property;

    public ConfigException(PoolProperty property, String problem) {
        super(property.propertyName() + ": " + problem);
        this.property = property.propertyName();
    }

    /** The name of the property to fix, as the deployer wrote it. */
    public String property() {
        return property;
    }
}
