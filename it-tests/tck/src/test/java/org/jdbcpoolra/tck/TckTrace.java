package org.jdbcpoolra.tck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The root cause of each failing test, from the TCK's own trace in a test class's failsafe output file
 * (&lt;class&gt;-output.txt). The failsafe report has only the TCK's message, which names the call that failed
 * ("Call to setObject is Failed!") whatever the driver said; the trace has the exception the test threw, logged by
 * the vehicle as {@code SVR-ERROR: java.lang.Exception: Call to setObject is Failed!} with its stack and causes
 * ({@code Caused by: java.sql.SQLSyntaxErrorException: (conn=15) Could not convert [9999999999] to -1}).
 * <p>
 * Where such a record lands in the file says nothing about its test: the vehicle's records, the test JVM's own lines
 * and the server's console reach the file by different paths, and a failing test's stack was seen after the next
 * test's first record, and a piece of a console line inside a stack. So a record is given to the test whose method
 * its stack passes through ({@code .testSetObject83(}), and runs to a blank line, the vehicle's next record or a
 * console line of its own, stray pieces skipped.
 */
final class TckTrace {
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");
    /** The exception a TCK test throws: its own java.lang.Exception, wrapping what it caught. */
    private static final Pattern THROWN = Pattern.compile("\\d{2}-\\d{2}-\\d{4} \\d{2}:\\d{2}:\\d{2}:  SVR-ERROR: "
            + "java\\.lang\\.Exception: ");
    /** Another record of the vehicle, or a line of the server's console: either ends a record. */
    private static final Pattern NEXT = Pattern.compile("^(?:\\d{2}-\\d{2}-\\d{4} \\d{2}:\\d{2}:\\d{2}:  SVR"
            + "|\\d{2}:\\d{2}:\\d{2},\\d{3} [A-Z]+ )");
    private static final Pattern FRAME = Pattern.compile("^\\s+at .*\\.(test\\w*)\\(");
    private static final Pattern CAUSE = Pattern.compile("^Caused by: ([\\w.$]+)(?:: (.*))?$");

    private TckTrace() {
    }

    /**
     * Test method to the class and message of the deepest cause of the exception it threw, for each test whose
     * trace has one that is not the TCK's own wrapper (java.lang.Exception); none when the file is missing.
     */
    static Map<String, String> rootCauses(Path output) throws IOException {
        Map<String, String> causes = new HashMap<>();
        if (!Files.isRegularFile(output)) {
            return causes;
        }
        String test = null;
        String cause = null;
        boolean inRecord = false;
        // A cause's message may go on over indented lines (PostgreSQL's "Detail:") until the stack resumes.
        boolean inCause = false;
        // ISO-8859-1 reads any byte: a report is never refused for its encoding, and both sides read alike.
        for (String raw : Files.readAllLines(output, StandardCharsets.ISO_8859_1)) {
            String line = ANSI.matcher(raw).replaceAll("");
            if (THROWN.matcher(line).find()) {
                put(causes, test, cause);
                test = null;
                cause = null;
                inRecord = true;
                inCause = false;
                continue;
            }
            if (!inRecord) {
                continue;
            }
            Matcher frame = FRAME.matcher(line);
            Matcher caused = CAUSE.matcher(line);
            if (frame.find()) {
                test = test == null ? frame.group(1) : test;
                inCause = false;
            } else if (caused.matches()) {
                // The TCK's own wrappers (java.lang.Exception) carry its message, which the report has already.
                inCause = !caused.group(1).equals("java.lang.Exception");
                cause = inCause ? caused.group(1) + (caused.group(2) == null ? "" : ": " + caused.group(2)) : cause;
            } else if (line.isBlank() || NEXT.matcher(line).find()) {
                put(causes, test, cause);
                test = null;
                cause = null;
                inRecord = false;
                inCause = false;
            } else if (inCause && line.startsWith(" ")) {
                // The next line of a message (PostgreSQL's "  Detail: ..."); a stack line starts with a tab.
                cause += " " + line;
            } else {
                // A stack line, or a piece of the console's that landed inside the record (seen: "al//org.jboss...").
                inCause = false;
            }
        }
        put(causes, test, cause);
        return causes;
    }

    private static void put(Map<String, String> causes, String test, String cause) {
        if (test != null && cause != null) {
            causes.put(test, cause);
        }
    }
}
