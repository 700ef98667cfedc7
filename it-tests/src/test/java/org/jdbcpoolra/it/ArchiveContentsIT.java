package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.jdbcpoolra.it.support.TestEnvironment;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shipped archives hold what the README promises, and nothing server-specific. */
@Tag("machinery")
class ArchiveContentsIT {

    private static List<String> entries(String archive) throws IOException {
        try (ZipFile zip = new ZipFile(TestEnvironment.archive(archive).toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        }
    }

    @Test
    @DisplayName("The RAR holds our classes jar and H2, and no server-specific descriptor")
    void rarIsServerNeutralAndSelfContained() throws IOException {
        List<String> rar = entries("jdbc-pool-ra.rar");
        assertTrue(rar.contains("jdbc-pool-ra.jar"), rar.toString());
        assertTrue(rar.stream().anyMatch(e -> e.matches("h2-[\\d.]+\\.jar")), rar.toString());
        assertTrue(rar.stream().noneMatch(e -> e.contains("ironjacamar") || e.contains("glassfish")
                || e.contains("jboss") || e.endsWith("ra.xml")), rar.toString());
    }

    @Test
    @DisplayName("The EAR holds the RAR under a stable name, the EJB and the web front, and no stray libraries")
    void earHoldsRarEjbAndWeb() throws IOException {
        List<String> ear = entries("jdbc-pool-example.ear");
        assertTrue(ear.contains("jdbc-pool-ra.rar"), ear.toString());
        assertTrue(ear.contains("jdbc-pool-example-ejb.jar"), ear.toString());
        assertTrue(ear.contains("jdbc-pool-example-web.war"), ear.toString());
        assertEquals(List.of(), ear.stream().filter(e -> e.startsWith("lib/")).toList());
    }
}
