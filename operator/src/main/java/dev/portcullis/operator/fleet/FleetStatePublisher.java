package dev.portcullis.operator.fleet;

import dev.portcullis.operator.usage.PromptResultsRollup;
import dev.portcullis.operator.usage.UsageRollup;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Publishes this replica's part of the fleet ({@link FleetState}) in a ConfigMap of its own in the
 * Lease namespace, {@code portcullis-fleet-<identity>}, for the leader to count in status ({@link
 * RemoteFleet}): the gateways connected here and the usage figures and prompt template results
 * reported here.
 *
 * <ul>
 *   <li>A change of the connected gateways (connect, disconnect, ACK, NACK) is written within a
 *       second, at most one write per second (the latest state wins).
 *   <li>Every {@code heartbeat} the state is written again with a new {@code updatedAt}, so readers
 *       can tell a live replica from a dead one; usage figures ride along with it (status shows
 *       usage at most once per {@code --usage-status-interval} anyway).
 *   <li>The JSON is gzipped into {@code binaryData}. If it still exceeds {@code maxBytes} (below
 *       the API server's 1 MiB object limit), the prompt results are left out, then the usage of
 *       the least recently changed keys, with a warning.
 *   <li>On a clean stop the figures are written once more and the ConfigMap deleted, so the leader
 *       drops this replica's gateways at once.
 * </ul>
 */
public final class FleetStatePublisher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(FleetStatePublisher.class.getName());

  /** Below the API server's 1 MiB object limit, with room for metadata and base64. */
  public static final int MAX_BYTES = 900 * 1024;

  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  private static final int MAX_REJECTION = 2_000;

  private final KubernetesClient client;
  private final String namespace;
  private final String identity;
  private final String name;
  private final Fleet fleet;
  private final UsageRollup received;
  private final PromptResultsRollup receivedPrompts;
  private final Duration heartbeat;
  private final Clock clock;
  private final int maxBytes;
  private final ScheduledExecutorService timer;
  private final AtomicBoolean writeQueued = new AtomicBoolean();
  private volatile boolean closed;
  // only touched on the timer thread
  private final SequencedSet<String> keysByChange = new LinkedHashSet<>();
  private final Map<String, FleetState.PodState> lastPods = new HashMap<>();
  private Instant lastWrite = Instant.EPOCH;
  private String resourceVersion;
  private int lastDropped;
  private boolean lastDroppedPrompts;

  /**
   * @param received the usage reports posted to this replica only (not those taken in from others)
   * @param receivedPrompts the prompt results of those reports
   */
  public FleetStatePublisher(
      KubernetesClient client,
      String namespace,
      String identity,
      Fleet fleet,
      UsageRollup received,
      PromptResultsRollup receivedPrompts,
      Duration heartbeat,
      Clock clock,
      int maxBytes) {
    this.client = client;
    this.namespace = namespace;
    this.identity = identity;
    this.name = FleetState.configMapName(identity);
    this.fleet = fleet;
    this.received = received;
    this.receivedPrompts = receivedPrompts;
    this.heartbeat = heartbeat;
    this.clock = clock;
    this.maxBytes = maxBytes;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("portcullis-fleet-state").unstarted(r));
  }

  public String configMapName() {
    return name;
  }

  /** Writes the state now and then every heartbeat. */
  public void start() {
    long every = heartbeat.toMillis();
    timer.scheduleWithFixedDelay(this::writeSafely, 0, every, TimeUnit.MILLISECONDS);
  }

  /** The connected gateways changed: write within {@link #MIN_INTERVAL}, the latest state wins. */
  public void fleetChanged() {
    if (closed || !writeQueued.compareAndSet(false, true)) {
      return;
    }
    try {
      timer.execute(
          () -> {
            long wait = Duration.between(clock.instant(), lastWrite.plus(MIN_INTERVAL)).toMillis();
            if (wait > 0) {
              timer.schedule(this::writeQueuedChange, wait, TimeUnit.MILLISECONDS);
            } else {
              writeQueuedChange();
            }
          });
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  private void writeQueuedChange() {
    writeQueued.set(false); // changes from here on queue another write
    writeSafely();
  }

  private void writeSafely() {
    if (closed) {
      return;
    }
    try {
      write(fleet.pods());
    } catch (RuntimeException e) {
      // The next change or heartbeat tries again. The message names the ConfigMap, no contents.
      LOG.warning("could not write fleet state ConfigMap " + namespace + "/" + name + ": " + e);
    }
  }

  private void write(List<Fleet.Pod> pods) {
    Instant now = clock.instant();
    for (String key : received.takeChanged()) {
      keysByChange.remove(key);
      keysByChange.addLast(key);
    }
    List<FleetState.InstancePrompts> prompts = new ArrayList<>();
    receivedPrompts
        .export()
        .forEach(
            (instance, versions) ->
                prompts.add(new FleetState.InstancePrompts(instance, versions)));
    Encoded encoded =
        encode(identity, now, podStates(pods, now), usageByChange(), prompts, maxBytes);
    if (encoded.droppedPrompts() && !lastDroppedPrompts) {
      LOG.warning(
          "fleet state of replica "
              + identity
              + " would exceed "
              + maxBytes / 1024
              + " KiB: left out its prompt template results (the leader keeps what it has already"
              + " seen)");
    }
    lastDroppedPrompts = encoded.droppedPrompts();
    if (encoded.droppedKeys() != lastDropped && encoded.droppedKeys() > 0) {
      LOG.warning(
          "fleet state of replica "
              + identity
              + " would exceed "
              + maxBytes / 1024
              + " KiB: left out the usage of the "
              + encoded.droppedKeys()
              + " least recently changed keys (the leader keeps what it has already seen)");
    }
    lastDropped = encoded.droppedKeys();
    store(encoded.bytes());
    lastWrite = now;
  }

  /** The pods as published, each with the time its state last changed here. */
  private List<FleetState.PodState> podStates(List<Fleet.Pod> pods, Instant now) {
    List<FleetState.PodState> states = new ArrayList<>();
    Map<String, FleetState.PodState> seen = new HashMap<>();
    for (Fleet.Pod pod : pods) {
      String rejection = pod.rejection();
      if (rejection != null && rejection.length() > MAX_REJECTION) {
        rejection = rejection.substring(0, MAX_REJECTION) + " …";
      }
      FleetState.PodState before = lastPods.get(pod.name());
      FleetState.PodState state =
          new FleetState.PodState(
              pod.name(),
              pod.runningVersion(),
              pod.rejectedVersion(),
              rejection,
              now.toString(),
              pod.notEnforced());
      if (before != null
          && Objects.equals(before.runningVersion(), state.runningVersion())
          && Objects.equals(before.rejectedVersion(), state.rejectedVersion())
          && Objects.equals(before.rejection(), state.rejection())
          && Objects.equals(before.notEnforced(), state.notEnforced())) {
        state = before;
      }
      seen.put(pod.name(), state);
      states.add(state);
    }
    lastPods.clear();
    lastPods.putAll(seen);
    return states;
  }

  /** Every key's figures, the least recently changed first. */
  private List<FleetState.Usage> usageByChange() {
    Map<String, FleetState.Usage> all = received.export();
    List<FleetState.Usage> ordered = new ArrayList<>(all.size());
    // Keys not seen changing (none, normally) count as the oldest.
    all.forEach(
        (key, usage) -> {
          if (!keysByChange.contains(key)) {
            ordered.add(usage);
          }
        });
    keysByChange.removeIf(key -> !all.containsKey(key));
    for (String key : keysByChange) {
      ordered.add(all.get(key));
    }
    return ordered;
  }

  /**
   * @param droppedPrompts whether the prompt results were left out
   */
  public record Encoded(byte[] bytes, int droppedKeys, boolean droppedPrompts) {}

  /**
   * The state gzipped; if over {@code maxBytes}, without the prompt results, then without the usage
   * of as many of the first (least recently changed) keys as it takes.
   */
  public static Encoded encode(
      String identity,
      Instant now,
      List<FleetState.PodState> pods,
      List<FleetState.Usage> usageOldestFirst,
      List<FleetState.InstancePrompts> prompts,
      int maxBytes) {
    if (!prompts.isEmpty()) {
      byte[] bytes =
          new FleetState(identity, now.toString(), pods, usageOldestFirst, prompts).gzip();
      if (bytes.length <= maxBytes) {
        return new Encoded(bytes, 0, false);
      }
    }
    int dropped = 0;
    while (true) {
      List<FleetState.Usage> kept = usageOldestFirst.subList(dropped, usageOldestFirst.size());
      byte[] bytes = new FleetState(identity, now.toString(), pods, kept).gzip();
      if (bytes.length <= maxBytes || kept.isEmpty()) {
        return new Encoded(bytes, dropped, !prompts.isEmpty());
      }
      // Keep the share of keys that should fit, a little less, and at least one fewer.
      double fits = (double) maxBytes / bytes.length * 0.95;
      int keep = Math.min(kept.size() - 1, (int) (kept.size() * fits));
      dropped = usageOldestFirst.size() - Math.max(0, keep);
    }
  }

  /** Writes the ConfigMap: an update with the last known resourceVersion, else creates it. */
  private void store(byte[] gzipped) {
    ConfigMap map =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(FleetState.COMPONENT_LABEL, FleetState.COMPONENT)
            .addToLabels(FleetState.REPLICA_LABEL, FleetState.labelValue(identity))
            .addToLabels("app.kubernetes.io/managed-by", "portcullis-operator")
            .withResourceVersion(resourceVersion)
            .endMetadata()
            .addToBinaryData(FleetState.DATA_KEY, Base64.getEncoder().encodeToString(gzipped))
            .build();
    var configMaps = client.configMaps().inNamespace(namespace);
    ConfigMap written;
    try {
      written =
          resourceVersion == null
              ? configMaps.resource(map).create()
              : configMaps.resource(map).update();
    } catch (KubernetesClientException e) {
      int code = e.getCode();
      if (code != HttpURLConnection.HTTP_CONFLICT && code != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      // Created before this process started, changed by someone else, or removed as stale while
      // this replica was cut off: write it as it should be.
      map.getMetadata().setResourceVersion(null);
      written =
          configMaps.withName(name).get() == null
              ? configMaps.resource(map).create()
              : configMaps.resource(map).update();
    }
    resourceVersion = written.getMetadata().getResourceVersion();
  }

  /** Writes the usage figures once more, then deletes the ConfigMap. */
  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
      write(List.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warning("could not write the final fleet state of " + identity + ": " + e);
    }
    try {
      client.configMaps().inNamespace(namespace).withName(name).delete();
    } catch (RuntimeException e) {
      LOG.warning("could not delete fleet state ConfigMap " + namespace + "/" + name + ": " + e);
    }
  }
}
