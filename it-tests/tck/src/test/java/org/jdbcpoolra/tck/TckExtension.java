package org.jdbcpoolra.tck;

import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.arquillian.test.spi.enricher.resource.ResourceProvider;

/** What the TCK needs from its runner: an archive processor for its deployments, and the pool under test. */
public final class TckExtension implements LoadableExtension {
    @Override
    public void register(ExtensionBuilder builder) {
        builder.service(ResourceProvider.class, TckArchiveProcessor.class);
        builder.observer(TckArchiveProcessor.class);
        builder.observer(TckServer.class);
    }
}
