package org.jdbcpoolra.it.timers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Properties;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;

/**
 * An application whose persistent timers the server keeps in the database behind our pool (src-deploy's ejb-timers
 * script). Every expiry writes a row through the pool (its name packaged in timers.properties), in the timeout's
 * container transaction, tagged with the timer's info, so the test counts firings in the database.
 */
@Singleton
public class PoolTimers {
    /** The info of the schedule; the test finds its row in the server's timer table by it. */
    static final String SCHEDULE = "it-schedule-every-2s";

    @Resource
    private TimerService timers;

    @Schedule(second = "*/2", minute = "*", hour = "*", persistent = true, info = SCHEDULE)
    void everyTwoSeconds(Timer timer) throws SQLException {
        record(String.valueOf(timer.getInfo()));
    }

    /** A persistent single-action timer the application creates itself: nothing but the store can bring it back. */
    public void once(String tag, long delayMillis) {
        timers.createSingleActionTimer(delayMillis, new TimerConfig(tag, true));
    }

    @Timeout
    void expired(Timer timer) throws SQLException {
        record(String.valueOf(timer.getInfo()));
    }

    private static void record(String tag) throws SQLException {
        try (Connection c = pool().getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO probe_rows (tag) VALUES (?)")) {
            insert.setString(1, tag);
            insert.executeUpdate();
        }
    }

    private static DataSource pool() {
        String name;
        try (InputStream in = PoolTimers.class.getResourceAsStream("/timers.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            name = properties.getProperty("jndi");
        } catch (IOException e) {
            throw new UncheckedIOException("timers.war has no readable timers.properties", e);
        }
        try {
            return (DataSource) new InitialContext().lookup(name);
        } catch (NamingException e) {
            throw new IllegalStateException("no pool at " + name, e);
        }
    }
}
