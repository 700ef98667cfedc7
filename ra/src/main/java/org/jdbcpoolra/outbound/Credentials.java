package org.jdbcpoolra.outbound;

import java.util.Objects;

/**
 * Who a physical connection is logged in as. Matching compares these, so a connection opened for one user is never
 * handed to another. The pool's own sign-on ({@code configured}: User and Password or the files holding them) is one
 * identity whatever its values, so connections opened before a password rotation still serve until they retire. The
 * password never appears in {@link #toString()}.
 */
public record Credentials(String user, String password, boolean configured) {

    /** Credentials an application or the container supplied. */
    public Credentials(String user, String password) {
        this(user, password, false);
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + (configured ? ", the pool's own" : "") + "]";
    }

    boolean sameAs(Credentials other) {
        if (this == other || configured && other.configured) {
            return true;
        }
        return Objects.equals(user, other.user) && Objects.equals(password, other.password);
    }
}
