package dev.portcullis.operator;

import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.operator.controller.EventRecorder;
import dev.portcullis.operator.controller.GuardrailPolicyReconciler;
import dev.portcullis.operator.controller.LLMRouteReconciler;
import dev.portcullis.operator.controller.OperatorContext;
import dev.portcullis.operator.controller.PromptTemplateReconciler;
import dev.portcullis.operator.controller.ResourceReports;
import dev.portcullis.operator.controller.StatusTriggers;
import dev.portcullis.operator.controller.VirtualKeyReconciler;
import dev.portcullis.operator.fleet.ConfigService;
import dev.portcullis.operator.fleet.Fleet;
import dev.portcullis.operator.fleet.FleetState;
import dev.portcullis.operator.fleet.FleetStatePublisher;
import dev.portcullis.operator.fleet.FleetToken;
import dev.portcullis.operator.fleet.RemoteFleet;
import dev.portcullis.operator.keys.KeyMinter;
import dev.portcullis.operator.metrics.OperatorMetrics;
import dev.portcullis.operator.snapshot.Kinds;
import dev.portcullis.operator.snapshot.ResourceCaches;
import dev.portcullis.operator.snapshot.SnapshotBuild;
import dev.portcullis.operator.snapshot.SnapshotBuilder;
import dev.portcullis.operator.usage.PromptResultsRollup;
import dev.portcullis.operator.usage.UsageRollup;
import dev.portcullis.operator.usage.UsageStatusPublisher;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The running operator, wired together:
 *
 * <pre>
 * informers (ResourceCaches) ── any change ──> SnapshotBuilder (debounced)
 *     └─> resolve ──> Fleet.publish ──> ConfigService streams ──> gateways ──> ACK/NACK ──> Fleet
 *     └─> ResourceReports ── changed reports ──> StatusTriggers ──> reconcilers (leader) ──> status
 * gateways ── usage reports ──> UsageRollup ──> UsageStatusPublisher (bounded rate) ──> StatusTriggers
 * </pre>
 *
 * Every replica runs the caches, the builder and the config service; only the Lease holder runs the
 * reconcilers, which write status, mint keys and record Events. With leader election each replica
 * publishes its gateways and the usage and prompt results reported to it in a ConfigMap ({@link
 * FleetStatePublisher}) and reads the others' ({@link RemoteFleet}), so the leader's status covers
 * the whole fleet. Each build forgets the prompt results of templates and versions it no longer
 * serves, and the usage of keys deleted or re-created under the same name, on every replica.
 */
