package org.jdbcpoolra.it.jpa;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Container-managed transactions around Hibernate's work; the persistence unit names no datasource. */
@Stateless
public class Visits {
    @PersistenceContext
    private EntityManager entities;

    public void record(String tag, int count) {
        for (int i = 0; i < count; i++) {
            entities.persist(new Visit(tag));
        }
    }

    /** Persists and flushes, then fails: the container rolls the whole transaction back. */
    public void recordThenFail(String tag) {
        entities.persist(new Visit(tag));
        entities.flush();
        throw new IllegalStateException("failing after the flush on purpose");
    }

    public long count(String tag) {
        return entities.createQuery("SELECT COUNT(v) FROM Visit v WHERE v.tag = :tag", Long.class)
                .setParameter("tag", tag).getSingleResult();
    }
}
