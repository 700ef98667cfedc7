package org.jdbcpoolra.outbound;

import org.jdbcpoolra.config.PoolProperty;

/**
 * After a login got no answer within LoginTimeout, new logins fail at once for another LoginTimeout instead of
 * waiting for the same silence. The hazard: a server that opens connections one at a time (Payara does) queues its
 * borrowers behind each other's logins, so the tenth borrower of a hung database would wait ten LoginTimeouts. The
 * first login after the window tries again; one that is answered ends the window at once.
 */
final class UnansweredLogins {
    /** Drivers give up a little early or late; a failure this close to LoginTimeout counts as its timeout. */
    private static final long EARLY_NANOS = 250_000_000L;

    private final int seconds;
    private final long timeoutNanos;
    private volatile long lastUnansweredNanos;
    private volatile boolean recent;

    UnansweredLogins(int loginTimeoutSeconds) {
        this.seconds = loginTimeoutSeconds;
        this.timeoutNanos = loginTimeoutSeconds * 1_000_000_000L;
    }

    /** Why a login must fail at once now, or null to try it. */
    String refusal() {
        if (!recent) {
            return null;
        }
        long ago = System.nanoTime() - lastUnansweredNanos;
        if (ago >= timeoutNanos) {
            return null;
        }
        return "a login got no answer within " + PoolProperty.LOGIN_TIMEOUT + " (" + seconds + " s) "
                + ago / 1_000_000 + " ms ago; no new login for another " + (timeoutNanos - ago) / 1_000_000 + " ms";
    }

    /** A login that started at {@code startNanos} failed now. */
    void failed(long startNanos) {
        long now = System.nanoTime();
        if (timeoutNanos > 0 && now - startNanos >= timeoutNanos - EARLY_NANOS) {
            lastUnansweredNanos = now;
            recent = true;
        }
    }

    void answered() {
        if (recent) {
            recent = false;
        }
    }
}
