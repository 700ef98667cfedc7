package org.jdbcpoolra.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

/**
 * The server's JVM seen from outside, as an operator hunting a leak sees it: the JDK's jcmd (class histogram of live
 * objects, thread dump, class loaders with the classes each still holds) and the platform MBean server through the
 * local JMX agent the JDK's attach mechanism starts in it. Nothing in the server has to cooperate, and every server is
 * observed the same way; only its pid comes from {@link ServerControl#pid()}.
 */
public final class ServerJvm {
    /** A histogram row: rank, instances, bytes, class name (arrays as [Lname; or [[B), then perhaps (module). */
    private static final Pattern HISTOGRAM_ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+(\\S+)");
    /** A stack frame of a thread dump: "at [module/]class.method(source)". */
    private static final Pattern FRAME = Pattern.compile("^\\s*at (?:\\S+/)?([\\w$.]+)\\.[\\w$<>]+\\(");
    /** A class loader of VM.classloaders' tree: "+-- "name", class" (or "+-- class"). */
    private static final Pattern UPTIME = Pattern.compile("(\\d+(?:\\.\\d+)?) s");
    private static final Pattern LOADER = Pattern.compile("\\+-- (.*)$");
    /** Under a loader of that tree (verbose): "Loader Data: 0x..." (its class loader data, native memory). */
    private static final Pattern LOADER_DATA = Pattern.compile("Loader Data: (0x\\p{XDigit}+)");

    private final long pid;
    private final Path jcmd;

    public ServerJvm(long pid) {
        this.pid = pid;
        this.jcmd = jcmdFor(pid);
    }

    /** The jcmd beside the server's own java (its JDK), else this JVM's. */
    private static Path jcmdFor(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().command()).map(Path::of)
                .map(java -> java.resolveSibling("jcmd")).filter(Files::isExecutable)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "jcmd"));
    }

    /** One jcmd command against the server's JVM; its output. */
    public String jcmd(String... command) {
        List<String> line = new ArrayList<>(List.of(jcmd.toString(), String.valueOf(pid)));
        line.addAll(List.of(command));
        return TestEnvironment.run(line, Map.of());
    }

    /** How long the server's JVM has run (jcmd VM.uptime). */
    public Duration uptime() {
        Matcher seconds = UPTIME.matcher(jcmd("VM.uptime"));
        if (!seconds.find()) {
            throw new IllegalStateException("jcmd VM.uptime printed no seconds");
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(seconds.group(1)) * 1000));
    }

    /**
     * Live instances per class whose name the filter accepts (an array counts under its element class), from
     * jcmd's class histogram after a full collection (GC.run; the histogram collects once more by itself, so only
     * reachable objects are counted). A class loaded by two class loaders adds up under its one name.
     */
    public Map<String, Long> liveInstances(Predicate<String> className) {
        jcmd("GC.run");
        Map<String, Long> counts = new TreeMap<>();
        for (String row : jcmd("GC.class_histogram").split("\n")) {
            Matcher m = HISTOGRAM_ROW.matcher(row);
            if (m.find()) {
                String name = m.group(2).replaceFirst("^\\[+L", "").replaceFirst(";$", "");
                if (className.test(name)) {
                    counts.merge(name, Long.parseLong(m.group(1)), Long::sum);
                }
            }
        }
        return counts;
    }

    /** The dump (name line, state and frames) of every thread with a frame of a class the filter accepts. */
    public List<String> threadsRunning(Predicate<String> frameClass) {
        List<String> threads = new ArrayList<>();
        for (String block : jcmd("Thread.print").split("\n\\s*\n")) {
            if (!block.startsWith("\"")) {
                continue;
            }
            for (String line : block.split("\n")) {
                Matcher frame = FRAME.matcher(line);
                if (frame.find() && frameClass.test(frame.group(1))) {
                    threads.add(block.strip());
                    break;
                }
            }
        }
        return threads;
    }

    /**
     * Classes still loaded whose name the filter accepts, by the class loader that holds them, from jcmd's class
     * loader tree (VM.classloaders verbose show-classes). A loader is named as the tree names it ({@code "name",
     * class}) and its class loader data's address, which stays the same as long as that loader lives, so two
     * deployments of the same archive (same name) are told apart. A class stays loaded as long as its class loader
     * is reachable, so after an undeploy and a full collection (which unloads classes) any of the deployment's
     * classes here mean its class loader is still held.
     */
    public Map<String, Set<String>> loadedClasses(Predicate<String> className) {
        jcmd("GC.run");
        Map<String, Set<String>> loaded = new TreeMap<>();
        String header = "?";
        String loader = "?";
        for (String line : jcmd("VM.classloaders", "verbose", "show-classes").split("\n")) {
            Matcher m = LOADER.matcher(line);
            if (m.find()) {
                header = m.group(1).strip();
                loader = header;
                continue;
            }
            Matcher data = LOADER_DATA.matcher(line);
            if (data.find()) {
                loader = header + " " + data.group(1);
                continue;
            }
            // "Classes: first" (or "Hidden classes: first"), then one name a line under it.
            String name = line.replaceFirst("^[\\s|]*", "").replaceFirst("^(Hidden c|C)lasses:\\s*", "").strip();
            // Hidden classes (lambdas) are listed with their address: name/0x...
            String plain = name.replaceFirst("/0x\\p{XDigit}+$", "");
            if (!plain.contains(" ") && className.test(plain)) {
                loaded.computeIfAbsent(loader, l -> new TreeSet<>()).add(plain);
            }
        }
        return loaded;
    }

    /**
     * Names of the MBeans matching the pattern in the server's platform MBean server, through the local JMX agent
     * the attach mechanism starts in the server (as JConsole attaching to a local process does).
     */
    public Set<String> mbeans(String pattern) {
        try {
            ObjectName query = new ObjectName(pattern);
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
            try {
                String address = vm.startLocalManagementAgent();
                try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                    Set<String> names = new TreeSet<>();
                    connector.getMBeanServerConnection().queryNames(query, null)
                            .forEach(name -> names.add(name.toString()));
                    return names;
                }
            } finally {
                vm.detach();
            }
        } catch (AttachNotSupportedException | IOException | MalformedObjectNameException e) {
            throw new IllegalStateException("cannot read the MBeans of process " + pid + ": " + e, e);
        }
    }
}
