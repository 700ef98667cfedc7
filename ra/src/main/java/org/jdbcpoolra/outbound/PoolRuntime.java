package org.jdbcpoolra.outbound;

import org.jdbcpoolra.config.PoolConfig;
import org.jdbcpoolra.config.PoolProperty;
import org.jdbcpoolra.spi.ConnectionValidator;
import org.jdbcpoolra.spi.FatalErrorClassifier;
import org.jdbcpoolra.spi.StandardFatalErrorClassifier;
import org.jdbcpoolra.stats.PoolCounters;

/**
 * Everything derived from a validated configuration, built once when the connection definition is activated, so
 * that classes are loaded and checked before the first borrower and every managed connection gets the same,
 * consistent parts.
 */
record PoolRuntime(PoolConfig config, ConnectionSource source, FatalErrorClassifier fatalErrors,
        ConnectionValidator validator, SignOn signOn, ConnectionOpener opener, Suspicion suspicion,
        Renewals renewals, PoolCounters counters) {

    /** @throws org.jdbcpoolra.config.ConfigException naming the property whose class is missing or unusable */
    static PoolRuntime build(PoolConfig config, ClassLoader loader) {
        FatalErrorClassifier fatalErrors = config.fatalErrorClassifier() == null
                ? StandardFatalErrorClassifier.withExtra(config.fatalSqlStates(), config.fatalErrorCodes())
                : StandardFatalErrorClassifier.either(ConnectionSource.instantiate(
                        PoolProperty.FATAL_ERROR_CLASSIFIER, config.fatalErrorClassifier(),
                        FatalErrorClassifier.class, loader), config.fatalSqlStates(), config.fatalErrorCodes());
        ConnectionValidator validator = config.validationQuery() == null
                ? ConnectionValidator.ping()
                : ConnectionValidator.query(config.validationQuery());
        ConnectionSource source = ConnectionSource.create(config, loader);
        SignOn signOn = new SignOn(config);
        PoolCounters counters = new PoolCounters();
        ConnectionOpener opener = new ConnectionOpener(config, source, signOn,
                new UnansweredLogins(config.loginTimeoutSeconds()), counters);
        return new PoolRuntime(config, source, fatalErrors, validator, signOn, opener, new Suspicion(),
                new Renewals(), counters);
    }
}
