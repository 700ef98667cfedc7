package org.jdbcpoolra.config;

import java.util.regex.Pattern;

/** Removes secrets from text that goes to logs or error messages: URLs may carry a password of their own. */
public final class Redaction {
    private static final Pattern PASSWORD_PARAM =
            Pattern.compile("(?i)((?:password|passwd|pwd|pass)\\s*=\\s*)[^;&,)\\s]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/:@?;]*:)[^@/]*@");

    private Redaction() {
    }

    public static String url(String url) {
        if (url == null) {
            return null;
        }
        String masked = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
        return USER_INFO.matcher(masked).replaceAll("$1***@");
    }

    /**
     * A driver's message as it may be shown: the password removed wherever it stands, and any URL it quotes
     * masked like {@link #url} (a password parameter or user info of its own).
     */
    public static String message(String text, String password) {
        return url(text(text, password));
    }

    /** Removes every occurrence of the secret, for messages that come from a driver and may quote it. */
    public static String text(String text, String secret) {
        if (text == null || secret == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, "***");
    }
}
