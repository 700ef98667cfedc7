package org.jdbcpoolra.example;

import java.io.Serializable;
import java.time.Instant;

/** One row of the example's table. */
public record Note(String id, String body, Instant createdAt) implements Serializable {
}
