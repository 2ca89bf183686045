package dev.portcullis.operator.controller;

import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.fleet.NotEnforced;
import dev.portcullis.operator.fleet.Fleet;
import dev.portcullis.operator.snapshot.SnapshotBuild;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
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
public final class ResourceReports {
  private final Fleet fleet;
  private final Consumer<ResourceRef> trigger;
  private volatile SnapshotBuild build;
  private final Map<ResourceRef, String> introducedIn = new ConcurrentHashMap<>();
  private volatile Map<ResourceRef, ResourceReport> lastReported = Map.of();
  private final AtomicBoolean refreshQueued = new AtomicBoolean();
  // only touched by refresh, which runs on one thread
  private final Map<String, Differing> differingCache = new HashMap<>();

  public ResourceReports(Fleet fleet, Consumer<ResourceRef> trigger) {
    this.fleet = fleet;
    this.trigger = trigger;
  }

  /** Takes a new build: remembers in which version each resource first appeared as it is now. */
  public void onBuild(SnapshotBuild next) {
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
  public Optional<ResourceReport> report(ResourceRef ref) {
    SnapshotBuild current = build;
    if (current == null || !current.generations().containsKey(ref)) {
      return Optional.empty();
    }
    return Optional.of(report(ref, current, fleet.allPods()));
  }

  private ResourceReport report(ResourceRef ref, SnapshotBuild current, List<Fleet.Pod> pods) {
    Object record = current.records().get(ref);
    List<Problem> problems = current.problems().getOrDefault(ref, List.of());
    int synced = 0;
    List<String> rejections = new ArrayList<>();
    List<String> notEnforced = new ArrayList<>();
    if (record != null) {
      for (Fleet.Pod pod : pods) {
        Object running = fleet.records(pod.runningVersion()).get(ref);
        if (record.equals(running)) {
          String unenforced = notEnforcedOn(pod, ref);
          if (unenforced == null) {
            synced++;
          } else {
            notEnforced.add(unenforced);
          }
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
        record,
        notEnforced);
  }

  /** "pod (lacks ...): reason" when {@code pod} cannot enforce {@code ref}, else null. */
  private static String notEnforcedOn(Fleet.Pod pod, ResourceRef ref) {
    for (NotEnforced entry : pod.notEnforced()) {
      if (ref.kind().equals(entry.kind())
          && (ref.namespace() + "/" + ref.name()).equals(entry.name())) {
        return describe(pod, entry);
      }
    }
    return null;
  }

  private static String describe(Fleet.Pod pod, NotEnforced entry) {
    return pod.name() + " (lacks " + String.join(", ", entry.missing()) + "): " + entry.reason();
  }

  /**
   * Queues one {@link #refresh} on {@code serial}; requests made while one is queued ride along
   * with it. Every connect and acknowledgement asks for a refresh, and a fleet of 20 answering a
   * new version must not queue 20 full refreshes ahead of the next snapshot build.
   */
  public void requestRefresh(Executor serial) {
    if (refreshQueued.compareAndSet(false, true)) {
      serial.execute(
          () -> {
            refreshQueued.set(false);
            refresh();
          });
    }
  }

  /**
   * Recomputes every report and triggers a reconciliation of each one that changed.
   *
   * <p>Gateways are grouped by the version they run (usually one or two versions for the whole
   * fleet), and which records of a version differ from the current build is worked out once per
   * version and build. So a refresh costs one pass over the resources per distinct version, not one
   * record comparison per resource and gateway (240,000 for 12,000 resources and 20 gateways).
   */
  public void refresh() {
    SnapshotBuild current = build;
    if (current == null) {
      return;
    }
    List<Fleet.Pod> pods = fleet.allPods();
    Map<String, Integer> podsRunning = new HashMap<>();
    for (Fleet.Pod pod : pods) {
      if (pod.runningVersion() != null) {
        podsRunning.merge(pod.runningVersion(), 1, Integer::sum);
      }
    }
    Map<String, Set<ResourceRef>> differing = new HashMap<>();
    podsRunning.keySet().forEach(v -> differing.put(v, differingIn(v, current)));
    for (Fleet.Pod pod : pods) {
      if (pod.rejectedVersion() != null) {
        differing.computeIfAbsent(pod.rejectedVersion(), v -> differingIn(v, current));
      }
    }
    // Usually empty: only gateways lacking a capability some resource needs list entries.
    Map<ResourceRef, List<String>> notEnforced = new HashMap<>();
    for (Fleet.Pod pod : pods) {
      if (pod.runningVersion() == null) {
        continue;
      }
      for (NotEnforced entry : pod.notEnforced()) {
        int slash = entry.name().indexOf('/');
        if (slash < 0) {
          continue;
        }
        ResourceRef ref =
            new ResourceRef(
                entry.kind(), entry.name().substring(0, slash), entry.name().substring(slash + 1));
        // Only where the pod runs the resource as it is now; otherwise it is not synced anyway.
        if (current.records().containsKey(ref)
            && !differing.get(pod.runningVersion()).contains(ref)) {
          notEnforced.computeIfAbsent(ref, r -> new ArrayList<>()).add(describe(pod, entry));
        }
      }
    }
    Map<ResourceRef, ResourceReport> now = new HashMap<>();
    for (Map.Entry<ResourceRef, Long> e : current.generations().entrySet()) {
      ResourceRef ref = e.getKey();
      Object record = current.records().get(ref);
      int synced = 0;
      List<String> rejections = new ArrayList<>();
      List<String> unenforced = notEnforced.getOrDefault(ref, List.of());
      if (record != null) {
        for (Map.Entry<String, Integer> running : podsRunning.entrySet()) {
          if (!differing.get(running.getKey()).contains(ref)) {
            synced += running.getValue();
          }
        }
        synced -= unenforced.size();
        for (Fleet.Pod pod : pods) {
          if (pod.rejectedVersion() != null
              && (pod.runningVersion() == null || differing.get(pod.runningVersion()).contains(ref))
              && !differing.get(pod.rejectedVersion()).contains(ref)) {
            rejections.add(pod.name() + ": " + pod.rejection());
          }
        }
      }
      now.put(
          ref,
          new ResourceReport(
              e.getValue(),
              current.problems().getOrDefault(ref, List.of()),
              record == null ? null : introducedIn.get(ref),
              synced,
              pods.size(),
              rejections,
              record,
              unenforced));
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

  /**
   * The resources of the current build that {@code version} does not carry as they are now (left
   * out there, or with another record). Cached per build: a version's records never change.
   */
  private Set<ResourceRef> differingIn(String version, SnapshotBuild current) {
    Differing cached = differingCache.get(version);
    if (cached != null && cached.build() == current) {
      return cached.refs();
    }
    Map<ResourceRef, Object> theirs = fleet.records(version);
    Set<ResourceRef> refs = new HashSet<>();
    current
        .records()
        .forEach(
            (ref, record) -> {
              Object their = theirs.get(ref);
              if (their != record && !record.equals(their)) {
                refs.add(ref);
              }
            });
    differingCache.keySet().removeIf(v -> differingCache.get(v).build() != current);
    differingCache.put(version, new Differing(current, refs));
    return refs;
  }

  private record Differing(SnapshotBuild build, Set<ResourceRef> refs) {}

  /** Forgets what was reported, so the next refresh triggers every resource (new leader). */
  public void forget() {
    lastReported = Map.of();
  }
}
