package org.jdbcpoolra.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that goes to logs or error messages: URLs may carry a password of their own, in a
 * parameter ({@code password=...}, {@code password={a;b}}), in user info ({@code //user:pw@host}, where the password
 * may hold '/' or '@') or in Oracle's {@code user/pw@host}. When in doubt it masks more: a host hidden in a log line
 * costs less than a password shown in one.
 */
public final class Redaction {
    private static final Pattern PASSWORD_PARAM =
            Pattern.compile("(?i)((?:password|passwd|pwd|pass)\\s*=\\s*)(?:\\{[^}]*}?|[^;&,)\\s]*)");
    /** User info up to the last '@' before the query or the parameters begin. */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@?;]*:)[^?;]*@");
    /** Oracle's thin and OCI forms: jdbc:oracle:thin:user/password@host, up to the last '@'. */
    private static final Pattern ORACLE = Pattern.compile("(?i)(jdbc:oracle:[a-z0-9]+:)([^/@:;\\s]*)/.*@");
    /** A secret this short would be found by the pattern of its masked occurrences inside words. */
    private static final int SHORT_SECRET = 6;

    private Redaction() {
    }

    public static String url(String url) {
        if (url == null) {
            return null;
        }
        String masked = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
        masked = ORACLE.matcher(masked).replaceAll("$1$2/***@");
        return USER_INFO.matcher(masked).replaceAll("$1***@");
    }

    /**
     * A driver's message as it may be shown: the password removed wherever it stands, and any URL it quotes
     * masked like {@link #url} (a password parameter or user info of its own).
     */
    public static String message(String text, String password) {
        return url(text(text, password));
    }

    /**
     * Removes every occurrence of the secret, for messages that come from a driver and may quote it. A short secret
     * is removed only where it stands alone: masking it inside every word would spell it out.
     */
    public static String text(String text, String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        if (secret.length() >= SHORT_SECRET) {
            return text.replace(secret, "***");
        }
        return Pattern.compile("(?<![\\p{Alnum}])" + Pattern.quote(secret) + "(?![\\p{Alnum}])").matcher(text)
                .replaceAll(Matcher.quoteReplacement("***"));
    }
}
