package org.jdbcpoolra.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.jdbcpoolra.tck.TckSummary.Comparison;

/** The gate's comparison of a run through our pool with its baseline, and the signatures it compares. */
@DisplayName("TCK baseline comparison")
class BaselineComparisonTest {
    private static final String BATCH = "batchUpdateClientServlet#testExecuteBatch03";
    private static final String FAILED = "java.lang.Exception: Test case throws exception: Call to executeBatch is"
            + " Failed!";

    @Test
    @DisplayName("a test the baseline fails the same way is masked")
    void sameFailureIsMasked() {
        Comparison comparison = Comparison.of(map(BATCH, FAILED), map(BATCH, FAILED), Set.of(BATCH));
        assertEquals(List.of(), comparison.problems("postgresql-pool"));
    }

    @Test
    @DisplayName("a test the baseline masks but that fails another way here fails the gate, naming both failures")
    void maskedTestFailingDifferentlyFailsTheGate() {
        String ours = "java.sql.SQLException: Connection is closed";
        Comparison comparison = Comparison.of(map(BATCH, FAILED), map(BATCH, ours), Set.of(BATCH));
        assertEquals(List.of("postgresql-pool: " + BATCH + " fails differently through our pool than through the"
                + " baseline: baseline \"" + FAILED + "\", ours \"" + ours + "\""),
                comparison.problems("postgresql-pool"));
    }

    @Test
    @DisplayName("a test failing through our pool only fails the gate")
    void failureOnlyHereFailsTheGate() {
        Comparison comparison = Comparison.of(new TreeMap<>(), map(BATCH, FAILED), Set.of(BATCH));
        assertEquals(List.of("mariadb-pool: 1 failing through our pool only: [" + BATCH + "]"),
                comparison.problems("mariadb-pool"));
    }

    @Test
    @DisplayName("a recorded line with the id alone masks the test by id, and is counted as such")
    void idWithoutSignatureIsMaskedById() {
        SortedMap<String, String> baseline = TckSummary.parse(List.of("# header: 1231 executed.", BATCH, ""));
        Comparison comparison = Comparison.of(baseline, map(BATCH, "anything at all"), Set.of(BATCH));
        assertEquals(List.of(), comparison.problems("postgresql-pool"));
        assertEquals(Set.of(BATCH), comparison.maskedById());
    }

    @Test
    @DisplayName("a recorded line is the id, a tab and the signature")
    void recordedLineParses() {
        assertEquals(map(BATCH, FAILED), TckSummary.parse(List.of("# header", BATCH + "\t" + FAILED)));
    }

    @ParameterizedTest
    @DisplayName("what varies from run to run is stripped")
    @CsvSource(delimiter = '|', value = {
            "handle org.jdbcpoolra.handle.ConnectionHandle@1b2c3d4e is closed"
                    + " | handle org.jdbcpoolra.handle.ConnectionHandle@<hash> is closed",
            "(conn=1234) Unknown column 'x' | (conn=<id>) Unknown column 'x'",
            "at 2026-12-07 18:58:24.123 | at <time>",
            "12-07-2026 18:58:24: failed | <time>: failed",
            "Connection to 127.0.0.1:5432 refused | Connection to <host> refused",
            "Connection to localhost:3307 refused | Connection to <host> refused",
            "xid 0f8fad5b-d9cb-469f-a165-70867728950e | xid <uuid>"})
    void varyingPartsAreStripped(String message, String expected) {
        assertEquals("java.lang.Exception: " + expected, FailureSignature.of("java.lang.Exception", message));
    }

    @Test
    @DisplayName("a message of several lines becomes one, without tabs: the recorded list's format")
    void signatureIsOneLine() {
        assertEquals("java.sql.BatchUpdateException: ERROR: duplicate key Detail: Key (key_id)=(9) already exists.",
                FailureSignature.of("java.sql.BatchUpdateException",
                        "ERROR: duplicate key\r\n  Detail:\tKey (key_id)=(9) already exists.\n"));
    }

    @ParameterizedTest
    @DisplayName("the TCK's own values, which tell one failure from another, are kept")
    @CsvSource(delimiter = '|', value = {
            "getTimestamp returned 1999-12-31 12:59:59.0 instead of 1999-12-31 12:59:58.0",
            "Call to getInt is Failed! expected 127 got 0",
            "ERROR: value too long for type character varying(5) SQLState 22001"})
    void tckValuesAreKept(String message) {
        assertTrue(FailureSignature.of("java.lang.Exception", message).endsWith(message));
    }

