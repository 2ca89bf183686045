package dev.portcullis.operator.fleet;

import dev.portcullis.operator.usage.PromptResultsRollup;
import dev.portcullis.operator.usage.UsageRollup;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The gateways connected to the other operator replicas and the usage reported to them, read from
 * their fleet-state ConfigMaps ({@link FleetStatePublisher}) with an informer on the Lease
 * namespace. {@link Fleet#allPods} adds these pods to the ones connected here, so status counts the
 * whole fleet; their usage figures go into the same {@link UsageRollup} as the reports posted here,
 * and their prompt template results into the same {@link PromptResultsRollup}.
 *
 * <ul>
 *   <li>A ConfigMap whose {@code updatedAt} is older than three heartbeats is ignored: that replica
 *       died without deleting it. A timer looks every heartbeat, so its pods leave the count
 *       without any event. After {@code forgetAfter} the ConfigMap is deleted (with its
 *       resourceVersion as precondition, so a replica that writes again in between keeps it).
 *   <li>A pod listed by two replicas (it moved, and the old one has not noticed yet) is taken from
 *       the one that saw its state change last; a pod connected here is always taken from here.
 *   <li>Usage figures are taken in when they differ from what was last taken in from that replica
 *       (max semantics make repeats harmless, but an old figure of a budget period the key no
 *       longer has would otherwise replace the new one every heartbeat). Prompt results likewise,
 *       per gateway instance: they are each instance's cumulative figures, combined by instance, so
 *       an instance that reported to two replicas (it reconnected) counts once.
 *   <li>Status compares a pod's running version's records with the current build ({@link
 *       Fleet#records}). Replicas build the same versions from the same cluster, and {@link Fleet}
 *       keeps the records of versions remote pods run. A version this replica never built (or
 *       dropped before it heard of the remote pod) has no records here, so that pod counts as not
 *       synced for every resource until it acknowledges a version this replica knows: conservative,
 *       never Programmed too early.
 * </ul>
 *
 * Every replica with leader election runs it, not just the leader: it costs a watch on a handful of
 * small objects, and a new leader starts with the whole fleet in view.
 */
public final class RemoteFleet implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RemoteFleet.class.getName());

  private final KubernetesClient client;
  private final String namespace;
  private final String ownName;
  private final UsageRollup rollup;
  private final PromptResultsRollup prompts;
  private final Duration heartbeat;
  private final Duration staleAfter;
  private final Duration forgetAfter;
  private final Clock clock;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer;
  private SharedIndexInformer<ConfigMap> informer;

  private record Remote(String configMap, String resourceVersion, FleetState state, Instant at) {}

  // guarded by this
  private final Map<String, Remote> remotes = new HashMap<>();
  private final Map<String, Map<String, FleetState.Usage>> usageTaken = new HashMap<>();
  private final Map<String, Map<String, FleetState.InstancePrompts>> promptsTaken = new HashMap<>();
  private Set<String> freshBefore = Set.of();

  /**
   * @param ownName this replica's ConfigMap, which is not read
   */
  public RemoteFleet(
      KubernetesClient client,
      String namespace,
      String ownName,
      UsageRollup rollup,
      PromptResultsRollup prompts,
      Duration heartbeat,
      Duration forgetAfter,
      Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.ownName = ownName;
    this.rollup = rollup;
    this.prompts = prompts;
    this.heartbeat = heartbeat;
    this.staleAfter = heartbeat.multipliedBy(3);
    this.forgetAfter = forgetAfter;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("portcullis-remote-fleet").unstarted(r));
  }

  /**
   * Calls {@code listener} whenever the remote pods may have changed (outside any lock). Status
   * subscribes to it; this class knows nothing of status.
   */
  public void subscribe(Runnable listener) {
    listeners.add(listener);
  }

  private void changed() {
    listeners.forEach(Runnable::run);
  }

  /** Lists and watches the other replicas' ConfigMaps; returns once the first list is in. */
  public void start() {
    informer =
        client
            .configMaps()
            .inNamespace(namespace)
            .withLabel(FleetState.COMPONENT_LABEL, FleetState.COMPONENT)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ConfigMap map) {
                    take(map);
                  }

                  @Override
                  public void onUpdate(ConfigMap before, ConfigMap after) {
                    take(after);
                  }

                  @Override
                  public void onDelete(ConfigMap map, boolean finalStateUnknown) {
                    remove(map.getMetadata().getName());
                  }
                },
                0);
    long every = Math.max(100, heartbeat.toMillis() / 2);
    timer.scheduleWithFixedDelay(this::lookSafely, every, every, TimeUnit.MILLISECONDS);
  }

  private void take(ConfigMap map) {
    String name = map.getMetadata().getName();
    if (name.equals(ownName)) {
      return;
    }
    FleetState state;
    Instant at;
    try {
      String data =
          map.getBinaryData() == null ? null : map.getBinaryData().get(FleetState.DATA_KEY);
      if (data == null) {
        throw new IOException("it has no binaryData " + FleetState.DATA_KEY);
      }
      state = FleetState.gunzip(Base64.getDecoder().decode(data));
      if (state.updatedAt() == null) {
        throw new IOException("it has no updatedAt");
      }
      at = Instant.parse(state.updatedAt());
    } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
      LOG.warning("ignoring fleet state ConfigMap " + namespace + "/" + name + ": " + e);
      remove(name);
      return;
    }
    boolean changed;
    synchronized (this) {
      boolean fresh = isFresh(at, clock.instant());
      Remote before =
          remotes.put(name, new Remote(name, map.getMetadata().getResourceVersion(), state, at));
      changed =
          before == null
              || !before.state().pods().equals(state.pods())
              || isFresh(before.at(), clock.instant()) != fresh;
      if (fresh) {
        takeUsage(name, state);
        takePrompts(name, state);
      }
    }
    if (changed) {
      changed();
    }
  }

  /** Takes in the figures of {@code state} that differ from what was taken from it before. */
  private void takeUsage(String name, FleetState state) {
    Map<String, FleetState.Usage> taken = usageTaken.computeIfAbsent(name, n -> new HashMap<>());
    for (FleetState.Usage usage : state.usage()) {
      if (usage.key() == null || usage.equals(taken.get(usage.key()))) {
        continue;
      }
      try {
        rollup.accept(usage);
        taken.put(usage.key(), usage);
      } catch (IllegalArgumentException e) {
        LOG.warning(
            "ignoring usage of "
                + usage.key()
                + " from replica "
                + state.replica()
                + ": "
                + e.getMessage());
      }
    }
  }

  /** Takes in each instance's prompt results that differ from what was taken from it before. */
  private void takePrompts(String name, FleetState state) {
    Map<String, FleetState.InstancePrompts> taken =
        promptsTaken.computeIfAbsent(name, n -> new HashMap<>());
    for (FleetState.InstancePrompts entry : state.prompts()) {
      if (entry.instance() == null || entry.equals(taken.get(entry.instance()))) {
        continue;
      }
      try {
        prompts.accept(entry.instance(), entry.versions());
        taken.put(entry.instance(), entry);
      } catch (IllegalArgumentException e) {
        LOG.warning(
            "ignoring prompt results of gateway instance "
                + entry.instance()
                + " from replica "
                + state.replica()
                + ": "
                + e.getMessage());
      }
    }
  }

  private void remove(String name) {
    boolean removed;
    synchronized (this) {
      removed = remotes.remove(name) != null;
      usageTaken.remove(name);
      promptsTaken.remove(name);
    }
    if (removed) {
      changed();
    }
  }

  private boolean isFresh(Instant updatedAt, Instant now) {
    return updatedAt.plus(staleAfter).isAfter(now);
  }

  private void lookSafely() {
    try {
      look();
    } catch (RuntimeException e) {
      LOG.warning("looking at the other replicas' fleet state failed: " + e);
    }
  }

  /** Notices replicas that went stale (no event says so), and deletes long-dead ConfigMaps. */
  public void look() {
    Instant now = clock.instant();
    Set<String> fresh = new TreeSet<>();
    List<Remote> dead = new ArrayList<>();
    boolean changed;
    synchronized (this) {
      for (Remote r : remotes.values()) {
        if (isFresh(r.at(), now)) {
          fresh.add(r.configMap());
        } else if (!r.at().plus(forgetAfter).isAfter(now)) {
          dead.add(r);
        }
      }
      changed = !fresh.equals(freshBefore);
      freshBefore = fresh;
    }
    for (Remote r : dead) {
      LOG.info(
          () ->
              "deleting fleet state ConfigMap "
                  + namespace
                  + "/"
                  + r.configMap()
                  + " of replica "
                  + r.state().replica()
                  + ", not updated since "
                  + r.at());
      try {
        client
            .configMaps()
            .inNamespace(namespace)
            .withName(r.configMap())
            .lockResourceVersion(r.resourceVersion())
            .delete();
      } catch (RuntimeException e) {
        // Written again meanwhile (conflict), or already gone: nothing to do.
        LOG.fine(() -> "could not delete " + r.configMap() + ": " + e);
      }
    }
    if (changed) {
      changed();
    }
  }

  /** The gateways of the other live replicas, one entry per pod, by name. */
  public List<Fleet.Pod> pods() {
    Instant now = clock.instant();
    List<FleetState> live = new ArrayList<>();
    synchronized (this) {
      for (Remote r : remotes.values()) {
        if (isFresh(r.at(), now)) {
          live.add(r.state());
        }
      }
    }
    return merge(live);
  }

  /**
   * The pods of several replicas' states, one entry per pod name: from the state that saw the pod's
   * state change last ({@code since}), then from the one written last.
   */
  public static List<Fleet.Pod> merge(Collection<FleetState> states) {
    record Candidate(FleetState.PodState pod, Instant since, Instant written) {
      boolean newerThan(Candidate o) {
        int bySince = since.compareTo(o.since);
        return bySince > 0 || (bySince == 0 && written.isAfter(o.written));
      }
    }
    Map<String, Candidate> best = new TreeMap<>();
    for (FleetState state : states) {
      Instant written = instant(state.updatedAt());
      for (FleetState.PodState pod : state.pods()) {
        if (pod.name() != null) {
          Candidate c = new Candidate(pod, instant(pod.since()), written);
          best.merge(pod.name(), c, (old, now) -> now.newerThan(old) ? now : old);
        }
      }
    }
    return best.values().stream().map(c -> c.pod().toPod()).toList();
  }

  private static Instant instant(String text) {
    try {
      return text == null ? Instant.EPOCH : Instant.parse(text);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  /** The replicas whose state is counted now (for tests and logs). */
  public synchronized Set<String> liveReplicas() {
    Instant now = clock.instant();
    Set<String> live = new TreeSet<>();
    remotes.values().stream()
        .filter(r -> isFresh(r.at(), now))
        .map(r -> Objects.requireNonNullElse(r.state().replica(), r.configMap()))
        .forEach(live::add);
    return live;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (informer != null) {
      informer.close();
    }
  }
}
