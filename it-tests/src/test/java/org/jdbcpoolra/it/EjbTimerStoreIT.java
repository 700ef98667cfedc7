package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Deployments;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.TestEnvironment;
import org.jdbcpoolra.it.support.WildFlyServer;
import org.jdbcpoolra.it.timers.PoolTimers;
import org.jdbcpoolra.it.timers.TimersApplication;
import org.jdbcpoolra.it.timers.TimersResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A client of the pool that we did not write: WildFly's EJB timer service, with its database-data-store at
 * java:/jdbc/Pool (src-deploy/wildfly/ejb-timers.cli). Its own behaviour is the proof: the timers are rows in its
 * table in the database, a schedule fires (each expiry writes through the pool in the timeout's transaction), and
 * after the server is killed and started again the same schedule goes on under the same id and a single-action timer
 * created before the crash fires after it, which only the store can bring back.
 */
@Tag("clients")
class EjbTimerStoreIT extends PoolScenario {
    private static final String TIMER_TABLE = "jboss_ejb_timer";

    @Test
    @DisplayName("WildFly's persistent EJB timers live in the database behind the pool, fire, and survive a crash")
    void persistentTimersLiveInThePoolsDatabaseAndSurviveACrash() throws Exception {
        installTimers();
        String schedule = "it-schedule-every-2s";
        Await.value("schedule firings seen (at least 2)", () -> Math.min(2, database.rowsTagged(schedule)), 2,
                Duration.ofSeconds(60));
        String scheduleId = scheduleTimerId();
        String once = "it-once-" + System.nanoTime();
        assertEquals(200, Http.post(timers("/timers/once?tag=" + once + "&millis=30000"), "").status());
        assertEquals(2, timerRows(), "timers in WildFly's table in the pool's database (the schedule and the one-off)");
        assertEquals(0, database.rowsTagged(once), "the single-action timer fired before the crash");

        server.crashAndRestart(Deployments.probe());
        int firedBefore = database.rowsTagged(schedule);
        installTimers();
        Await.value("the single-action timer created before the crash fired after it", () -> database.rowsTagged(once),
                1, Duration.ofSeconds(90));
        Await.value("the schedule fires again after the restart", () -> Math.min(1, database.rowsTagged(schedule)
                - firedBefore), 1, Duration.ofSeconds(60));
        assertEquals(scheduleId, scheduleTimerId(), "the schedule came back from the store under its id");
        assertEquals(1, timerRows(), "timers in the table once the single-action timer is spent");
        System.out.println("EJB timers on the pool: schedule " + scheduleId + " fired " + database.rowsTagged(schedule)
                + " times, single-action timer fired after the crash");
    }

    @AfterEach
    void removeTimers() {
        WildFlyServer.command("undeploy timers.war");
        WildFlyServer.cli("remove-ejb-timers.cli", Map.of());
        database.execute("DELETE FROM " + TIMER_TABLE);
    }

    private void installTimers() throws java.io.IOException {
        WildFlyServer.cli("ejb-timers.cli", Map.of("timers.database", database.name()));
        Path war = TestEnvironment.work().resolve("timers.war");
        ShrinkWrap.create(WebArchive.class, "timers.war")
                .addClasses(PoolTimers.class, TimersResource.class, TimersApplication.class)
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        WildFlyServer.command("deploy " + war);
        Http.awaitDeployed(timers("/timers/once"));
    }

    private int timerRows() {
        return database.queryInt("SELECT COUNT(*) FROM " + TIMER_TABLE);
    }

    /** The schedule's row: the only calendar timer (its second field is the schedule's). */
    private String scheduleTimerId() {
        var rows = database.query("SELECT id FROM " + TIMER_TABLE + " WHERE schedule_expr_second = '*/2'");
        assertEquals(1, rows.size(), "rows of the schedule in the timer table: " + rows);
        return rows.get(0).get(0);
    }

    private static java.net.URI timers(String path) {
        return java.net.URI.create("http://127.0.0.1:" + WildFlyServer.HTTP_PORT + "/timers" + path);
    }
}