public final class PortcullisOperator implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PortcullisOperator.class.getName());

  private final ResourceCaches caches;
  private final SnapshotBuilder builder;
  private final Fleet fleet;
  private final UsageStatusPublisher usage;
  private final UsageRollup rollup;
  private final WebServer server;
  private final Operator operator;
  // Both null without leader election: a single replica sees the whole fleet itself.
  private final FleetStatePublisher fleetState;
  private final RemoteFleet remoteFleet;
  private final OperatorMetrics metrics = new OperatorMetrics();
  private int metricsPort = -1;

  private PortcullisOperator(
      KubernetesClient client, OperatorSettings settings, Clock clock, String identity)
      throws IOException {
    FleetToken token = new FleetToken(settings.fleetTokenFile());
    token.check();
    // Built in dependency order; events flow one way: caches -> builder -> fleet -> reports ->
    // triggers. Whoever needs to hear of a change subscribes to the part that changes.
    StatusTriggers triggers = new StatusTriggers();
    this.caches = new ResourceCaches(client, settings.namespaces());
    this.rollup = new UsageRollup(clock);
    String leaseNamespace =
        settings.leaseNamespace() != null
            ? settings.leaseNamespace()
            : client.getConfiguration().getNamespace();
    boolean severalReplicas = settings.leaderElection() && leaseNamespace != null;
    PromptResultsRollup promptResults = new PromptResultsRollup(clock);
    // Several replicas: what this replica's own gateways reported, published for the others.
    PromptResultsRollup promptsReceivedHere =
        severalReplicas ? new PromptResultsRollup(clock) : null;
    UsageRollup receivedHere = severalReplicas ? new UsageRollup(clock) : null;
    // Several replicas: each publishes its part of the fleet; all read the others' parts.
    this.remoteFleet =
        severalReplicas
            ? new RemoteFleet(
                client,
                leaseNamespace,
                FleetState.configMapName(identity),
                rollup,
                promptResults,
                settings.heartbeat(),
                settings.heartbeat().multipliedBy(30),
                clock)
            : null;
    this.fleet = remoteFleet == null ? new Fleet() : new Fleet(remoteFleet::pods);
    ResourceReports reports = new ResourceReports(fleet, triggers::trigger);
    this.builder =
        new SnapshotBuilder(
            caches::resourceSet,
            settings.debounce(),
            build -> {
              reports.onBuild(build);
              // Before publishing: the fleet-state write the new version causes leaves them out.
              Map<String, Set<String>> served = servedTemplateVersions(build);
              Map<String, String> templateUids =
                  servedUids(build.snapshot().templates(), PromptTemplateConfig::id);
              promptResults.retain(served, templateUids);
              if (promptsReceivedHere != null) {
                promptsReceivedHere.retain(served, templateUids);
              }
              Set<String> keys = existingKeys(build);
              Map<String, String> uids = servedUids(build.snapshot().keys(), KeyConfig::id);
              rollup.retain(keys, uids);
              if (receivedHere != null) {
                receivedHere.retain(keys, uids);
              }
              fleet.publish(build);
              metrics.snapshotBuilt(build);
              reports.refresh();
            });
    metrics.observe(fleet, builder::latestTiming);
    // Refreshes run on the builder's thread, never beside a build.
    Runnable refreshStatus = () -> reports.requestRefresh(builder::runSerially);
    fleet.subscribe(refreshStatus);

    EventRecorder events = new EventRecorder(client, clock);
    Consumer<UsageReport> usageReports =
        report -> {
          rollup.accept(report); // validates first: a malformed report is taken by neither
          promptResults.accept(report);
        };
    if (severalReplicas) {
      remoteFleet.subscribe(refreshStatus);
      this.fleetState =
          new FleetStatePublisher(
              client,
              leaseNamespace,
              identity,
              fleet,
              receivedHere,
              promptsReceivedHere,
              settings.heartbeat(),
              clock,
              FleetStatePublisher.MAX_BYTES);
      fleet.subscribe(fleetState::fleetChanged);
      usageReports =
          report -> {
            rollup.accept(report); // validates first: a malformed report is taken by neither
            promptResults.accept(report);
            receivedHere.accept(report);
            promptsReceivedHere.accept(report);
          };
    } else {
      this.fleetState = null;
    }
    this.usage =
        new UsageStatusPublisher(
            rollup, promptResults, settings.usageStatusInterval(), clock, triggers::trigger);
    OperatorContext context = new OperatorContext(client, reports, triggers, events, usage, clock);
    this.operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withMetrics(metrics.reconciliations())
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(false);
              if (settings.leaderElection()) {
                // Losing the Lease ends the process (unless embedded): a new leader must not race a
                // stale one writing status; the restarted pod rejoins as a follower.
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        OperatorSettings.LEASE_NAME,
                        settings.leaseNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        identity,
                        null,
                        settings.exitWhenLeaseLost()));
              }
            });
    operator.register(new LLMRouteReconciler(context), watching(settings, o -> {}));
    operator.register(
        new VirtualKeyReconciler(context, new KeyMinter(client, events, clock)),
        // Rotation is asked for by an annotation, which does not change the generation.
        watching(settings, o -> o.withGenerationAware(false)));
    operator.register(new GuardrailPolicyReconciler(context), watching(settings, o -> {}));
    operator.register(new PromptTemplateReconciler(context), watching(settings, o -> {}));

    this.server =
        configServer(settings, new ConfigService(fleet, usageReports, token, settings.heartbeat()));
  }

  /** The version names of each template ({@code namespace/name}) the build serves. */
  private static Map<String, Set<String>> servedTemplateVersions(SnapshotBuild build) {
    Map<String, Set<String>> served = new HashMap<>();
    for (PromptTemplateConfig t : build.snapshot().templates()) {
      Set<String> versions = new HashSet<>();
      t.versions().forEach(v -> versions.add(v.name()));
      served.put(t.id().qualifiedName(), versions);
    }
    return served;
  }

  /** Every VirtualKey ({@code namespace/name}) the build saw, in the snapshot or not. */
  private static Set<String> existingKeys(SnapshotBuild build) {
    Set<String> keys = new HashSet<>();
    build
        .generations()
        .keySet()
        .forEach(
            ref -> {
              if (ref.kind().equals(Kinds.KEY)) {
                keys.add(ref.namespace() + "/" + ref.name());
              }
            });
    return keys;
  }

  /** The uid of each served resource ({@code namespace/name}) of one kind, where it has one. */
  private static <C> Map<String, String> servedUids(List<C> served, Function<C, ResourceId> id) {
    Map<String, String> uids = new HashMap<>();
    for (C c : served) {
      ResourceId r = id.apply(c);
      if (r.uid() != null) {
        uids.put(r.qualifiedName(), r.uid());
      }
    }
    return uids;
  }

  /** Everything the resolver reads, as the caches hold it now (for the scale benchmark). */
  dev.portcullis.api.resolve.ResourceSet resourceSet() {
    return caches.resourceSet();
  }

  /** Starts caches, the config service and the reconcilers; returns when all are running. */
  public static PortcullisOperator start(KubernetesClient client, OperatorSettings settings)
      throws IOException {
    return start(client, settings, Clock.systemUTC());
  }

  static PortcullisOperator start(KubernetesClient client, OperatorSettings settings, Clock clock)
      throws IOException {
    return start(client, settings, clock, replicaIdentity());
  }

  /**
   * @param identity this replica's name in the Lease and its fleet-state ConfigMap (tests run
   *     several replicas in one process)
   */
  static PortcullisOperator start(
      KubernetesClient client, OperatorSettings settings, Clock clock, String identity)
      throws IOException {
    PortcullisOperator running = new PortcullisOperator(client, settings, clock, identity);
    running.caches.start(running.builder::requestBuild);
    if (running.remoteFleet != null) {
      running.remoteFleet.start();
    }
    // Builds wait until every cache holds its initial list: a build over the routes alone, while
    // the keys are still being listed, would be sent to reconnecting gateways as a configuration
    // without keys. An empty cluster still gets its (empty) snapshot here.
    running.builder.open();
    running.server.start();
    running.metricsPort = running.metrics.serve(settings.configHost(), settings.metricsPort());
    if (running.fleetState != null) {
      running.fleetState.start();
    }
    running.usage.start();
    running.operator.start();
    LOG.info(
        "Portcullis operator running; config service on port "
            + running.server.port()
            + (running.metricsPort < 0 ? "" : ", metrics on port " + running.metricsPort)
            + (settings.namespaces().isEmpty()
                ? ", all namespaces"
                : ", namespaces " + String.join(",", settings.namespaces())));
    return running;
  }

  /** The pod name (HOSTNAME), as JOSDK would choose; a random id outside a pod. */
  static String replicaIdentity() {
    String host = System.getenv("HOSTNAME");
    return host == null || host.isBlank() ? UUID.randomUUID().toString() : host.strip();
  }

  private static <R extends HasMetadata> Consumer<ControllerConfigurationOverrider<R>> watching(
      OperatorSettings settings, Consumer<ControllerConfigurationOverrider<R>> more) {
    return o -> {
      if (settings.namespaces().isEmpty()) {
        o.watchingAllNamespaces();
      } else {
        o.settingNamespaces(settings.namespaces());
      }
      more.accept(o);
    };
  }

  private static WebServer configServer(OperatorSettings settings, ConfigService service) {
    WebServerConfig.Builder server =
        WebServer.builder()
            .host(settings.configHost())
            .port(settings.configPort())
            .shutdownHook(false)
            .routing(r -> r.register(service));
    if (settings.tlsCertificate() != null) {
      Keys keys =
          Keys.builder()
              .pem(
                  pem ->
                      pem.key(Resource.create(settings.tlsKey()))
                          .certChain(Resource.create(settings.tlsCertificate())))
              .build();
      server.tls(
          Tls.builder()
              .privateKey(keys.privateKey().orElseThrow())
              .privateKeyCertChain(keys.certChain())
              .build());
    }
    return server.build();
  }

  /** The port the config service listens on. */
  public int configPort() {
    return server.port();
  }

  /** The version of the snapshot served to gateways, or null before the first build. */
  public String servedVersion() {
    SnapshotBuild current = fleet.current();
    return current == null ? null : current.version();
  }

  /** The served snapshot, or null before the first build (for tests). */
  dev.portcullis.api.snapshot.Snapshot servedSnapshot() {
    SnapshotBuild current = fleet.current();
    return current == null ? null : current.snapshot();
  }

  /** The routes ({@code namespace/name}) in the served snapshot. */
  public java.util.List<String> servedSnapshotRoutes() {
    SnapshotBuild current = fleet.current();
    return current == null
        ? java.util.List.of()
        : current.snapshot().routes().stream().map(r -> r.id().qualifiedName()).toList();
  }

  /** How the newest snapshot build went (for the scale benchmark). */
  SnapshotBuilder.BuildTiming latestBuildTiming() {
    return builder.latestTiming();
  }

  /** The connected gateways and what each runs (for the scale benchmark). */
  java.util.List<Fleet.Pod> fleetPods() {
    return fleet.pods();
  }

  /** The key usage the gateways reported, rolled up (for tests). */
  UsageRollup usageRollup() {
    return rollup;
  }

  /** The port of {@code /metrics}, or -1 when it is not served. */
  public int metricsPort() {
    return metricsPort;
  }

  /** The operator's metrics (for tests). */
  public OperatorMetrics metrics() {
    return metrics;
  }

  /** The gateway pods connected to this replica now. */
  public java.util.List<String> connectedGateways() {
    return fleet.pods().stream().map(Fleet.Pod::name).toList();
  }

  @Override
  public void close() {
    operator.stop();
    if (fleetState != null) {
      fleetState.close(); // the leader drops this replica's gateways now, not after 3 heartbeats
    }
    usage.close();
    fleet.closeAll();
    server.stop();
    if (remoteFleet != null) {
      remoteFleet.close();
    }
    builder.close();
    caches.close();
    metrics.close();
  }
}
