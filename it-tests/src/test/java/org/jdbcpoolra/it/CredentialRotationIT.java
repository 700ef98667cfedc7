package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.Probe;
import org.jdbcpoolra.it.support.TestDatabase;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pool signs on with a password file (as a mounted secret), and its connections live 3 s: the password is
 * changed in the database and in the file under steady load, as an operator rotates it.
 */
@PoolSettings.Use({"Password=", "PasswordFile={passwordFile}", "MaxLifetime=3"})
@Tag("adds")
class CredentialRotationIT extends PoolScenario {
    private static final int BORROWERS = 4;
    private static final long LIFETIME_MILLIS = 3000;

    record Borrow(long atNanos, boolean ok, String session, String body) {
    }

    @Test
    @DisplayName("Password rotated under load, the file a lifetime after the database: no borrow fails, later "
            + "sessions are new, no secret logged")
    void rotationUnderLoad() throws Exception {
        String rotated = "rotated-Secret-" + System.nanoTime() % 100_000;
        Path file = database.passwordFile();
        CompletableFuture<List<Probe.Timed>> load = CompletableFuture.supplyAsync(() -> {
            try {
                return Probe.steadyLoad(BORROWERS, 6 * LIFETIME_MILLIS, () -> Http.get(Http.probe("/probe/session")));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long changedAt;
        long rotatedAt;
        List<Borrow> all;
        try {
            Http.sleep(LIFETIME_MILLIS);
            // As an operator would: the database first, the secret after it, here a whole lifetime later (a mounted
            // secret takes its time to reach the server). Every connection retires in that window and its renewal
            // is refused (the old password), so it serves on; the file's change lifts the back-off at once.
            changedAt = System.nanoTime();
            database.changePassword(rotated);
            Http.sleep(LIFETIME_MILLIS);
            Files.writeString(file, rotated + "\n");
            rotatedAt = System.nanoTime();
            all = load.get().stream().map(t -> new Borrow(t.atNanos(), t.reply().ok(),
                    t.reply().ok() ? t.reply().body().trim() : "", t.reply().body())).toList();
        } finally {
            database.changePassword(TestDatabase.POOL_PASSWORD);
            Files.writeString(file, TestDatabase.POOL_PASSWORD + "\n");
        }

        List<String> failed = all.stream().filter(b -> !b.ok()).map(Borrow::body).toList();
        Set<String> before = new TreeSet<>();
        Set<String> late = new TreeSet<>();
        for (Borrow b : all) {
            if (b.ok() && b.atNanos() < changedAt) {
                before.add(b.session());
            } else if (b.ok() && b.atNanos() > rotatedAt + 2 * LIFETIME_MILLIS * 1_000_000) {
                late.add(b.session());
            }
        }
        System.out.println(facts.name() + "/" + database.name() + ": " + all.size() + " borrows, " + failed.size()
                + " failed " + failed + "; sessions before the rotation " + before + ", two lifetimes after " + late);
        assertEquals(List.of(), failed, "borrows that failed during the rotation");
        assertTrue(!late.isEmpty(), "no borrow two lifetimes after the rotation");
        late.retainAll(before);
        assertEquals(Set.of(), late, "sessions opened with the old password still served two lifetimes later");
        List<String> leaked = Files.readAllLines(facts.serverLog()).stream()
                .filter(line -> line.contains(rotated) || line.contains(TestDatabase.POOL_PASSWORD)).toList();
        assertEquals(List.of(), leaked, "server log lines with a password");
    }
}
