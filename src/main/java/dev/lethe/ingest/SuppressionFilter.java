package dev.lethe.ingest;

import dev.lethe.suppression.SuppressionStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Drops the items (events, profile updates) that name an id under a suppression, and counts
 * them against it. A project without suppressions costs one indexed query per batch.
 */
public final class SuppressionFilter {

    /** The items kept, per project, and what was dropped: (project, suppressed id) -> count. */
    public record Kept<T>(Map<Long, List<T>> byProject, Map<Map.Entry<Long, String>, Integer> droppedById) {
        public int dropped() {
            return droppedById.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final SuppressionStore suppressions;

    public SuppressionFilter(SuppressionStore suppressions) {
        this.suppressions = suppressions;
    }

    public <T> Kept<T> filter(Map<Long, List<T>> byProject, Function<T, Set<String>> idsOf) {
        Map<Long, List<T>> kept = new LinkedHashMap<>();
        Map<Map.Entry<Long, String>, Integer> dropped = new HashMap<>();
        for (Map.Entry<Long, List<T>> project : byProject.entrySet()) {
            long projectId = project.getKey();
            if (!suppressions.hasAny(projectId)) {
                kept.put(projectId, project.getValue());
                continue;
            }
            Set<String> all = new HashSet<>();
            project.getValue().forEach(item -> all.addAll(idsOf.apply(item)));
            Set<String> suppressed = suppressions.suppressedAmong(projectId, all);
            List<T> keep = new ArrayList<>();
            for (T item : project.getValue()) {
                String hit = idsOf.apply(item).stream().filter(suppressed::contains).findFirst().orElse(null);
                if (hit == null) {
                    keep.add(item);
                } else {
                    dropped.merge(Map.entry(projectId, hit), 1, Integer::sum);
                }
            }
            kept.put(projectId, keep);
        }
        return new Kept<>(kept, dropped);
    }

    public void countDropped(Kept<?> kept) {
        kept.droppedById().forEach((key, n) -> suppressions.countDropped(key.getKey(), key.getValue(), n));
    }
}
