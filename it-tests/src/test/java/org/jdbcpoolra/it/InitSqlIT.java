package org.jdbcpoolra.it;

import static org.jdbcpoolra.it.support.ServerControl.MAX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import org.jdbcpoolra.it.support.Await;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.PostgresDatabase;
import org.jdbcpoolra.it.support.Probe;
import org.jdbcpoolra.it.support.TestDatabase;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * InitSql: two statements, one leaving a row tagged with the session's id (how often it ran, counted in the
 * database), one setting something of the session's own (PostgreSQL: application_name, seen in pg_stat_activity).
 */
@PoolSettings.Use("InitSql={initRow}; {sessionSetting}")
@Tag("adds")
class InitSqlIT extends PoolScenario {

    @Test
    @DisplayName("Every physical connection ran InitSql once, not once per borrow, and every borrower sees its setting")
    void everyConnectionRanItOnce() throws Exception {
        Probe.grow(MAX);
        Await.value("pool sessions", database::poolSessions, MAX, Duration.ofSeconds(10));

        Map<String, Integer> runsBefore = runsPerSession(30);
        assertTrue(runsBefore.size() >= 1, "no session served: " + runsBefore);
        runsBefore.forEach((session, runs) -> assertEquals(1, runs, "times session " + session + " ran InitSql"));
        Map<String, Integer> runsAfter = runsPerSession(30);
        runsBefore.forEach((session, runs) -> assertEquals(runs, runsAfter.getOrDefault(session, runs),
                "InitSql ran again on session " + session + " when it was borrowed"));

        if (database instanceof PostgresDatabase postgres) {
            assertEquals(Map.of("pool-init-sql", database.poolSessions()), postgres.poolSessionsByApplicationName(),
                    "pg_stat_activity: the application_name of every pool session");
        }
    }

    @Test
    @DisplayName("A borrower's changes are reset on return, and the reset leaves what InitSql set")
    void resetLeavesWhatInitSqlSet() {
        for (int i = 0; i < 10; i++) {
            Reply dirty = Http.post(Http.probe("/probe/dirty?tag=init-sql-dirty-" + System.nanoTime()), "");
            assertEquals(200, dirty.status(), dirty.body());
        }
        runsPerSession(20);
    }

    /**
     * {@code borrows} borrowers read the session setting back (each must see it); returns the sessions they got,
     * with how many init rows each has in the database.
     */
    private Map<String, Integer> runsPerSession(int borrows) {
        Map<String, Integer> runs = new TreeMap<>();
        for (int i = 0; i < borrows; i++) {
            Reply reply = Http.get(Http.probe("/probe/value?sql="
                    + URLEncoder.encode(database.sessionSettingQuery(), StandardCharsets.UTF_8)));
            assertEquals(200, reply.status(), reply.body());
            String[] sessionAndValue = reply.body().split("\\|", 2);
            assertEquals("pool-init-sql", sessionAndValue[1], "the setting seen by a borrower of session "
                    + sessionAndValue[0]);
            runs.put(sessionAndValue[0], database.rowsTagged(TestDatabase.INIT_ROW_PREFIX + sessionAndValue[0]));
        }
        return runs;
    }
}
