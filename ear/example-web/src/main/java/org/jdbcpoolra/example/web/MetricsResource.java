package org.jdbcpoolra.example.web;

import java.lang.management.ManagementFactory;
import java.util.Map;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/**
 * Every jdbc-pool-ra pool in this server in the OpenMetrics text format, for Prometheus to scrape:
 * {@code curl http://localhost:8080/jdbc-pool-example/api/metrics}. The adapter's own counters (what no server
 * counts: validations that did or did not ask the database, retirements, fatal evictions by SQLState, openings,
 * handles closed for the application, statement cache lookups) come from its MBeans
 * {@code org.jdbcpoolra:type=PoolCounters,pool=...}; the server's own pool statistics, whatever the server names them,
 * follow as one gauge family labelled by statistic.
 */
@RequestScoped
@Path("/metrics")
public class MetricsResource {
    static final String CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String COUNTERS = "org.jdbcpoolra:type=PoolCounters,*";

    @GET
    @Produces(CONTENT_TYPE)
    public String scrape() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        var pools = server.queryNames(new ObjectName(COUNTERS), null);
        StringBuilder out = new StringBuilder(4096);
        split(out, server, pools, "jdbcpool_validations", "Validations of a pooled connection, by whether they"
                + " asked the database (round_trip) or were answered from its last use (bypassed).", "result",
                "round_trip", "ValidationRoundTrips", "bypassed", "ValidationBypasses");
        split(out, server, pools, "jdbcpool_retirements", "Physical connections replaced because they reached"
                + " MaxLifetime (lifetime) or MaxUses (uses).", "reason", "lifetime", "RetiredByLifetime", "uses",
                "RetiredByUses");
        family(out, "jdbcpool_fatal_evictions", "counter", "Connections reported broken to the server, by SQLState"
                + " (keepalive: found dead while idle).");
        for (ObjectName pool : pools) {
            TabularData byState = (TabularData) server.getAttribute(pool, "FatalEvictions");
            for (Object row : byState.values()) {
                CompositeData entry = (CompositeData) row;
                sample(out, "jdbcpool_fatal_evictions_total", pool, "sqlstate", (String) entry.get("key"),
                        ((Number) entry.get("value")).doubleValue());
            }
        }
        counter(out, server, pools, "jdbcpool_connections_opened", "Physical connections opened.",
                "ConnectionsOpened", 1);
        counter(out, server, pools, "jdbcpool_connection_open_seconds",
                "Time spent opening physical connections.", "OpenMillis", 1000);
        counter(out, server, pools, "jdbcpool_connection_open_failures",
                "Attempts to open a physical connection that failed.", "OpenFailures", 1);
        counter(out, server, pools, "jdbcpool_handles_closed_for_application",
                "Handles a borrower still held when the server took the connection back.",
                "HandlesClosedForApplication", 1);
        split(out, server, pools, "jdbcpool_statement_cache_lookups", "Prepared statements served from the"
                + " statement cache (hit) or prepared anew (miss).", "result", "hit", "StatementCacheHits", "miss",
                "StatementCacheMisses");
        family(out, "jdbcpool_server_statistic", "gauge",
                "The server's own statistics of the pool, by the server's names (WildFly, Payara, Liberty).");
        for (Map.Entry<String, Map<String, Object>> pool : PoolResource.read().entrySet()) {
            for (Map.Entry<String, Object> statistic : pool.getValue().entrySet()) {
                double value;
                if (statistic.getValue() instanceof Number n) {
                    value = n.doubleValue();
                } else if (statistic.getValue() instanceof Boolean b) {
                    value = b ? 1 : 0;
                } else {
                    continue;
                }
                out.append("jdbcpool_server_statistic{pool=\"").append(escape(pool.getKey()))
                        .append("\",statistic=\"").append(escape(statistic.getKey())).append("\"} ");
                value(out, value);
            }
        }
        return out.append("# EOF\n").toString();
    }

    private static void counter(StringBuilder out, MBeanServer server, Iterable<ObjectName> pools, String name,
            String help, String attribute, double divisor) throws JMException {
        family(out, name, "counter", help);
        for (ObjectName pool : pools) {
            sample(out, name + "_total", pool, null, null, number(server, pool, attribute) / divisor);
        }
    }

    /** A counter family with one label, each of its two values read from an attribute of its own. */
    private static void split(StringBuilder out, MBeanServer server, Iterable<ObjectName> pools, String name,
            String help, String label, String first, String firstAttribute, String second, String secondAttribute)
            throws JMException {
        family(out, name, "counter", help);
        for (ObjectName pool : pools) {
            sample(out, name + "_total", pool, label, first, number(server, pool, firstAttribute));
            sample(out, name + "_total", pool, label, second, number(server, pool, secondAttribute));
        }
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        if (name.endsWith("_seconds")) {
            out.append("# UNIT ").append(name).append(" seconds\n");
        }
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    }

    private static void sample(StringBuilder out, String name, ObjectName pool, String label, String labelValue,
            double value) {
        out.append(name).append("{pool=\"").append(escape(ObjectName.unquote(pool.getKeyProperty("pool"))))
                .append('"');
        // A second live pool of the same name (two connection definitions configured alike) is instance 2, 3, ...
        if (pool.getKeyProperty("instance") != null) {
            out.append(",instance=\"").append(escape(pool.getKeyProperty("instance"))).append('"');
        }
        if (label != null) {
            out.append(',').append(label).append("=\"").append(escape(labelValue)).append('"');
        }
        out.append("} ");
        value(out, value);
    }

    private static void value(StringBuilder out, double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
    }

    private static double number(MBeanServer server, ObjectName pool, String attribute) throws JMException {
        return ((Number) server.getAttribute(pool, attribute)).doubleValue();
    }

    /** OpenMetrics label values escape backslash, double quote and line feed. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
