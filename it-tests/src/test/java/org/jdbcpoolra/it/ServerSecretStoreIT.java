package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;

import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.PoolSettings;
import org.jdbcpoolra.it.support.Probe;
import org.jdbcpoolra.it.support.ServerControl;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pool's password kept in the server's own secret store, set up with src-deploy's script as README shows an
 * operator (WildFly: an encrypted expression from an Elytron credential store; Payara: a password alias): the pool
 * signs on with it, and neither the server's configuration nor its log holds the password.
 */
@PoolSettings.Use({"Password=" + ServerControl.STORED_SECRET})
@Tag("adds")
class ServerSecretStoreIT extends PoolScenario {

    @Test
    @DisplayName("The pool signs on with the password the server keeps in its secret store")
    void signsOnWithTheStoredPassword() {
        Reply reply = Probe.query("SELECT 1");

        assertTrue(reply.ok(), reply.body());
        assertTrue(database.poolSessions() >= 1, "sessions of the pool's user: " + database.poolSessions());
    }

    @Test
    @DisplayName("The server's configuration holds a reference to the secret and no log line holds the password")
    void configurationHoldsOnlyTheReference() throws Exception {
        String configured = server.configuredProperty("Password");

        // WildFly and Payara: an expression naming the stored secret; Liberty: the value securityUtility encoded.
        assertTrue((configured.startsWith("${") || configured.startsWith("{aes}"))
                && !configured.contains(database.password()), configured);
        System.out.println(facts.name() + "/" + database.name() + ": Password is configured as " + configured);
        // H2's password (sa) is in too many words of a log to look for.
        if (database.password().length() >= 8) {
            List<String> leaked = Files.readAllLines(facts.serverLog()).stream()
                    .filter(line -> line.contains(database.password())).toList();
            assertEquals(List.of(), leaked, "server log lines with the password");
        }
    }
}
