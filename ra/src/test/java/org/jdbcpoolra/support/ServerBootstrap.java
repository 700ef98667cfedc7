package org.jdbcpoolra.support;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Timer;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.resource.spi.BootstrapContext;

import org.jdbcpoolra.JdbcResourceAdapter;

/**
 * The server's side of starting the adapter: a {@link BootstrapContext} whose timers are daemon {@link Timer}s named
 * {@code adapter timer}, as a server's are its own threads; {@link #close()} cancels them.
 */
public final class ServerBootstrap implements AutoCloseable {
    private final List<Timer> timers = new CopyOnWriteArrayList<>();

    public BootstrapContext context() {
        return (BootstrapContext) Proxy.newProxyInstance(ServerBootstrap.class.getClassLoader(),
                new Class<?>[] {BootstrapContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("createTimer")) {
                        Timer timer = new Timer("adapter timer", true);
                        timers.add(timer);
                        return timer;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** An adapter the server has started. */
    public JdbcResourceAdapter startedAdapter() {
        JdbcResourceAdapter adapter = new JdbcResourceAdapter();
        adapter.start(context());
        return adapter;
    }

    @Override
    public void close() {
        timers.forEach(Timer::cancel);
    }
}
