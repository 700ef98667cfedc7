package org.jdbcpoolra.it.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An entity Hibernate maps and creates the table of; the test counts its rows in the database. */
@Entity
@Table(name = "jpa_visit")
public class Visit {
    @Id
    @GeneratedValue
    private Long id;

    private String tag;

    protected Visit() {
    }

    Visit(String tag) {
        this.tag = tag;
    }

    public String getTag() {
        return tag;
    }
}
