package dev.lethe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures of one run, rendered as the markdown the command prints and writes. */
final class BenchReport {

    /** How a figure is judged against its target. */
    enum Goal { NONE, AT_MOST_RATIO, AT_LEAST_VALUE, AT_MOST_VALUE }

    /**
     * @param baseline the value the ratio is taken against, or NaN when there is none
     * @param target   the goal, a ratio or a value depending on {@code goal}
     */
    record Row(String figure, double value, String unit, double baseline, Goal goal, double target) {
        double ratio() {
            return Double.isNaN(baseline) || baseline == 0 ? Double.NaN : value / baseline;
        }

        /** Null when the figure has no target. */
        Boolean met() {
            return switch (goal) {
                case NONE -> null;
                case AT_MOST_RATIO -> ratio() <= target;
                case AT_LEAST_VALUE -> value >= target;
                case AT_MOST_VALUE -> value <= target;
            };
        }

        String targetText() {
            return switch (goal) {
                case NONE -> "";
                case AT_MOST_RATIO -> "≤ " + num(target) + "x";
                case AT_LEAST_VALUE -> "≥ " + num(target) + " " + unit;
                case AT_MOST_VALUE -> "≤ " + num(target) + " " + unit;
            };
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> facts = new ArrayList<>();

    void add(Row row) {
        rows.add(row);
    }

    /** Puts {@code updated} where {@code old} was, e.g. once its baseline is known. */
    void replace(Row old, Row updated) {
        rows.set(rows.indexOf(old), updated);
    }

    void info(String name, double value, String unit) {
        rows.add(new Row(name, value, unit, Double.NaN, Goal.NONE, Double.NaN));
    }

    /** A line about the machine or the command, written above the table. */
    void fact(String line) {
        facts.add(line);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    Row row(String figure) {
        return rows.stream().filter(r -> r.figure().equals(figure)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no figure " + figure));
    }

    String markdown() {
        StringBuilder out = new StringBuilder("# Lethe benchmark\n\n");
        for (String f : facts) {
            out.append("- ").append(f).append('\n');
        }
        out.append("\n| figure | value | unit | baseline | ratio | target | met? |\n|---|---:|---|---:|---:|---|---|\n");
        for (Row r : rows) {
            Boolean met = r.met();
            out.append("| ").append(r.figure())
                    .append(" | ").append(num(r.value()))
                    .append(" | ").append(r.unit())
                    .append(" | ").append(Double.isNaN(r.baseline()) ? "" : num(r.baseline()))
                    .append(" | ").append(Double.isNaN(r.ratio()) ? "" : String.format(Locale.ROOT, "%.2fx", r.ratio()))
                    .append(" | ").append(r.targetText())
                    .append(" | ").append(met == null ? "" : met ? "yes" : "**no**")
                    .append(" |\n");
        }
        return out.toString();
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%.2f", v);
    }
}
