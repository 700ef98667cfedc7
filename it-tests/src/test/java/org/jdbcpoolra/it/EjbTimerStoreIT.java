package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Deployments;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.TestEnvironment;
import org.jdbcpoolra.it.timers.PoolTimers;
import org.jdbcpoolra.it.timers.TimersApplication;
import org.jdbcpoolra.it.timers.TimersResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A client of the pool that we did not write: the server's EJB timer service, its persistent store on the pool
 * (src-deploy's ejb-timers script: WildFly's database-data-store at java:/jdbc/Pool, Payara's timer datasource
 * jdbc/Pool). Its own behaviour is the proof: the timers are rows in its table in the database, a schedule fires
 * (each expiry writes through the pool in the timeout's transaction), and after the server is killed and started
 * again the same schedule goes on under the same id and a single-action timer created before the crash fires after
 * it, which only the store can bring back.
 */
@Tag("clients")
class EjbTimerStoreIT extends PoolScenario {
    @Test
    @DisplayName("The server's persistent EJB timers live in the database behind the pool, fire, and survive a crash")
    void persistentTimersLiveInThePoolsDatabaseAndSurviveACrash() throws Exception {
        installTimers();
        String schedule = "it-schedule-every-2s";
        Await.value("schedule firings seen (at least 2)", () -> Math.min(2, database.rowsTagged(schedule)), 2,
                Duration.ofSeconds(60));
        String scheduleId = scheduleTimerId();
        String once = "it-once-" + System.nanoTime();
        assertEquals(200, Http.post(timers("/timers/once?tag=" + once + "&millis=30000"), "").status());
        assertEquals(2, timerRows(), "timers in the server's table in the pool's database (schedule and one-off)");
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
        server.storeTimersElsewhere("timers.war");
        database.execute("DELETE FROM " + facts.timerTable());
    }

    private void installTimers() throws IOException {
        Path war = TestEnvironment.work().resolve("timers.war");
        ShrinkWrap.create(WebArchive.class, "timers.war")
                .addClasses(PoolTimers.class, TimersResource.class, TimersApplication.class)
                .addAsResource(new StringAsset("jndi=" + facts.jndiName() + "\n"), "timers.properties")
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        server.storeTimersInPool(database, war);
        Http.awaitDeployed(timers("/timers/once"));
    }

    private int timerRows() {
        return database.queryInt("SELECT COUNT(*) FROM " + facts.timerTable());
    }

    /** The schedule's row: the only calendar timer firing every 2 s. */
    private String scheduleTimerId() {
        var rows = database.query(facts.scheduleTimerQuery());
        assertEquals(1, rows.size(), "rows of the schedule in the timer table: " + rows + "; all: "
                + database.query("SELECT * FROM " + facts.timerTable()));
        return rows.get(0).get(0);
    }

    private URI timers(String path) {
        return URI.create("http://127.0.0.1:" + facts.httpPort() + "/timers" + path);
    }
}
