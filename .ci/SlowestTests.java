import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Prints the slowest test classes of the last run, read from surefire's XML reports, so a
 * regression in the suite's time shows at the end of every CI log. A single-file program:
 * {@code java .ci/SlowestTests.java [reports-dir] [count] [since-epoch-seconds]}; reports written
 * before {@code since} (left by an earlier run) are skipped.
 */
public class SlowestTests {

    private static final Pattern SUITE = Pattern.compile("<testsuite\\b[^>]*>");
    private static final Pattern ATTR = Pattern.compile("\\b(name|time|tests)=\"([^\"]*)\"");

    record Suite(String name, double seconds, int tests) {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/surefire-reports");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        long sinceMillis = args.length > 2 ? Long.parseLong(args[2]) * 1000 : 0;
        if (!Files.isDirectory(dir)) {
            System.out.println("[slowest] no test reports in " + dir);
            return;
        }
        List<Suite> suites = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).toList()) {
                if (Files.getLastModifiedTime(f).toMillis() < sinceMillis) {
                    continue;
                }
                Matcher m = SUITE.matcher(Files.readString(f));
                if (!m.find()) {
                    continue;
                }
                String name = null;
                double seconds = 0;
                int tests = 0;
                Matcher a = ATTR.matcher(m.group());
                while (a.find()) {
                    switch (a.group(1)) {
                        case "name" -> name = a.group(2);
                        case "time" -> seconds = Double.parseDouble(a.group(2).replace(",", ""));
                        case "tests" -> tests = Integer.parseInt(a.group(2));
                        default -> { }
                    }
                }
                suites.add(new Suite(name, seconds, tests));
            }
        }
        suites.sort(Comparator.comparingDouble(Suite::seconds).reversed());
        double total = suites.stream().mapToDouble(Suite::seconds).sum();
        System.out.printf("[slowest] %d test classes, %.1f s in total (summed over forks); the %d slowest:%n",
                suites.size(), total, Math.min(count, suites.size()));
        for (Suite s : suites.subList(0, Math.min(count, suites.size()))) {
            System.out.printf("[slowest] %8.1f s %4d tests  %s%n", s.seconds(), s.tests(), s.name());
        }
    }
}
