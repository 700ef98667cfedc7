package org.jdbcpoolra.tck;

import java.util.List;
import java.util.regex.Pattern;

/**
 * How a TCK test failed, as one line that two runs can compare: the failure's type and message from the failsafe
 * report ({@code java.lang.Exception: Test case throws exception: Call to executeBatch is Failed!}) and the root
 * cause from the TCK's trace where it logged one, with what differs from run to run replaced by a placeholder.
 * A test the baseline also fails is masked only while it fails the same way, so a rule here must strip only what
 * cannot tell two failures apart; one that strips more (test data, expected and actual values, SQLStates) would
 * mask a failure of ours behind the baseline's.
 */
final class FailureSignature {
    private record Rule(Pattern pattern, String replacement) {
    }

    private static final List<Rule> RULES = List.of(
            // Object.toString() of a connection, statement or result set, a class loader's name: the identity hash
            // differs in every JVM.
            new Rule(Pattern.compile("(?<=[\\w$])@[0-9a-f]{1,8}\\b"), "@<hash>"),
            // MariaDB Connector/J prefixes its messages with the server's thread id, (conn=1234): a new one for each
            // physical connection, so it depends on how many connections the run (or the pool) opened before (the
            // same 25 setObject failures: conn=15 through our pool, conn=16 through the baseline).
            new Rule(Pattern.compile("\\(conn=\\d+\\)"), "(conn=<id>)"),
            // Dates and times of the moment the test ran (a log prefix, a Timestamp of now). The TCK's own fixed
            // values (1999-12-31 12:59:59) are kept: only this year's or a later one is the clock's.
            new Rule(Pattern.compile("\\b20[2-9]\\d-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d+)?"
                    + "(?:Z|[+-]\\d{2}:?\\d{2})?"), "<time>"),
            new Rule(Pattern.compile("\\b\\d{2}-\\d{2}-20[2-9]\\d \\d{2}:\\d{2}:\\d{2}"), "<time>"),
            // Where the server and the database listen: the machine's address and the ports differ between CI's
            // lanes, port offsets and machines, and do not say how a test failed.
            new Rule(Pattern.compile("\\b(?:localhost|(?:\\d{1,3}\\.){3}\\d{1,3})(?::\\d{1,5})?\\b"), "<host>"),
            // Generated ids (a UUID naming a deployment, an XA branch, a temporary object).
            new Rule(Pattern.compile("\\b\\p{XDigit}{8}(?:-\\p{XDigit}{4}){3}-\\p{XDigit}{12}\\b"), "<uuid>"),
            // Line breaks, tabs and runs of blanks: a driver's message can span lines (PostgreSQL's "Detail:"), the
            // baseline file keeps one test a line with a tab after the id, and reports differ in line endings.
            new Rule(Pattern.compile("\\s+"), " "));

    private FailureSignature() {
    }

    /** The signature of a failure of this type (the exception's class) and message; either may be empty. */
    static String of(String type, String message) {
        return of(type, message, null);
    }

    /**
     * The same, followed by the root cause the TCK's trace logged for it ({@link TckTrace}), when there is one:
     * {@code java.lang.Exception: Test case throws exception: Call to setObject is Failed! | root cause:
     * java.sql.SQLSyntaxErrorException: (conn=<id>) Could not convert [9999999999] to -1}.
     */
    static String of(String type, String message, String rootCause) {
        String signature = type.isEmpty() ? message : message.isEmpty() ? type : type + ": " + message;
        if (rootCause != null && !rootCause.isBlank()) {
            signature += " | root cause: " + rootCause;
        }
        for (Rule rule : RULES) {
            signature = rule.pattern().matcher(signature).replaceAll(rule.replacement());
        }
        return signature.trim();
    }
}
