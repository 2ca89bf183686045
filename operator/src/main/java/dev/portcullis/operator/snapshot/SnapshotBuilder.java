package dev.portcullis.operator.snapshot;

import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.resolve.Resolution;
import dev.portcullis.api.resolve.ResourceSet;
import dev.portcullis.api.resolve.SnapshotResolver;
import dev.portcullis.operator.keys.KeySecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rebuilds the snapshot from the caches, debounced on the leading edge: a change after a quiet
 * spell (no build started within {@code debounce}) is built at once; a change while builds are
 * frequent schedules the next build {@code debounce} after the last one started, and every change
 * until then rides along. So a single edit reaches gateways without waiting, a burst (a {@code
 * kubectl apply -f dir/}) gives at most two builds, and no change waits longer than {@code
 * debounce} plus one build. Builds run one at a time on one thread; each result goes to {@code
 * onBuilt}, which decides whether the version is new.
 */
public final class SnapshotBuilder implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SnapshotBuilder.class.getName());

  /** A build slower than this is logged as a warning: changes reach gateways that much later. */
  private static final Duration SLOW_BUILD = Duration.ofSeconds(1);

  private final Supplier<ResourceSet> source;
  private final Duration debounce;
  private final Consumer<SnapshotBuild> onBuilt;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("portcullis-snapshot-builder").unstarted(r));
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicReference<SnapshotBuild> latest = new AtomicReference<>();
  private final AtomicReference<BuildTiming> latestTiming = new AtomicReference<>();
  private volatile long changeSeenAt;
  private volatile boolean open;
  private volatile long lastBuildStarted = System.nanoTime() - Duration.ofDays(1).toNanos();

  /**
   * When and how fast one build ran, on the {@link System#nanoTime} clock.
   *
   * @param version the version built
   * @param changeSeenAt when the first change this build answers was seen (an informer event)
   * @param started when the build started (after the debounce)
   * @param resolved when the resolver had finished
   * @param finished when the build was complete (the whole snapshot's JSON is written later, when a
   *     gateway connects)
   */
  public record BuildTiming(
      String version, long changeSeenAt, long started, long resolved, long finished) {
    public Duration buildTime() {
      return Duration.ofNanos(finished - started);
    }
  }

  public SnapshotBuilder(
      Supplier<ResourceSet> source, Duration debounce, Consumer<SnapshotBuild> onBuilt) {
    this.source = source;
    this.debounce = debounce;
    this.onBuilt = onBuilt;
  }

  /**
   * Lets builds run, and asks for the first. Until then requests are ignored: the caches are still
   * being filled and would give a partial configuration.
   */
  public void open() {
    open = true;
    requestBuild();
  }

  /** Asks for a build soon; cheap to call on every informer event. */
  public void requestBuild() {
    if (open && scheduled.compareAndSet(false, true)) {
      long now = System.nanoTime();
      changeSeenAt = now;
      long wait = Math.max(0, lastBuildStarted + debounce.toNanos() - now);
      executor.schedule(this::buildScheduled, wait, TimeUnit.NANOSECONDS);
    }
  }

  /** Runs {@code task} on the builder's thread, after any build in progress. */
  public void runSerially(Runnable task) {
    executor.execute(task);
  }

  private void buildScheduled() {
    long started = System.nanoTime();
    lastBuildStarted = started; // before a new request can see scheduled == false
    long seen = changeSeenAt;
    scheduled.set(false);
    try {
      Built built = buildTimed(source.get());
      SnapshotBuild build = built.build();
      BuildTiming timing =
          new BuildTiming(build.version(), seen, started, built.resolvedAt(), System.nanoTime());
      latestTiming.set(timing);
      LOG.log(
          timing.buildTime().compareTo(SLOW_BUILD) > 0 ? Level.WARNING : Level.FINE,
          () ->
              "built configuration "
                  + timing.version()
                  + " in "
                  + timing.buildTime().toMillis()
                  + " ms");
      latest.set(build);
      onBuilt.accept(build);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "could not build the configuration snapshot", e);
    }
  }

  /** How the newest build went, or null before the first. */
  public BuildTiming latestTiming() {
    return latestTiming.get();
  }

  /** The newest build, or null before the first. */
  public SnapshotBuild latest() {
    return latest.get();
  }

  /**
   * Resolves a resource set. VirtualKeys whose Secret exists but belongs to someone else are left
   * out before resolving: the resolver would otherwise hash whatever that Secret holds into a
   * working key.
   */
  public static SnapshotBuild build(ResourceSet set) {
    return buildTimed(set).build();
  }

  /** A build and when its resolver finished ({@link System#nanoTime}), for {@link BuildTiming}. */
  private record Built(SnapshotBuild build, long resolvedAt) {}

  private static Built buildTimed(ResourceSet set) {
    Map<String, Secret> secrets = new HashMap<>();
    for (Secret s : set.secrets()) {
      secrets.put(qualified(s), s);
    }
    Map<ResourceRef, List<Problem>> refused = new HashMap<>();
    List<VirtualKey> keys = new ArrayList<>();
    for (VirtualKey key : set.keys()) {
      String secretName = key.getSpec() == null ? null : key.getSpec().getSecretName();
      Secret secret =
          secretName == null ? null : secrets.get(Kinds.refOf(key).namespace() + "/" + secretName);
      if (secret != null && !KeySecrets.ownedBy(secret, key)) {
        refused.put(Kinds.refOf(key), List.of(notOwned(key, secret)));
      } else {
        keys.add(key);
      }
    }
    Resolution resolution =
        SnapshotResolver.resolve(
            new ResourceSet(set.routes(), keys, set.policies(), set.templates(), set.secrets()));
    long resolvedAt = System.nanoTime();
    Map<ResourceRef, List<Problem>> problems = new HashMap<>(resolution.problems());
    problems.putAll(refused);
    Map<ResourceRef, Long> generations = new HashMap<>();
    for (List<? extends HasMetadata> list :
        List.of(set.routes(), set.keys(), set.policies(), set.templates())) {
      for (HasMetadata r : list) {
        Long generation = r.getMetadata().getGeneration();
        generations.put(Kinds.refOf(r), generation == null ? 0L : generation);
      }
    }
    return new Built(
        new SnapshotBuild(
            resolution.snapshot(),
            SnapshotBuild.frozen(problems),
            SnapshotBuild.frozen(generations),
            SnapshotBuild.recordsOf(resolution.snapshot())),
        resolvedAt);
  }

  public static Problem notOwned(VirtualKey key, Secret secret) {
    return new Problem(
        "spec.secretName",
        "Secret "
            + qualified(secret)
            + " exists and is not owned by VirtualKey "
            + Kinds.refOf(key).namespace()
            + "/"
            + key.getMetadata().getName()
            + "; the operator never overwrites a Secret it did not create: delete that Secret or"
            + " choose another spec.secretName");
  }

  private static String qualified(HasMetadata r) {
    String namespace = r.getMetadata().getNamespace();
    return (namespace == null || namespace.isEmpty() ? "default" : namespace)
        + "/"
        + r.getMetadata().getName();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
