package dev.portcullis.operator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.operator.TestCluster;
import dev.portcullis.operator.usage.PromptResultsRollup;
import dev.portcullis.operator.usage.UsageRollup;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reading the other replicas' fleet-state ConfigMaps, with a clock the test moves. */
@EnableKubernetesMockClient(crud = true)
class RemoteFleetTest {
  static final Duration HEARTBEAT = Duration.ofSeconds(10);
  static KubernetesClient client;

  final String ns = TestCluster.freshNamespace();
  volatile Instant now = Instant.parse("2025-03-07T12:00:00Z");
  final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }
      };
  final UsageRollup rollup = new UsageRollup();
  final PromptResultsRollup prompts = new PromptResultsRollup(clock);
  final AtomicInteger changes = new AtomicInteger();
  final RemoteFleet remote =
      new RemoteFleet(
          client,
          ns,
          FleetState.configMapName("me"),
          rollup,
          prompts,
          HEARTBEAT,
          Duration.ofMinutes(5),
          clock);

  {
    remote.subscribe(changes::incrementAndGet);
  }

  @AfterEach
  void close() {
    remote.close();
  }

  void write(String replica, Instant at, List<FleetState.Usage> usage, String... pods) {
    write(replica, at, usage, List.of(), pods);
  }

  void write(
      String replica,
      Instant at,
      List<FleetState.Usage> usage,
      List<FleetState.InstancePrompts> prompts,
      String... pods) {
    List<FleetState.PodState> states =
        java.util.Arrays.stream(pods)
            .map(p -> new FleetState.PodState(p, "sha256:01", null, null, at.toString()))
            .toList();
    FleetState state = new FleetState(replica, at.toString(), states, usage, prompts);
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(FleetState.configMapName(replica))
                .withLabels(Map.of(FleetState.COMPONENT_LABEL, FleetState.COMPONENT))
                .endMetadata()
                .withBinaryData(
                    Map.of(FleetState.DATA_KEY, Base64.getEncoder().encodeToString(state.gzip())))
                .build())
        .createOr(r -> r.update());
  }

  void awaitPods(String... names) {
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(remote.pods()).extracting(Fleet.Pod::name).containsExactly(names));
  }

  static FleetState.Usage checkout(String spend, long requests) {
    return new FleetState.Usage(
        "team-a/checkout",
        "MONTHLY",
        "2025-03-01T00:00:00Z",
        new FleetState.Figures(spend, requests, 10, 5),
        Map.of());
  }

  @Test
  void livingReplicasAreCountedAndOneThatStoppedWritingIsIgnored() {
    write("b", now, List.of(), "gw-b1", "gw-b2");
    write("dead", now.minus(HEARTBEAT.multipliedBy(3)), List.of(), "gw-ghost");
    write("me", now, List.of(), "gw-mine"); // this replica's own: not read back

    remote.start();

    awaitPods("gw-b1", "gw-b2");
    assertThat(remote.liveReplicas()).containsExactly("b");
  }

  @Test
  void aReplicaGoingStaleWithoutAnyEventLeavesTheCountAndSaysSo() {
    write("b", now, List.of(), "gw-b1");
    remote.start();
    awaitPods("gw-b1");
    remote.look();
    int before = changes.get();

    now = now.plus(HEARTBEAT.multipliedBy(3));
    remote.look();

    assertThat(remote.pods()).isEmpty();
    assertThat(changes.get()).isGreaterThan(before);
  }

  @Test
  void aConfigMapLeftByAReplicaLongGoneIsDeleted() {
    write("gone", now.minus(Duration.ofMinutes(6)), List.of(), "gw-ghost");
    write("b", now, List.of(), "gw-b1");
    remote.start();
    awaitPods("gw-b1");

    remote.look();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                client.configMaps().inNamespace(ns).withName(FleetState.configMapName("gone")).get()
                    == null);
    assertThat(client.configMaps().inNamespace(ns).withName(FleetState.configMapName("b")).get())
        .isNotNull();
  }

  @Test
  void usageIsTakenInWhenItChangesNotAtEveryHeartbeat() {
    remote.start();
    write("b", now, List.of(checkout("0.5", 3)), "gw-b1");
    await().atMost(Duration.ofSeconds(5)).until(() -> rollup.total("team-a/checkout").isPresent());
    assertThat(rollup.takeChanged()).containsExactly("team-a/checkout");

    now = now.plus(HEARTBEAT);
    write("b", now, List.of(checkout("0.5", 3)), "gw-b1"); // the heartbeat
    now = now.plus(HEARTBEAT);
    write("b", now, List.of(checkout("0.75", 4)), "gw-b1");

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(rollup.total("team-a/checkout").orElseThrow().spendText())
                    .isEqualTo("0.75"));
    assertThat(rollup.total("team-a/checkout").orElseThrow().requests()).isEqualTo(4);
  }

  static FleetState.InstancePrompts bot(String instance, long v1Requests) {
    return new FleetState.InstancePrompts(
        instance,
        List.of(
            new UsageReport.PromptTotals(
                "team-a/bot", "v1", v1Requests, 0, 10, 5, "0.01", 100, v1Requests, null)));
  }

  long botV1Requests() {
    return prompts.results("team-a/bot").map(r -> r.getFirst().requests()).orElse(0L);
  }

  @Test
  void promptResultsOfLiveReplicasAreTakenInPerGatewayInstanceAndAStaleOnesAreNot() {
    // i-1 reported to b and then to c (it reconnected): counted once, its largest figure.
    write("b", now, List.of(), List.of(bot("i-1", 4), bot("i-2", 2)), "gw-b1");
    write("c", now, List.of(), List.of(bot("i-1", 6)), "gw-c1");
    write("dead", now.minus(HEARTBEAT.multipliedBy(4)), List.of(), List.of(bot("i-9", 50)));

    remote.start();

    await().atMost(Duration.ofSeconds(5)).until(() -> botV1Requests() == 8);
    // b's next state: i-2 grew, and a malformed entry is left out without losing the others.
    now = now.plus(HEARTBEAT);
    write(
        "b",
        now,
        List.of(),
        List.of(
            bot("i-1", 4),
            bot("i-2", 3),
            new FleetState.InstancePrompts(
                "i-3",
                List.of(new UsageReport.PromptTotals("bot", "v1", 1, 0, 0, 0, "0", 0, 0, null)))),
        "gw-b1");
    await().atMost(Duration.ofSeconds(5)).until(() -> botV1Requests() == 9);
  }

  @Test
  void usageOfAReplicaThatIsAlreadyStaleIsNotTakenIn() {
    write("dead", now.minus(HEARTBEAT.multipliedBy(4)), List.of(checkout("9", 90)), "gw-ghost");
    write("b", now, List.of(), "gw-b1");

    remote.start();

    awaitPods("gw-b1");
    assertThat(remote.liveReplicas()).containsExactly("b");
    assertThat(rollup.total("team-a/checkout")).isEmpty();
  }

  @Test
  void aConfigMapThatCannotBeReadIsIgnored() {
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(FleetState.configMapName("broken"))
                .withLabels(Map.of(FleetState.COMPONENT_LABEL, FleetState.COMPONENT))
                .endMetadata()
                .withBinaryData(Map.of(FleetState.DATA_KEY, "bm90IGd6aXA="))
                .build())
        .create();
    write("b", now, List.of(), "gw-b1");

    remote.start();

    awaitPods("gw-b1");
  }
}
