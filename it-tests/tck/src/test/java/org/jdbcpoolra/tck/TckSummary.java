package org.jdbcpoolra.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads the failsafe reports of every TCK run and compares each run through our pool with the baseline of its
 * database and vehicle: the failures of the same tests through WildFly's own datasource, recorded in
 * baseline/&lt;database&gt;[-ejb].txt
 * (or, when this build ran the baseline too, its fresh reports, which -Dtck.record-baseline=true writes back to the
 * recorded lists). Writes target/tck-summary.md; fails when a test fails through our pool only, or a run through our
 * pool executed nothing.
 * Arguments: the module's target directory, the baseline directory, the runs through our pool (comma-separated).
 */
public final class TckSummary {
    private TckSummary() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        Path baselines = Path.of(args[1]);
        List<String> expected = List.of(args[2].split(","));
        StringBuilder summary = new StringBuilder("| run | executed | passed | failed | skipped | failing only here"
                + " | passing only here |\n|---|---:|---:|---:|---:|---|---|\n");
        List<String> problems = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(target.resolve("tck-reports"))) {
            dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().forEach(runs::add);
        }
        for (String name : expected) {
            if (!runs.contains(name)) {
                problems.add(name + ": no reports (the run did not happen)");
            }
        }
        boolean record = Boolean.getBoolean("tck.record-baseline");
        // Runs of a sample of the baseline's tests (CI's EJB vehicle), as run=count; every other run executes exactly
        // as many tests as its baseline did.
        Map<String, Integer> samples = new HashMap<>();
        for (String sample : System.getProperty("tck.samples", "").split(",")) {
            if (sample.contains("=")) {
                samples.put(sample.substring(0, sample.indexOf('=')),
                        Integer.parseInt(sample.substring(sample.indexOf('=') + 1)));
            }
        }
        for (String name : runs) {
            Run run = Run.read(target.resolve("tck-reports").resolve(name));
            // The baseline of a run: the same vehicle on the same database, e.g. postgresql or postgresql-ejb.
            String database = name.replaceFirst("-(pool|baseline).*$", "");
            Set<String> baseline;
            String onlyHere = "";
            String passingHere = "";
            if (name.endsWith("-baseline")) {
                baseline = run.failed;
                if (record) {
                    Files.writeString(baselines.resolve(database + ".txt"), "# Tests failing through WildFly's own "
                            + "datasource on " + database + " (./mvnw verify -Ptck,tck-baseline"
                            + " -Dtck.record-baseline=true): " + run.executed + " executed.\n"
                            + String.join("\n", run.failed) + "\n");
                }
            } else {
                baseline = baseline(target, baselines, database);
                Set<String> ours = new TreeSet<>(run.failed);
                ours.removeAll(baseline);
                Set<String> better = new TreeSet<>(baseline);
                better.removeAll(run.failed);
                better.retainAll(run.ran);
                onlyHere = String.join("<br>", ours);
                passingHere = String.join("<br>", better);
                if (!ours.isEmpty()) {
                    problems.add(name + ": " + ours.size() + " failing through our pool only: " + ours);
                }
                if (run.executed == 0) {
                    problems.add(name + ": executed nothing");
                }
                // A test skipped, or missing, through our pool would hide what the baseline's failures do not.
                if (run.skipped > 0) {
                    problems.add(name + ": " + run.skipped + " skipped");
                }
                int expectedExecuted = samples.getOrDefault(name, baselineExecuted(target, baselines, database));
                if (run.executed != expectedExecuted) {
                    problems.add(name + ": executed " + run.executed + " tests where " + expectedExecuted
                            + " were expected (" + (samples.containsKey(name) ? "the sample, -Dtck.samples"
                            : "the baseline") + ")");
                }
            }
            summary.append("| ").append(name).append(" | ").append(run.executed).append(" | ")
                    .append(run.executed - run.failed.size()).append(" | ").append(run.failed.size()).append(" | ")
                    .append(run.skipped).append(" | ").append(onlyHere).append(" | ").append(passingHere)
                    .append(" |\n");
        }
        Files.writeString(target.resolve("tck-summary.md"), summary);
        System.out.println(summary);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("TCK: " + String.join("; ", problems) + " (see target/tck-summary.md"
                    + " and target/tck-reports)");
        }
    }

    /** The baseline's failures on this database: from this build's baseline run if there was one, else recorded. */
    private static Set<String> baseline(Path target, Path baselines, String database) throws Exception {
        Path fresh = target.resolve("tck-reports").resolve(database + "-baseline");
        if (Files.isDirectory(fresh)) {
            return Run.read(fresh).failed;
        }
        Set<String> recorded = new TreeSet<>();
        for (String line : Files.readAllLines(baselines.resolve(database + ".txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                recorded.add(line.trim());
            }
        }
        return recorded;
    }

    /** How many tests the baseline executed: its fresh run, or the recorded file's first line ("...: N executed."). */
    private static int baselineExecuted(Path target, Path baselines, String database) throws Exception {
        Path fresh = target.resolve("tck-reports").resolve(database + "-baseline");
        if (Files.isDirectory(fresh)) {
            return Run.read(fresh).executed;
        }
        String header = Files.readAllLines(baselines.resolve(database + ".txt")).get(0);
        java.util.regex.Matcher count = java.util.regex.Pattern.compile("(\\d+) executed\\.").matcher(header);
        if (!count.find()) {
            throw new IllegalStateException(baselines.resolve(database + ".txt") + " does not say how many tests "
                    + "the baseline executed: " + header);
        }
        return Integer.parseInt(count.group(1));
    }

    /** One run's results, as failsafe's XML reports have them: test ids are Class#method. */
    private record Run(int executed, int skipped, Set<String> failed, Set<String> ran) {
        static Run read(Path reports) throws Exception {
            int executed = 0;
            int skipped = 0;
            Set<String> failed = new TreeSet<>();
            Set<String> ran = new TreeSet<>();
            List<Path> files;
            try (Stream<Path> list = Files.list(reports)) {
                files = list.filter(f -> f.getFileName().toString().startsWith("TEST-")
                        && f.toString().endsWith(".xml")).sorted().toList();
            }
            for (Path file : files) {
                NodeList cases = parse(file).getElementsByTagName("testcase");
                for (int i = 0; i < cases.getLength(); i++) {
                    Element test = (Element) cases.item(i);
                    String id = simpleName(test.getAttribute("classname")) + "#" + test.getAttribute("name");
                    if (test.getElementsByTagName("skipped").getLength() > 0) {
                        skipped++;
                        continue;
                    }
                    executed++;
                    ran.add(id);
                    if (test.getElementsByTagName("failure").getLength() > 0
                            || test.getElementsByTagName("error").getLength() > 0) {
                        failed.add(id);
                    }
                }
            }
            return new Run(executed, skipped, failed, ran);
        }

        private static Element parse(Path file) throws Exception {
            try {
                return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile())
                        .getDocumentElement();
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + file, e);
            }
        }

        private static String simpleName(String className) {
            return className.substring(className.lastIndexOf('.') + 1);
        }
    }
}
