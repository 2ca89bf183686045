package dev.portcullis.operator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portcullis.api.fleet.FleetAck;
import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.fleet.UsageReport.KeyTotals;
import dev.portcullis.operator.usage.PromptResultsRollup;
import dev.portcullis.operator.usage.UsageRollup;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A replica's fleet-state ConfigMap: contents, size cap, write rate, deletion. */
@EnableKubernetesMockClient(crud = true)
class FleetStatePublisherTest {
  static final String NS = "portcullis-system";
  static final Instant NOW = Instant.parse("2025-03-07T12:00:00Z");
  static KubernetesClient client;

  /** Realistic figures: distinct keys, spends with cents and fractions, varied counts. */
  static List<FleetState.Usage> usage(int keys, int instancesPerKey) {
    Random random = new Random(42);
    List<FleetState.Usage> usage = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      Map<String, FleetState.Figures> instances = new java.util.HashMap<>();
      for (int j = 0; j < instancesPerKey; j++) {
        instances.put("instance-" + Integer.toHexString(random.nextInt()), figures(random));
      }
      usage.add(
          new FleetState.Usage(
              "team-" + (i % 50) + "/app-" + i,
              "MONTHLY",
              "2025-03-01T00:00:00Z",
              instancesPerKey == 0 ? figures(random) : null,
              instances));
    }
    return usage;
  }

  static FleetState.Figures figures(Random random) {
    long requests = random.nextInt(100_000);
    return new FleetState.Figures(
        BigDecimal.valueOf(random.nextLong(10_000_000), 6).stripTrailingZeros().toPlainString(),
        requests,
        requests * (200 + random.nextInt(2000)),
        requests * (50 + random.nextInt(500)));
  }

  static List<FleetState.PodState> pods(int n) {
    List<FleetState.PodState> pods = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pods.add(
          new FleetState.PodState(
              "gateway-7d9f8c6b5-" + i, "sha256:" + "ab".repeat(32), null, null, NOW.toString()));
    }
    return pods;
  }

  @Test
  void tenThousandKeysOfUsageStayWellBelowTheObjectLimit() {
    FleetStatePublisher.Encoded encoded =
        FleetStatePublisher.encode(
            "replica-a", NOW, pods(20), usage(10_000, 0), List.of(), FleetStatePublisher.MAX_BYTES);

    System.out.printf(
        "fleet state with 20 pods and 10,000 keys (fleet scope): %,d bytes gzipped%n",
        encoded.bytes().length);
    assertThat(encoded.droppedKeys()).isZero();
    assertThat(encoded.bytes().length).isLessThan(FleetStatePublisher.MAX_BYTES / 2);
  }

  @Test
  void overTheCapTheUsageOfTheLeastRecentlyChangedKeysIsLeftOut() throws Exception {
    // Pod scope, 4 gateway instances each: 10,000 keys make about four times the bytes.
    List<FleetState.Usage> oldestFirst = usage(10_000, 4);

    FleetStatePublisher.Encoded encoded =
        FleetStatePublisher.encode(
            "replica-a", NOW, pods(20), oldestFirst, List.of(), FleetStatePublisher.MAX_BYTES);

    System.out.printf(
        "fleet state with 10,000 keys x 4 instances: %,d bytes gzipped, %,d keys left out%n",
        encoded.bytes().length, encoded.droppedKeys());
    assertThat(encoded.bytes().length).isLessThanOrEqualTo(FleetStatePublisher.MAX_BYTES);
    assertThat(encoded.droppedKeys()).isPositive().isLessThan(10_000);
    FleetState read = FleetState.gunzip(encoded.bytes());
    assertThat(read.pods()).hasSize(20);
    assertThat(read.usage())
        .isEqualTo(oldestFirst.subList(encoded.droppedKeys(), oldestFirst.size()));
  }

  /**
   * Each gateway instance's results of {@code versions} versions of {@code templates} templates.
   */
  static List<FleetState.InstancePrompts> prompts(int instances, int templates, int versions) {
    Random random = new Random(7);
    List<FleetState.InstancePrompts> prompts = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      List<UsageReport.PromptTotals> totals = new ArrayList<>();
      for (int t = 0; t < templates; t++) {
        for (int v = 0; v < versions; v++) {
          long requests = random.nextInt(100_000);
          totals.add(
              new UsageReport.PromptTotals(
                  "team-" + (t % 50) + "/prompt-" + t,
                  "v" + v,
                  requests,
                  requests / 50,
                  requests * 300,
                  requests * 80,
                  BigDecimal.valueOf(random.nextLong(10_000_000), 6).toPlainString(),
                  requests * 700,
                  requests,
                  null));
        }
      }
      prompts.add(new FleetState.InstancePrompts("instance-" + i, totals));
    }
    return prompts;
  }

  @Test
  void promptResultsRideAlongAndOverTheCapTheyAreLeftOutBeforeAnyKeysUsage() throws Exception {
    List<FleetState.Usage> usage = usage(100, 1);
    List<FleetState.InstancePrompts> few = prompts(4, 10, 2);

    FleetStatePublisher.Encoded small =
        FleetStatePublisher.encode(
            "replica-a", NOW, pods(4), usage, few, FleetStatePublisher.MAX_BYTES);

    assertThat(small.droppedPrompts()).isFalse();
    assertThat(FleetState.gunzip(small.bytes()).prompts()).isEqualTo(few);

    // 20 instances x 2,000 templates x 2 versions do not fit; the keys' usage still does.
    FleetStatePublisher.Encoded big =
        FleetStatePublisher.encode(
            "replica-a", NOW, pods(4), usage, prompts(20, 2_000, 2), FleetStatePublisher.MAX_BYTES);

    assertThat(big.droppedPrompts()).isTrue();
    assertThat(big.droppedKeys()).isZero();
    FleetState read = FleetState.gunzip(big.bytes());
    assertThat(read.prompts()).isEmpty();
    assertThat(read.usage()).isEqualTo(usage);
  }

  @Test
  void publishesTheGatewaysAndUsageReceivedHereInALabelledConfigMapAndDeletesItOnClose()
      throws Exception {
    Fleet fleet = new Fleet();
    fleet.connect("gw-1");
    fleet.acknowledge(FleetAck.applied("gw-1", "sha256:01"));
    fleet.connect("gw-2");
    fleet.acknowledge(FleetAck.rejected("gw-2", "sha256:02", "unknown provider"));
    UsageRollup received = new UsageRollup();
    received.accept(
        new UsageReport(
            "gw-1",
            "i-1",
            UsageReport.Scope.POD,
            List.of(
                new KeyTotals(
                    "team-a/checkout", "MONTHLY", "2025-03-01T00:00:00Z", "0.25", 3, 30, 9))));
    PromptResultsRollup receivedPrompts = new PromptResultsRollup();
    receivedPrompts.accept(
        new UsageReport(
            "gw-1",
            "i-1",
            UsageReport.Scope.POD,
            List.of(),
            List.of(
                new UsageReport.PromptTotals(
                    "team-a/bot", "v1", 4, 1, 40, 8, "0.04", 400, 4, null))));
    FleetStatePublisher publisher =
        new FleetStatePublisher(
            client,
            NS,
            "Replica_A",
            fleet,
            received,
            receivedPrompts,
            Duration.ofSeconds(30),
            Clock.systemUTC(),
            FleetStatePublisher.MAX_BYTES);
    String name = publisher.configMapName();
    assertThat(name).isEqualTo("portcullis-fleet-replica-a");

    publisher.start();

    ConfigMap map =
        await() // the first write: the mock server's first request is slow on a loaded machine
            .atMost(Duration.ofSeconds(15))
            .until(() -> client.configMaps().inNamespace(NS).withName(name).get(), m -> m != null);
    assertThat(map.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/component", "fleet-state")
        .containsEntry("portcullis.dev/replica", "replica_a");
    assertThat(map.getData()).isNullOrEmpty();
    FleetState state = read(map);
    assertThat(state.replica()).isEqualTo("Replica_A");
    assertThat(state.pods())
        .extracting(p -> p.name() + " " + p.runningVersion() + " " + p.rejectedVersion())
        .containsExactly("gw-1 sha256:01 null", "gw-2 null sha256:02");
    assertThat(state.pods().get(1).rejection()).isEqualTo("unknown provider");
    assertThat(state.usage()).hasSize(1);
    assertThat(state.usage().getFirst().instances().get("i-1").spendUsd()).isEqualTo("0.25");
    assertThat(state.prompts())
        .containsExactly(
            new FleetState.InstancePrompts(
                "i-1",
                List.of(
                    new UsageReport.PromptTotals(
                        "team-a/bot", "v1", 4, 1, 40, 8, "0.04", 400, 4, null))));

    publisher.close();

    assertThat(client.configMaps().inNamespace(NS).withName(name).get()).isNull();
  }

  @Test
  void changesAreWrittenAtMostOncePerSecondAndTheLatestStateWins() throws Exception {
    Fleet fleet = new Fleet();
    FleetStatePublisher publisher =
        new FleetStatePublisher(
            client,
            NS,
            "replica-rate",
            fleet,
            new UsageRollup(),
            new PromptResultsRollup(),
            Duration.ofMinutes(5),
            Clock.systemUTC(),
            FleetStatePublisher.MAX_BYTES);
    String name = publisher.configMapName();
    AtomicInteger writes = new AtomicInteger();
    try (Watch watch =
        client
            .configMaps()
            .inNamespace(NS)
            .withName(name)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, ConfigMap resource) {
                    if (action == Action.ADDED || action == Action.MODIFIED) {
                      writes.incrementAndGet();
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      publisher.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> writes.get() == 1);
      long start = System.nanoTime();

      for (int i = 0; i < 30; i++) {
        fleet.connect("gw-" + i);
        publisher.fleetChanged();
        Thread.sleep(50);
      }
      double seconds = (System.nanoTime() - start) / 1e9;

      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () ->
                  assertThat(read(client.configMaps().inNamespace(NS).withName(name).get()).pods())
                      .hasSize(30));
      // one write at start, then at most one per second (and the last one after the loop)
      assertThat(writes.get() - 1).isBetween(1, (int) Math.ceil(seconds) + 1);
    } finally {
      publisher.close();
    }
  }

  static FleetState read(ConfigMap map) throws java.io.IOException {
    return FleetState.gunzip(
        Base64.getDecoder().decode(map.getBinaryData().get(FleetState.DATA_KEY)));
  }
}
