package org.jdbcpoolra.tck;

import java.net.URL;

import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import tck.arquillian.porting.lib.spi.AbstractTestArchiveProcessor;

/**
 * The TCK hands every archive it builds to the runner's processor. WildFly needs no vendor descriptors for the JDBC
 * tests (their one resource reference, jdbc/DB1, resolves to the default datasource), so the archives go unchanged.
 */
public final class TckArchiveProcessor extends AbstractTestArchiveProcessor {
    @Override
    public void processClientArchive(JavaArchive archive, Class<?> testClass, URL descriptor) {
        // unchanged
    }

    @Override
    public void processEjbArchive(JavaArchive archive, Class<?> testClass, URL descriptor) {
        // unchanged
    }

    @Override
    public void processWebArchive(WebArchive archive, Class<?> testClass, URL descriptor) {
        // unchanged
    }

    @Override
    public void processRarArchive(JavaArchive archive, Class<?> testClass, URL descriptor) {
        // unchanged
    }

    @Override
    public void processParArchive(JavaArchive archive, Class<?> testClass, URL descriptor) {
        // unchanged
    }

    @Override
    public void processEarArchive(EnterpriseArchive archive, Class<?> testClass, URL descriptor) {
        // unchanged
    }
}
