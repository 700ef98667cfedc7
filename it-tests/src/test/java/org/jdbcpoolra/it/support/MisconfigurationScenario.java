package org.jdbcpoolra.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import org.jdbcpoolra.it.support.Http.Reply;

/**
 * Mistakes a deployer makes, each applied with src-deploy's scripts as a second pool (the RAR deployed alone) beside
 * the healthy one; what the deployer sees must name the property or the cause and never carry the password, and
 * neither may any line the server logged meanwhile.
 */
public abstract class MisconfigurationScenario extends PoolScenario {

    /** The passwords the scenario gave its pools: none may reach the server log. */
    protected List<String> secrets() {
        return List.of(database.password());
    }

    /**
     * What the deployer sees: the scripts' refusal, or else the first borrower's error (the second pool is then
     * removed again), with the server log's new lines where the server keeps the adapter's error there. It never
     * holds the password the pool was given.
     */
    protected String errorSeen(PoolSettings settings) {
        long logLinesBefore = logLines().size();
        String refused = server.configureStandalone(settings);
        String seen;
        if (refused != null) {
            seen = refused;
        } else {
            try {
                Reply reply = Http.post(Http.probe("/probe/borrow?name="
                        + URLEncoder.encode(facts.standaloneJndiName(), StandardCharsets.UTF_8)), "");
                assertEquals(503, reply.status(), "a borrower of a badly configured pool was served: " + reply.body());
                seen = reply.body();
                if (!facts.borrowerSeesConfigErrors()) {
                    seen += "\n" + String.join("\n", logLines().stream().skip(logLinesBefore).toList());
                }
            } finally {
                server.removeStandalone();
            }
        }
        System.out.println(facts.name() + "/" + database.name() + " " + settings.values() + " ->\n" + seen);
        assertFalse(!settings.password().isEmpty() && seen.contains(settings.password()),
                "the error shows the password:\n" + seen);
        List<String> logged = logLines().stream().skip(logLinesBefore).toList();
        assertEquals(List.of(), logged.stream().filter(line -> secrets().stream().anyMatch(line::contains)).toList(),
                "server log lines with a password");
        return seen;
    }

    private List<String> logLines() {
        try {
            return Files.readAllLines(facts.serverLog());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the server log", e);
        }
    }
}
