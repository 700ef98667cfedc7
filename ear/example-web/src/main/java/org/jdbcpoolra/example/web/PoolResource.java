package org.jdbcpoolra.example.web;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;

import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The server's statistics of every jdbc-pool-ra pool, read from JMX, so that a person can watch the pool while
 * driving the example: {@code curl http://localhost:8080/jdbc-pool-example/api/pool}. On WildFly they come from
 * the resource-adapters subsystem (statistics-enabled=true in src-deploy/wildfly/configure.cli); on Payara from its
 * monitoring of server-level pools (src-deploy/payara/configure.sh switches it on; Payara does not monitor the
 * EAR's own pool); on Liberty from its monitor feature.
 */
@RequestScoped
@Path("/pool")
@Produces(MediaType.APPLICATION_JSON)
public class PoolResource {

    /**
     * WildFly's resource-adapters subsystem; Payara's monitoring of server-level connector pools; Liberty's
     * ConnectionPoolStats (monitor-1.0, registered once the pool has created a connection).
     */
    private static final String[] PATTERNS = {
        "jboss.as:subsystem=resource-adapters,resource-adapter=*,connection-definitions=*,statistics=pool",
        "amx:pp=/mon/server-mon[server],type=connector-connection-pool-mon,*",
        "WebSphere:type=ConnectionPoolStats,*",
    };

    /** Payara registers its monitoring MBeans (AMX) only once something asks for them. */
    private static final String PAYARA_AMX_BOOT = "amx-support:type=boot-amx";

    @GET
    public Map<String, Map<String, Object>> statistics() throws JMException {
        return read();
    }

    /** Every pool the server reports on, by name, with its statistics by the server's own names. */
    static Map<String, Map<String, Object>> read() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName amxBoot = new ObjectName(PAYARA_AMX_BOOT);
        if (server.isRegistered(amxBoot)) {
            server.invoke(amxBoot, "bootAMX", null, null);
        }
        Map<String, Map<String, Object>> pools = new TreeMap<>();
        for (String pattern : PATTERNS) {
            for (ObjectName name : server.queryNames(new ObjectName(pattern), null)) {
                Map<String, Object> values = new TreeMap<>();
                String[] attributes = java.util.Arrays.stream(server.getMBeanInfo(name).getAttributes())
                        .filter(MBeanAttributeInfo::isReadable).map(MBeanAttributeInfo::getName)
                        .toArray(String[]::new);
                for (Attribute attribute : server.getAttributes(name, attributes).asList()) {
                    Object value = attribute.getValue();
                    if (value instanceof Number || value instanceof Boolean || value instanceof String) {
                        values.put(attribute.getName(), value);
                    } else if (value instanceof CompositeData statistic) {
                        // Payara: CountStatistic / RangeStatistic
                        for (String field : new String[] {"count", "current"}) {
                            if (statistic.containsKey(field)) {
                                values.put(attribute.getName(), statistic.get(field));
                            }
                        }
                    }
                }
                String pool = name.getKeyProperty("resource-adapter") != null
                        ? name.getKeyProperty("resource-adapter") + "/" + name.getKeyProperty("connection-definitions")
                        : name.getKeyProperty("name");
                pools.put(pool, values);
            }
        }
        return pools;
    }
}
