package org.jdbcpoolra.outbound;

import java.util.Objects;

/**
 * Who a physical connection is logged in as. Matching compares these, so a connection opened for one user is never
 * handed to another. The password never appears in {@link #toString()}.
 */
public record Credentials(String user, String password) {
    @Override
    public String toString() {
        return "Credentials[user=" + user + "]";
    }

    boolean sameAs(Credentials other) {
        return this == other || (Objects.equals(user, other.user) && Objects.equals(password, other.password));
    }
}