    @Test
    @DisplayName("the root cause is the failing test's, wherever the TCK's trace printed it")
    void rootCauseBelongsToTheTestOnItsStack(@TempDir Path reports) throws IOException {
        Path output = reports.resolve("com.sun.ts.tests.jdbc.ee.callStmt.callStmt17.callStmtClient17Servlet"
                + "-output.txt");
        Files.writeString(output, String.join("\n",
                "12-07-2026 19:06:09:  SVR-TRACE: ** IN getRunMethod: testname=testSetObject187",
                "12-07-2026 19:06:09:  SVR-ERROR: Test case throws exception: Call to setObject is Failed!",
                "12-07-2026 19:06:09:  SVR-ERROR: Exception at:  ",
                "\u001b[0m12-07-2026 19:06:09:  Test status from a servlet:  1:Test case throws exception: Call to"
                        + " setObject is Failed!",
                "12-07-2026 19:06:09:  SVR-TRACE: ** IN getRunMethod: testname=testSetObject188",
                "\u001b[0m19:06:09,831 INFO  [stdout] 12-07-2026 19:06:09:  SVR-ERROR: java.lang.Exception: Call to"
                        + " setObject is Failed!",
                "\tat deployment.callStmt17_servlet_vehicle_web.war//com.sun.ts.tests.jdbc.ee.common.JDBCTestMsg"
                        + ".printSQLError(JDBCTestMsg.java:123)",
                "\tat deployment.callStmt17_servlet_vehicle_web.war//com.sun.ts.tests.jdbc.ee.callStmt.callStmt17"
                        + ".callStmtClient17.testSetObject187(callStmtClient17.java:337)",
                "\u001b[0mal//org.jboss.as.ejb3.component.interceptors.LoggingInterceptor.processInvocation(x.java:50)",
                "Caused by: java.sql.SQLSyntaxErrorException: (conn=15) Could not convert [3.4028235E37] to -1",
                "  Detail: a second line",
                "\tat org.mariadb.jdbc.BasePreparedStatement.setObject(BasePreparedStatement.java:610)",
                "\t... 55 more",
                "",
                "(default task-2) ran test",
                "12-07-2026 19:06:09:  SVR-ERROR: java.sql.SQLException: expected by testSetObject188, which passes",
                "\tat com.sun.ts.tests.jdbc.ee.callStmt.callStmt17.callStmtClient17.testSetObject188(x.java:1)",
                "Caused by: java.sql.SQLException: not a failure",
                "12-07-2026 19:06:10:  SVR-ERROR: java.lang.Exception: Call to setObject is Failed!",
                "\tat com.sun.ts.tests.jdbc.ee.callStmt.callStmt17.callStmtClient17.testSetObject189(x.java:2)",
                "Caused by: java.lang.Exception: Call to setObject is Failed!", ""));
        assertEquals(Map.of("testSetObject187", "java.sql.SQLSyntaxErrorException: (conn=15) Could not convert"
                + " [3.4028235E37] to -1   Detail: a second line"), TckTrace.rootCauses(output));
        assertEquals(Map.of(), TckTrace.rootCauses(reports.resolve("missing-output.txt")));
    }

    @Test
    @DisplayName("the same message with another root cause is another failure")
    void rootCauseIsPartOfTheSignature() {
        String message = "Test case throws exception: Call to setObject is Failed!";
        assertEquals("java.lang.Exception: " + message + " | root cause: java.sql.SQLSyntaxErrorException:"
                + " (conn=<id>) Could not convert [1E-10] to -1", FailureSignature.of("java.lang.Exception", message,
                "java.sql.SQLSyntaxErrorException: (conn=15) Could not convert [1E-10] to -1"));
        assertEquals(FailureSignature.of("java.lang.Exception", message),
                FailureSignature.of("java.lang.Exception", message, null));
    }

    private static SortedMap<String, String> map(String id, String signature) {
        SortedMap<String, String> map = new TreeMap<>();
        map.put(id, signature);
        return map;
    }
}
