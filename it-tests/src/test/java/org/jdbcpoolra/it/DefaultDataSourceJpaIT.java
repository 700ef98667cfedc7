package org.jdbcpoolra.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jdbcpoolra.it.jpa.JpaApplication;
import org.jdbcpoolra.it.jpa.Visit;
import org.jdbcpoolra.it.jpa.Visits;
import org.jdbcpoolra.it.jpa.VisitsResource;
import org.jdbcpoolra.it.support.Http;
import org.jdbcpoolra.it.support.PoolScenario;
import org.jdbcpoolra.it.support.TestEnvironment;
import org.jdbcpoolra.it.support.WildFlyServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The pool as the Jakarta EE default datasource (src-deploy/wildfly/default-datasource.cli), used by Hibernate
 * through a persistence unit that names no datasource at all: Hibernate creates its table, persists and queries in
 * container transactions, and a transaction that fails after a flush leaves nothing. Out of the box the default
 * datasource is WildFly's in-memory H2 ExampleDS, so rows counted in the pool's database prove the route.
 */
@Tag("default-datasource")
class DefaultDataSourceJpaIT extends PoolScenario {
    private static final String PERSISTENCE = """
            <persistence xmlns="https://jakarta.ee/xml/ns/persistence" version="3.1">
              <persistence-unit name="visits">
                <properties>
                  <property name="jakarta.persistence.schema-generation.database.action" value="drop-and-create"/>
                </properties>
              </persistence-unit>
            </persistence>
            """;

    @Test
    @DisplayName("An application's JPA persistence unit without a datasource works on the pool as default datasource")
    void jpaOnTheDefaultDataSourceWritesThroughThePool() throws Exception {
        WildFlyServer.cli("default-datasource.cli", Map.of());
        Path war = TestEnvironment.work().resolve("jpa.war");
        ShrinkWrap.create(WebArchive.class, "jpa.war")
                .addClasses(Visit.class, Visits.class, VisitsResource.class, JpaApplication.class)
                .addAsResource(new StringAsset(PERSISTENCE), "META-INF/persistence.xml")
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        WildFlyServer.command("deploy " + war);

        String tag = "jpa-" + System.nanoTime();
        assertEquals("recorded", Http.post(jpa("/visits?tag=" + tag + "&count=5"), "").body());
        assertEquals(5, database.queryInt("SELECT COUNT(*) FROM jpa_visit WHERE tag = ?", tag),
                "rows Hibernate wrote, counted in the pool's database");
        assertEquals("5", Http.get(jpa("/visits?tag=" + tag)).body(), "Hibernate's own count");
        assertEquals("rolled back", Http.post(jpa("/visits/fail?tag=" + tag + "-failed"), "").body());
        assertEquals(0, database.queryInt("SELECT COUNT(*) FROM jpa_visit WHERE tag = ?", tag + "-failed"),
                "rows of the transaction that failed after its flush");
    }

    @AfterEach
    void restoreDefaultDataSource() {
        WildFlyServer.command("undeploy jpa.war");
        WildFlyServer.cli("remove-default-datasource.cli", Map.of());
    }

    private static URI jpa(String path) {
        return URI.create("http://127.0.0.1:" + WildFlyServer.HTTP_PORT + "/jpa" + path);
    }
}
