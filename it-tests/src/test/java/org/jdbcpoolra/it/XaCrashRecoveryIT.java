package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jdbcpoolra.it.support.Deployments;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.TestDatabase;
import org.jdbcpoolra.it.support.TestEnvironment;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The server dies in the middle of a two-phase commit: every branch is prepared, the commit decision is in the
 * transaction log, and the process is killed before the databases are told. After a restart the transaction
 * manager's recovery, reaching the databases through our adapter's XA connection definitions, finishes the commit:
 * both rows are there and no prepared branch is left in either database.
 */
@PoolSettings.Use("xa=postgresql,mariadb")
@Deployments.Uses(Deployments.Probe.XA)
@Tag("xa")
class XaCrashRecoveryIT extends PoolScenario {
    private final TestDatabase first = TestDatabase.named("postgresql");
    private final TestDatabase second = TestDatabase.named("mariadb");


    @Test
    @DisplayName("Killed between prepare and commit: after a restart recovery commits both branches, none left "
            + "prepared")
    void recoveryCompletesTheCommitAfterACrash() throws Exception {
        // The crash comes from a resource the probe enlists beside the two branches; Liberty lets no application do so.
        assumeTrue(facts.transactionManagerName() != null, facts.name() + " lets no application enlist a resource");
        String tag = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        Path marker = Files.createDirectories(TestEnvironment.work()).resolve("halt-" + tag);
        Files.writeString(marker, "halt once");

        CompletableFuture<Reply> call = Http.postAsync(Http.probe("/xa/crash?tag=" + tag + "&marker=" + marker));
        Throwable outcome = call.handle((reply, failure) -> failure != null ? failure
                : new AssertionError("the server answered instead of dying: " + reply.body()))
                .get(60, TimeUnit.SECONDS);
        System.out.println("the crashing call ended with " + outcome);
        assertFalse(Files.exists(marker), "the halting resource was never asked to commit");

        int preparedFirst = first.preparedBranches();
        int preparedSecond = second.preparedBranches();
        System.out.println("after the crash: prepared branches PostgreSQL " + preparedFirst + ", MariaDB "
                + preparedSecond + "; rows " + first.rowsTagged(tag) + " / " + second.rowsTagged(tag));
        // The halting participant was enlisted first and is committed first: both database branches are left
        // prepared, nothing committed yet, so recovery has all the work to do.
        assertEquals(1, preparedFirst, "prepared branches in PostgreSQL after the crash");
        assertEquals(1, preparedSecond, "prepared branches in MariaDB after the crash");
        assertEquals(0, first.rowsTagged(tag) + second.rowsTagged(tag), "rows committed before recovery");

        long restartedAt = System.nanoTime();
        server.crashAndRestart(Deployments.xaProbe());
        long deadline = restartedAt + Duration.ofMinutes(5).toNanos();
        while ((first.rowsTagged(tag) != 1 || second.rowsTagged(tag) != 1 || first.preparedBranches() != 0
                || second.preparedBranches() != 0) && System.nanoTime() < deadline) {
            Http.sleep(1000);
        }
        System.out.println("recovery finished " + (System.nanoTime() - restartedAt) / 1_000_000
                + " ms after the restart began");
        assertEquals(1, first.rowsTagged(tag), "the PostgreSQL row");
        assertEquals(1, second.rowsTagged(tag), "the MariaDB row");
        assertEquals(0, first.preparedBranches(), "prepared branches left in PostgreSQL");
        assertEquals(0, second.preparedBranches(), "prepared branches left in MariaDB");
    }
}
