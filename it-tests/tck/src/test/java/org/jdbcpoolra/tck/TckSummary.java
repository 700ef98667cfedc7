package org.jdbcpoolra.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
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
 * recorded lists). Writes target/tck-summary.md; fails when a test fails through our pool only, fails there in
 * another way than through the baseline (their {@link FailureSignature}s differ), or a run through our pool skipped
 * a test or executed another number of tests than its baseline.
 * A recorded list has a line per failing test, {@code Class#method<TAB>signature}; a line with the id alone (a list
 * recorded before signatures were) masks that test whatever its failure, and the summary counts such tests.
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
                + " | failing differently here | masked by id only | passing only here |\n"
                + "|---|---:|---:|---:|---:|---|---|---:|---|\n");
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
            String onlyHere = "";
            String differently = "";
            String maskedById = "";
            String passingHere = "";
            if (name.endsWith("-baseline")) {
                if (record) {
                    Files.writeString(baselines.resolve(database + ".txt"), recorded(database, run));
                }
            } else {
                Comparison comparison = Comparison.of(baseline(target, baselines, database), run.failed, run.ran);
                onlyHere = String.join("<br>", comparison.onlyHere());
                differently = String.join("<br>", comparison.differently().keySet());
                maskedById = String.valueOf(comparison.maskedById().size());
                passingHere = String.join("<br>", comparison.passingHere());
                problems.addAll(comparison.problems(name));
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
                    .append(run.skipped).append(" | ").append(onlyHere).append(" | ").append(differently)
                    .append(" | ").append(maskedById).append(" | ").append(passingHere).append(" |\n");
        }
        Files.writeString(target.resolve("tck-summary.md"), summary);
        System.out.println(summary);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("TCK (see target/tck-summary.md and target/tck-reports):\n  "
                    + String.join("\n  ", problems));
        }
    }

    /**
     * The baseline's failures on this database, test id to signature: from this build's baseline run if there was
     * one, else recorded (an empty signature where the recorded line has the id alone).
     */
    private static SortedMap<String, String> baseline(Path target, Path baselines, String database)
            throws Exception {
        Path fresh = target.resolve("tck-reports").resolve(database + "-baseline");
        if (Files.isDirectory(fresh)) {
            return Run.read(fresh).failed;
        }
        return parse(Files.readAllLines(baselines.resolve(database + ".txt")));
    }

    /** A recorded list's lines as test id to signature; comments (the header) and blank lines are skipped. */
    static SortedMap<String, String> parse(List<String> lines) {
        SortedMap<String, String> recorded = new TreeMap<>();
        for (String line : lines) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int tab = line.indexOf('\t');
                recorded.put(tab < 0 ? line.trim() : line.substring(0, tab).trim(),
                        tab < 0 ? "" : line.substring(tab + 1).trim());
            }
        }
        return recorded;
    }

    /** The list -Dtck.record-baseline=true writes: the header with the executed count, then a line per failure. */
    private static String recorded(String database, Run run) {
        StringBuilder list = new StringBuilder("# Tests failing through WildFly's own datasource on " + database
                + " (./mvnw verify -Ptck,tck-baseline -Dtck.record-baseline=true): " + run.executed
                + " executed.\n# Each line: the test, a tab, how it failed (FailureSignature: the failsafe report's"
                + " type and message, and the root cause the TCK's trace logged, normalized).\n");
        run.failed.forEach((id, signature) -> list.append(id).append('\t').append(signature).append('\n'));
        return list.toString();
    }

    /**
     * One run through our pool against its baseline. A test failing on both sides is masked only if it fails the
     * same way: the same signature, or a baseline line without one (maskedById, matched by id only).
     */
    record Comparison(Set<String> onlyHere, SortedMap<String, Difference> differently, Set<String> maskedById,
            Set<String> passingHere) {
        static Comparison of(SortedMap<String, String> baseline, SortedMap<String, String> ours, Set<String> ran) {
            Set<String> onlyHere = new TreeSet<>(ours.keySet());
            onlyHere.removeAll(baseline.keySet());
            SortedMap<String, Difference> differently = new TreeMap<>();
            Set<String> maskedById = new TreeSet<>();
            for (Map.Entry<String, String> failure : ours.entrySet()) {
                String expected = baseline.get(failure.getKey());
                if (expected == null) {
                    continue;
                }
                if (expected.isEmpty()) {
                    maskedById.add(failure.getKey());
                } else if (!expected.equals(failure.getValue())) {
                    differently.put(failure.getKey(), new Difference(expected, failure.getValue()));
                }
            }
            Set<String> passingHere = new TreeSet<>(baseline.keySet());
            passingHere.removeAll(ours.keySet());
            passingHere.retainAll(ran);
            return new Comparison(onlyHere, differently, maskedById, passingHere);
        }

        /** What fails the gate, each naming the run and the tests (and for a changed failure, both failures). */
        List<String> problems(String run) {
            List<String> problems = new ArrayList<>();
            if (!onlyHere.isEmpty()) {
                problems.add(run + ": " + onlyHere.size() + " failing through our pool only: " + onlyHere);
            }
            differently.forEach((id, difference) -> problems.add(run + ": " + id + " fails differently through our"
                    + " pool than through the baseline: baseline \"" + difference.baseline() + "\", ours \""
                    + difference.ours() + "\""));
            return problems;
        }
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

    /** The signatures of one test's failure through the baseline and through our pool. */
    record Difference(String baseline, String ours) {
    }

    /**
     * One run's results, as failsafe's XML reports have them: test ids are Class#method, each failed one with the
     * signature of its failure (or error) element and the root cause in the class's output file (TckTrace).
     */
    private record Run(int executed, int skipped, SortedMap<String, String> failed, Set<String> ran) {
        static Run read(Path reports) throws Exception {
            int executed = 0;
            int skipped = 0;
            SortedMap<String, String> failed = new TreeMap<>();
            Set<String> ran = new TreeSet<>();
            List<Path> files;
            try (Stream<Path> list = Files.list(reports)) {
                files = list.filter(f -> f.getFileName().toString().startsWith("TEST-")
                        && f.toString().endsWith(".xml")).sorted().toList();
            }
            for (Path file : files) {
                String testClass = file.getFileName().toString().replaceFirst("^TEST-(.*)\\.xml$", "$1");
                Map<String, String> rootCauses = TckTrace.rootCauses(reports.resolve(testClass + "-output.txt"));
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
                    NodeList failure = test.getElementsByTagName("failure");
                    if (failure.getLength() == 0) {
                        failure = test.getElementsByTagName("error");
                    }
                    if (failure.getLength() > 0) {
                        Element first = (Element) failure.item(0);
                        failed.put(id, FailureSignature.of(first.getAttribute("type"), first.getAttribute("message"),
                                rootCauses.get(test.getAttribute("name"))));
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
