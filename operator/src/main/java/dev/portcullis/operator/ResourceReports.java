package dev.portcullis.operator;

import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Joins the newest build with what the fleet runs into one {@link ResourceReport} per resource, and
 * asks for a reconciliation of exactly those resources whose report changed: after a build, only
 * the resources that changed (and those whose fleet state moved); after an acknowledgement, only
 * the resources that gateway now runs differently.
 *
 * <p>{@link #refresh} runs on the snapshot builder's thread, one at a time; {@link #report} may be
 * called from any reconciler thread.
 */
final class ResourceReports {
  private final Fleet fleet;
  private final Consumer<ResourceRef> trigger;
  private volatile SnapshotBuild build;
  private final Map<ResourceRef, String> introducedIn = new ConcurrentHashMap<>();
  private volatile Map<ResourceRef, ResourceReport> lastReported = Map.of();

  ResourceReports(Fleet fleet, Consumer<ResourceRef> trigger) {
    this.fleet = fleet;
    this.trigger = trigger;
  }

  /** Takes a new build: remembers in which version each resource first appeared as it is now. */
  void onBuild(SnapshotBuild next) {
    SnapshotBuild previous = build;
    for (Map.Entry<ResourceRef, Object> e : next.records().entrySet()) {
      Object before = previous == null ? null : previous.records().get(e.getKey());
      if (!e.getValue().equals(before) || !introducedIn.containsKey(e.getKey())) {
        introducedIn.put(e.getKey(), next.version());
      }
    }
    introducedIn.keySet().retainAll(next.records().keySet());
    build = next;
  }

  /** The report of one resource, or empty when no build has seen it yet. */
  Optional<ResourceReport> report(ResourceRef ref) {
    SnapshotBuild current = build;
    if (current == null || !current.generations().containsKey(ref)) {
      return Optional.empty();
    }
    return Optional.of(report(ref, current, fleet.pods()));
  }

  private ResourceReport report(ResourceRef ref, SnapshotBuild current, List<Fleet.Pod> pods) {
    Object record = current.records().get(ref);
    List<Problem> problems = current.problems().getOrDefault(ref, List.of());
    int synced = 0;
    List<String> rejections = new ArrayList<>();
    if (record != null) {
      for (Fleet.Pod pod : pods) {
        Object running = fleet.records(pod.runningVersion()).get(ref);
        if (record.equals(running)) {
          synced++;
        } else if (pod.rejectedVersion() != null
            && record.equals(fleet.records(pod.rejectedVersion()).get(ref))) {
          rejections.add(pod.name() + ": " + pod.rejection());
        }
      }
    }
    return new ResourceReport(
        current.generations().get(ref),
        problems,
        record == null ? null : introducedIn.get(ref),
        synced,
        pods.size(),
        rejections,
        record);
  }

  /** Recomputes every report and triggers a reconciliation of each one that changed. */
  void refresh() {
    SnapshotBuild current = build;
    if (current == null) {
      return;
    }
    List<Fleet.Pod> pods = fleet.pods();
    Map<ResourceRef, ResourceReport> now = new HashMap<>();
    for (ResourceRef ref : current.generations().keySet()) {
      now.put(ref, report(ref, current, pods));
    }
    Map<ResourceRef, ResourceReport> before = lastReported;
    lastReported = now;
    now.forEach(
        (ref, report) -> {
          if (!Objects.equals(before.get(ref), report)) {
            trigger.accept(ref);
          }
        });
  }

  /** Forgets what was reported, so the next refresh triggers every resource (new leader). */
  void forget() {
    lastReported = Map.of();
  }
}
