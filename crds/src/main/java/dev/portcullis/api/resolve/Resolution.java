package dev.portcullis.api.resolve;

import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.snapshot.Snapshot;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the resolver made of a {@link ResourceSet}: the snapshot of every resource that resolved
 * cleanly, and the problems of every resource that was left out. A resource appears in {@code
 * problems} if and only if it is not in the snapshot.
 *
 * @param problems by resource, sorted by kind, namespace and name; never an empty list as value
 */
public record Resolution(Snapshot snapshot, Map<ResourceRef, List<Problem>> problems) {
  private static final Comparator<ResourceRef> ORDER =
      Comparator.comparing(ResourceRef::kind)
          .thenComparing(ResourceRef::namespace)
          .thenComparing(ResourceRef::name);

  public Resolution {
    Objects.requireNonNull(snapshot, "snapshot");
    Map<ResourceRef, List<Problem>> sorted = new LinkedHashMap<>();
    problems.entrySet().stream()
        .filter(e -> !e.getValue().isEmpty())
        .sorted(Map.Entry.comparingByKey(ORDER))
        .forEach(e -> sorted.put(e.getKey(), List.copyOf(e.getValue())));
    problems = Collections.unmodifiableMap(sorted);
  }

  /** The problems of one resource; empty when it is in the snapshot (or unknown). */
  public List<Problem> problemsFor(ResourceRef resource) {
    return problems.getOrDefault(resource, List.of());
  }

  /** Whether every resource made it into the snapshot. */
  public boolean isClean() {
    return problems.isEmpty();
  }
}
