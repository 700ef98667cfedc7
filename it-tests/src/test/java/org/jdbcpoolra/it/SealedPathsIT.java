package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.Http.Reply;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.SharedPool;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a borrower gets from the driver beyond statements and result sets (a large object, an array, a PostgreSQL
 * refcursor's result set) is our handle and ends with the borrow: kept past it and used while the next borrower
 * holds the same session, it fails with SQLState 08003 and never reaches that session, which goes on working.
 */
@SharedPool
@Tag("driver")
class SealedPathsIT extends PoolScenario {

    @Test
    @DisplayName("LOBs, arrays and refcursors kept past the borrow fail cleanly while the next borrower holds the "
            + "same session")
    void driverObjectsEndWithTheBorrow() {
        List<String> wrong = new ArrayList<>();
        for (List<String> object : database.driverObjects()) {
            String kind = object.get(0);
            Reply kept = Http.post(Http.probe("/probe/keep?kind=" + kind + "&setup="
                    + URLEncoder.encode(object.get(1), StandardCharsets.UTF_8) + "&sql="
                    + URLEncoder.encode(object.get(2), StandardCharsets.UTF_8)), "");
            if (!kept.ok()) {
                wrong.add(kind + ": the borrower could not get it: " + kept.body());
                continue;
            }
            // session|class|what using it during the borrow gave
            String[] parts = kept.body().split("\\|", 3);
            Reply later = Http.get(Http.probe("/probe/keep?session=" + parts[0]));
            System.out.println(facts.name() + "/" + database.name() + " " + kind + ": " + parts[1] + ", used during "
                    + "the borrow: " + parts[2] + "; used later: " + later.body().replace('\n', ' '));
            if (!parts[1].startsWith("org.jdbcpoolra.handle.")) {
                wrong.add(kind + ": the application got the driver's " + parts[1]);
            }
            String expected = "org.jdbcpoolra.handle.ClosedHandleException|08003|";
            if (!later.ok() || !later.body().startsWith(expected) || !later.body().endsWith("\nholder:1")) {
                wrong.add(kind + ": after the borrow: " + later.body());
            }
        }
        assertTrue(!database.driverObjects().isEmpty());
        assertEquals(List.of(), wrong);
    }
}
