package org.jdbcpoolra.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;

import jakarta.resource.spi.ConfigProperty;

import org.jdbcpoolra.config.PoolProperty.Group;
import org.jdbcpoolra.outbound.JdbcManagedConnectionFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Every place a deployer meets an adapter property follows {@link PoolProperty}: the factory's JavaBean setters,
 * README's table, and each server's scripts and properties files. A property missing from any of them, a name
 * spelled differently, or a script shipping a tuning default other than the declared one fails here.
 */
@DisplayName("The property registry")
class PropertyRegistryTest {
    /** Surefire runs in the module directory; README and src-deploy live one level up. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern CAPITALIZED_KEY = Pattern.compile("(?:xa\\.)?[A-Z][A-Za-z]*");

    @Test
    @DisplayName("every property that can carry a password is confidential: consoles and messages never show it")
    void propertiesThatCanCarryAPasswordAreConfidential() {
        for (PoolProperty property : List.of(PoolProperty.PASSWORD, PoolProperty.URL,
                PoolProperty.CONNECTION_PROPERTIES, PoolProperty.DATA_SOURCE_PROPERTIES)) {
            assertTrue(property.confidential(), property.propertyName());
        }
    }

    @Test
    @DisplayName("each property has a setter and a getter on the factory, and there are no others")
    void factoryHasOneJavaBeanPropertyPerDeclaration() throws Exception {
        Set<String> annotated = new TreeSet<>();
        for (Method method : JdbcManagedConnectionFactory.class.getMethods()) {
            ConfigProperty annotation = method.getAnnotation(ConfigProperty.class);
            if (annotation != null) {
                String name = method.getName().substring(3);
                annotated.add(name);
                PoolProperty property = PoolProperty.named(name);
                assertNotNull(property, method + " is no declared property");
                assertEquals(property.confidential(), annotation.confidential(), method.toString());
                assertEquals("", annotation.defaultValue(), "defaults live in the registry only: " + method);
                assertEquals(0, annotation.description().length, "descriptions live in the registry only: " + method);
            }
        }
        assertEquals(names(Arrays.asList(PoolProperty.values())), annotated);
        for (PoolProperty property : PoolProperty.values()) {
            JdbcManagedConnectionFactory factory = new JdbcManagedConnectionFactory();
            JdbcManagedConnectionFactory.class.getMethod("set" + property.propertyName(), String.class)
                    .invoke(factory, "x");
            assertEquals("x", JdbcManagedConnectionFactory.class.getMethod("get" + property.propertyName())
                    .invoke(factory), property.propertyName());
        }
    }

    @Test
    @DisplayName("each declaration is complete: numbers have a unit and a default that parses, tuning has a "
            + "description")
    void declarationsAreComplete() {
        for (PoolProperty property : PoolProperty.values()) {
            assertFalse(property.description().isBlank(), property.propertyName());
            assertTrue(property.propertyName().matches("[A-Z][A-Za-z]*"), property.propertyName());
            if (property.kind() == PoolProperty.Kind.DURATION || property.kind() == PoolProperty.Kind.COUNT) {
                assertFalse(property.unit().isEmpty(), property.propertyName());
                assertTrue(Integer.parseInt(property.defaultValue()) >= 0, property.propertyName());
            }
        }
    }

    @Test
    @DisplayName("README's table lists every property once, with the declared default")
    void readmeTableFollowsTheRegistry() throws IOException {
        Map<String, String> rows = readmeDefaults();

        assertEquals(names(Arrays.asList(PoolProperty.values())), new TreeSet<>(rows.keySet()));
        for (PoolProperty property : PoolProperty.values()) {
            String cell = rows.get(property.propertyName());
            if (property.defaultValue().isEmpty()) {
                assertFalse(cell.matches("`[^`]+`.*"), property + ": README gives a default value: " + cell);
            } else {
                assertTrue(cell.startsWith("`" + property.defaultValue() + "`"),
                        property + ": README says " + cell + ", the registry " + property.defaultValue());
            }
        }
    }

    @Test
    @DisplayName("WildFly's configure.cli and configure-xa.cli set every property from the key named after it")
    void wildFlyScriptsSetEveryProperty() throws IOException {
        String local = Files.readString(ROOT.resolve("src-deploy/wildfly/configure.cli"));
        String xa = Files.readString(ROOT.resolve("src-deploy/wildfly/configure-xa.cli"));

        assertEquals(expected(false), cliProperties(local), "configure.cli: property -> key");
        assertEquals(expected(true), cliProperties(xa), "configure-xa.cli: property -> key");
    }

    @Test
    @DisplayName("WildFly's pool.properties has every key the scripts read, with the declared tuning defaults")
    void wildFlyPropertiesHaveEveryKeyWithItsDefault() throws IOException {
        checkPropertiesFile(load("src-deploy/wildfly/pool.properties"), false);
    }

    @Test
    @DisplayName("Payara's pool.properties has every property (its scripts pass every capitalized key)")
    void payaraPropertiesHaveEveryKeyWithItsDefault() throws IOException {
        Properties file = load("src-deploy/payara/pool.properties");
        checkPropertiesFile(file, true);
        String common = Files.readString(ROOT.resolve("src-deploy/payara/common.sh"));
        assertTrue(common.contains("[A-Z][A-Za-z]*"), "common.sh passes the capitalized keys");
        assertTrue(Files.readString(ROOT.resolve("src-deploy/payara/configure.sh"))
                .contains("adapter_properties \"PoolName=$(escape \"$(prop jndi.name)\")\")"));
        assertTrue(Files.readString(ROOT.resolve("src-deploy/payara/configure-xa.sh"))
                .contains("adapter_properties \"PoolName=$(escape \"$(prop xa.jndi.name)\")\" xa.)"));
    }

    @Test
    @DisplayName("glassfish-resources.xml lists every property on both pools, with the declared tuning defaults")
    void glassfishResourcesListEveryProperty() throws Exception {
        DocumentBuilderFactory parser = DocumentBuilderFactory.newInstance();
        // The DTD's address names a host this machine cannot reach; the file is read, not validated.
        parser.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Element root = parser.newDocumentBuilder()
                .parse(ROOT.resolve("src-deploy/payara/glassfish-resources.xml").toFile()).getDocumentElement();
        NodeList pools = root.getElementsByTagName("connector-connection-pool");
        assertEquals(2, pools.getLength());
        for (int i = 0; i < pools.getLength(); i++) {
            Element pool = (Element) pools.item(i);
            boolean xa = "XATransaction".equals(pool.getAttribute("transaction-support"));
            Map<String, String> values = new LinkedHashMap<>();
            NodeList properties = pool.getElementsByTagName("property");
            for (int j = 0; j < properties.getLength(); j++) {
                Element property = (Element) properties.item(j);
                values.put(property.getAttribute("name"), property.getAttribute("value"));
            }
            assertEquals(applicable(xa), new TreeSet<>(values.keySet()), pool.getAttribute("name"));
            for (PoolProperty property : PoolProperty.values()) {
                if (property.group() == Group.TUNING) {
                    assertEquals(property.defaultValue(), values.get(property.propertyName()),
                            pool.getAttribute("name") + " " + property);
                }
            }
        }
    }

    @Test
    @DisplayName("Liberty's jdbc-pool.xml sets every local property from the key named after it, and "
            + "pool.properties has each key with the declared tuning default")
    void libertyTemplateSetsEveryProperty() throws Exception {
        Map<String, String> attributes = new LinkedHashMap<>();
        libertyProperties("jdbc-pool.xml").forEach((name, value) -> attributes.put(name,
                value.replaceAll("^\\$\\{(.*)}$", "$1")));
        assertEquals(new TreeMap<>(expected(false)), new TreeMap<>(attributes), "jdbc-pool.xml: property -> key");
        Properties file = load("src-deploy/liberty/pool.properties");
        Set<String> capitalized = new TreeSet<>();
        file.stringPropertyNames().stream().filter(k -> CAPITALIZED_KEY.matcher(k).matches() && !k.startsWith("xa."))
                .forEach(capitalized::add);
        Set<String> wanted = new TreeSet<>(expected(false).values());
        wanted.remove("jndi.name");
        assertEquals(wanted, capitalized);
        for (PoolProperty property : PoolProperty.values()) {
            if (property.group() == Group.TUNING) {
                assertEquals(property.defaultValue(), file.getProperty(property.propertyName()), property.toString());
            }
        }
    }

    @Test
    @DisplayName("Liberty's jdbc-pool-xa.xml sets every XA property from its xa.* key or the pool's, and "
            + "pool.properties has the xa.* keys the XA properties need")
    void libertyXaTemplateSetsEveryXaProperty() throws Exception {
        Map<String, String> attributes = new TreeMap<>(libertyProperties("jdbc-pool-xa.xml"));
        Map<String, String> wanted = new TreeMap<>();
        for (PoolProperty property : PoolProperty.values()) {
            if (property.source().appliesToXa()) {
                wanted.put(property.propertyName(), "${xa:" + property.propertyName() + "}");
            }
        }
        wanted.put(PoolProperty.POOL_NAME.propertyName(), "${xa.jndi.name}");
        assertEquals(wanted, attributes, "jdbc-pool-xa.xml: property -> key");
        Properties file = load("src-deploy/liberty/pool.properties");
        for (PoolProperty property : PoolProperty.values()) {
            if (property.source() == PoolProperty.Source.XA_DATA_SOURCE || property.group() == Group.DATABASE
                    && property.source().appliesToXa() && property != PoolProperty.POOL_NAME) {
                assertTrue(file.containsKey("xa." + property.propertyName()), "xa." + property.propertyName());
            }
        }
    }

    /** A Liberty template's adapter properties: property name (Liberty lower-cases the first letter) -> value. */
    private static Map<String, String> libertyProperties(String template) throws Exception {
        Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(ROOT.resolve("src-deploy/liberty/" + template).toFile()).getDocumentElement();
        Element properties = (Element) root.getElementsByTagName("properties.jdbc-pool-ra").item(0);
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < properties.getAttributes().getLength(); i++) {
            var attribute = properties.getAttributes().item(i);
            attributes.put(Character.toUpperCase(attribute.getNodeName().charAt(0))
                    + attribute.getNodeName().substring(1), attribute.getNodeValue());
        }
        return attributes;
    }

    // ---- what the scripts must say, from the registry --------------------------------------------------------

    /** Property -> the properties-file key a WildFly script takes it from; PoolName is the JNDI name. */
    private static Map<String, String> expected(boolean xa) {
        Map<String, String> expected = new LinkedHashMap<>();
        for (PoolProperty property : PoolProperty.values()) {
            if (xa ? property.source().appliesToXa() : property.source().appliesToLocal()) {
                expected.put(property.propertyName(), key(property, xa));
            }
        }
        return expected;
    }

    /** The XA definition has a database of its own and shares the tuning of the local one. */
    private static String key(PoolProperty property, boolean xa) {
        if (property == PoolProperty.POOL_NAME) {
            return xa ? "xa.jndi.name" : "jndi.name";
        }
        return (xa && property.group() == Group.DATABASE ? "xa." : "") + property.propertyName();
    }

    private static Set<String> applicable(boolean xa) {
        return names(Arrays.stream(PoolProperty.values())
                .filter(p -> xa ? p.source().appliesToXa() : p.source().appliesToLocal()).toList());
    }

    private static Set<String> names(List<PoolProperty> properties) {
        return properties.stream().map(PoolProperty::propertyName).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Every key the scripts read is there; tuning keys carry the declared default; Payara's generic XA pool also
     * needs an empty xa.* key for each property an XA pool must not inherit from the local one.
     */
    private static void checkPropertiesFile(Properties file, boolean payara) {
        Set<String> capitalized = new TreeSet<>();
        for (String key : file.stringPropertyNames()) {
            if (CAPITALIZED_KEY.matcher(key).matches()) {
                capitalized.add(key);
                assertNotNull(PoolProperty.named(key.replaceFirst("^xa\\.", "")), "no such property: " + key);
            }
        }
        Set<String> wanted = new TreeSet<>();
        for (boolean xa : new boolean[] {false, true}) {
            expected(xa).values().stream().filter(k -> !k.endsWith("jndi.name")).forEach(wanted::add);
        }
        if (payara) {
            for (PoolProperty property : PoolProperty.values()) {
                if (property.group() == Group.DATABASE && !property.source().appliesToXa()) {
                    wanted.add("xa." + property.propertyName());
                    assertEquals("", file.getProperty("xa." + property.propertyName()), property.toString());
                }
            }
        }
        assertEquals(wanted, capitalized);
        for (PoolProperty property : PoolProperty.values()) {
            if (property.group() == Group.TUNING) {
                assertEquals(property.defaultValue(), file.getProperty(property.propertyName()), property.toString());
            }
        }
    }

    private static Properties load(String path) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(ROOT.resolve(path))) {
            properties.load(in);
        }
        return properties;
    }

    /** config-properties=Name:add(value="${key}"), each guarded by a test of the same key (WildFly refuses ""). */
    private static Map<String, String> cliProperties(String script) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher m = Pattern.compile("config-properties=(\\w+):add\\(value=\"\\$\\{([\\w.]+)}\"\\)").matcher(script);
        while (m.find()) {
            assertFalse(found.containsKey(m.group(1)), "set twice: " + m.group(1));
            found.put(m.group(1), m.group(2));
            if (!m.group(1).equals("PoolName")) {
                assertTrue(script.contains("name=\"launch-type${" + m.group(2) + "}\")\n    "
                        + script.substring(script.lastIndexOf('\n', m.start()) + 1, m.start()).trim()),
                        m.group(1) + " is added only when " + m.group(2) + " has a value");
            }
        }
        assertEquals(count(script, "config-properties="), found.size(), "every config-property has the shape above");
        return found;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** Property -> its default cell, from the table under "### Adapter properties". */
    private static Map<String, String> readmeDefaults() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        int start = lines.indexOf(lines.stream().filter(l -> l.startsWith("### Adapter properties")).findFirst()
                .orElseThrow(() -> new AssertionError("README has no '### Adapter properties' section")));
        Map<String, String> rows = new LinkedHashMap<>();
        List<String> table = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            if (line.startsWith("| `")) {
                table.add(line);
            }
        }
        for (String row : table) {
            String[] cells = row.split("\\|", -1);
            String name = cells[1].trim().replace("`", "");
            assertFalse(rows.containsKey(name), "listed twice: " + name);
            rows.put(name, cells[2].trim());
        }
        return rows;
    }
}
