package dev.portcullis.operator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.fleet.FleetAck;
import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.fleet.UsageReport.KeyTotals;
import dev.portcullis.api.resolve.ResourceSet;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.operator.snapshot.SnapshotBuild;
import dev.portcullis.operator.snapshot.SnapshotBuilder;
import dev.portcullis.operator.usage.UsageRollup;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How remote replicas' fleet state joins this replica's: pods, kept records, usage. */
class FleetMergeTest {
  static final String T0 = "2025-03-07T12:00:00Z";
  static final String T1 = "2025-03-07T12:00:05Z";
  static final String T2 = "2025-03-07T12:00:09Z";

  static FleetState.PodState pod(String name, String running, String since) {
    return new FleetState.PodState(name, running, null, null, since);
  }

  static FleetState state(String replica, String updatedAt, FleetState.PodState... pods) {
    return new FleetState(replica, updatedAt, List.of(pods), List.of());
  }

  @Test
  void podsOfSeveralReplicasAreListedOnceEachByName() {
    List<Fleet.Pod> pods =
        RemoteFleet.merge(
            List.of(
                state("b", T1, pod("gw-2", "v1", T0), pod("gw-1", "v1", T0)),
                state("c", T1, pod("gw-3", "v2", T0))));

    assertThat(pods).extracting(Fleet.Pod::name).containsExactly("gw-1", "gw-2", "gw-3");
    assertThat(pods.get(2).runningVersion()).isEqualTo("v2");
  }

  @Test
  void aPodListedByTwoReplicasIsTakenFromTheOneThatSawItsStateChangeLast() {
    // gw-1 moved from b to c; b has not noticed the closed stream yet and still writes heartbeats.
    List<Fleet.Pod> pods =
        RemoteFleet.merge(
            List.of(state("b", T2, pod("gw-1", "v1", T0)), state("c", T1, pod("gw-1", "v2", T1))));

    assertThat(pods).containsExactly(new Fleet.Pod("gw-1", "v2", null, null));
  }

  @Test
  void withTheSameChangeTimeTheLaterWrittenStateWins() {
    List<Fleet.Pod> pods =
        RemoteFleet.merge(
            List.of(state("b", T2, pod("gw-1", "v1", T0)), state("c", T1, pod("gw-1", "v2", T0))));

    assertThat(pods).containsExactly(new Fleet.Pod("gw-1", "v1", null, null));
  }

  @Test
  void theFleetCountsRemotePodsBesideItsOwnAndItsOwnViewOfAPodWins() {
    Fleet fleet =
        new Fleet(
            () ->
                List.of(
                    new Fleet.Pod("gw-0", "v-remote", null, null),
                    new Fleet.Pod("gw-1", "v-stale", "v-x", "old news")));
    fleet.connect("gw-1");
    fleet.acknowledge(FleetAck.applied("gw-1", "v-local"));

    assertThat(fleet.allPods())
        .containsExactly(
            new Fleet.Pod("gw-0", "v-remote", null, null),
            new Fleet.Pod("gw-1", "v-local", null, null));
    assertThat(fleet.pods()).extracting(Fleet.Pod::name).containsExactly("gw-1");
  }

  @Test
  void recordsOfAVersionOnlyARemoteGatewayRunsAreKept() {
    SnapshotBuild first = build("one");
    SnapshotBuild second = build("one", "two");
    List<Fleet.Pod> remote = new ArrayList<>();
    Fleet fleet = new Fleet(() -> List.copyOf(remote));
    fleet.publish(first);
    remote.add(new Fleet.Pod("gw-remote", first.version(), null, null));

    fleet.publish(second); // no gateway here runs the first version

    assertThat(fleet.records(first.version())).isEqualTo(first.records()).isNotEmpty();

    remote.clear();
    fleet.publish(build("three"));

    assertThat(fleet.records(first.version())).isEmpty();
  }

  @Test
  void usageTakenInFromAnotherReplicaBesideTheReportsItCameFromIsNotCountedTwice() {
    // The follower received gw-1's POD-scope reports, then gw-1 moved to the leader and reported
    // the same (grown) counters there; FLEET-scope figures reached both replicas.
    UsageRollup follower = new UsageRollup();
    follower.accept(podReport("i-1", "0.10", 4));
    follower.accept(podReport("i-2", "0.05", 2));
    follower.accept(fleetReport("1.00", 40));
    UsageRollup leader = new UsageRollup();
    leader.accept(podReport("i-1", "0.12", 5));
    leader.accept(fleetReport("0.90", 38));

    FleetState.Usage exported = follower.export().get("team-a/checkout");
    leader.accept(exported);
    leader.accept(exported); // again, as after the next heartbeat

    UsageRollup.Totals total = leader.total("team-a/checkout").orElseThrow();
    // fleet max 1.00/40, plus i-1 max 0.12/5, plus i-2 0.05/2
    assertThat(total.spendText()).isEqualTo("1.17");
    assertThat(total.requests()).isEqualTo(47);
  }

  @Test
  void exportedFiguresSurviveTheConfigMapEncoding() throws Exception {
    UsageRollup follower = new UsageRollup();
    follower.accept(podReport("i-1", "0.10", 4));
    follower.accept(fleetReport("1.00", 40));
    FleetState state = new FleetState("b", T0, List.of(), List.copyOf(follower.export().values()));

    FleetState read = FleetState.gunzip(state.gzip());

    assertThat(read).isEqualTo(state);
    UsageRollup leader = new UsageRollup();
    read.usage().forEach(leader::accept);
    assertThat(leader.total("team-a/checkout"))
        .hasValueSatisfying(
            t -> {
              assertThat(t.spendText()).isEqualTo("1.1");
              assertThat(t.requests()).isEqualTo(44);
            });
  }

  static UsageReport podReport(String instance, String spend, long requests) {
    return new UsageReport(
        "gw-" + instance, instance, UsageReport.Scope.POD, totals(spend, requests));
  }

  static UsageReport fleetReport(String spend, long requests) {
    return new UsageReport("gw", "any", UsageReport.Scope.FLEET, totals(spend, requests));
  }

  static List<KeyTotals> totals(String spend, long requests) {
    return List.of(
        new KeyTotals(
            "team-a/checkout", "MONTHLY", "2025-03-01T00:00:00Z", spend, requests, 10, 5));
  }

  static SnapshotBuild build(String... routes) {
    List<LLMRoute> items = new ArrayList<>();
    for (String name : routes) {
      LLMRoute route =
          Serialization.unmarshal(
              """
              apiVersion: portcullis.dev/v1alpha1
              kind: LLMRoute
              metadata: {name: %s, namespace: team-a, generation: 1}
              spec:
                model: %s
                targets: [{name: echo, provider: echo, model: echo}]
              """
                  .formatted(name, name),
              LLMRoute.class);
      items.add(route);
    }
    return SnapshotBuilder.build(
        new ResourceSet(items, List.of(), List.of(), List.of(), List.of()));
  }
}
