package dev.portcullis.operator;

import static dev.portcullis.operator.Statuses.message;
import static dev.portcullis.operator.Statuses.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.key.KeyUsage;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.prompt.PromptVersionResults;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.operator.fleet.FleetState;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two operator replicas against one API server, as behind one Service: replica A holds the Lease
 * and writes status, replica B does not. A stand-in gateway is connected to each. The leader's
 * status must count the whole fleet and show usage and prompt results reported to either replica.
 */
@EnableKubernetesMockClient(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetReplicasTest {
  static final String TOKEN = "replicas-token";
  static final String LEASE_NAMESPACE = "portcullis-system";
  static KubernetesMockServer server;
  static KubernetesClient client;
  static TestCluster cluster;
  static PortcullisOperator leader;
  static PortcullisOperator follower;
  static FleetTestClient onLeader;
  static FleetTestClient onFollower;
  static boolean followerStopped;

  @BeforeAll
  static void start() throws Exception {
    TestCluster.installCrds(client);
    cluster = new TestCluster(client);
    // JOSDK checks it may use Leases before electing; the mock server cannot answer that review.
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("*")
                .endResourceRule()
                .withIncomplete(false)
                .endStatus()
                .build())
        .always();
    Path token = TestCluster.tokenFile(TOKEN);
    OperatorSettings settings =
        OperatorSettings.forTests(token).withLeaderElection(LEASE_NAMESPACE);
    leader = PortcullisOperator.start(client, settings, Clock.systemUTC(), "replica-a");
    await().atMost(Duration.ofSeconds(15)).until(() -> "replica-a".equals(leaseHolder()));
    follower = PortcullisOperator.start(client, settings, Clock.systemUTC(), "replica-b");

    onLeader = new FleetTestClient(leader.configPort(), TOKEN, "gw-a");
    onFollower = new FleetTestClient(follower.configPort(), TOKEN, "gw-b");
    assertThat(onLeader.connect()).isEqualTo(200);
    assertThat(onFollower.connect()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    onLeader.close();
    onFollower.close();
    if (!followerStopped) {
      follower.close();
    }
    leader.close();
  }

  static String leaseHolder() {
    Lease lease =
        client.leases().inNamespace(LEASE_NAMESPACE).withName(OperatorSettings.LEASE_NAME).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  static String route(String ns, String name, String provider) {
    return """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: %s, namespace: %s}
        spec:
          model: %s-%s
          targets: [{name: echo, provider: %s, model: echo}]
        """
        .formatted(name, ns, ns, name, provider);
  }

  /** Waits until both replicas serve the same version carrying the route, and both got it. */
  static String awaitBothSent(String ns, String route) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              String version = leader.servedVersion();
              return version != null
                  && leader.servedSnapshotRoutes().contains(ns + "/" + route)
                  && version.equals(follower.servedVersion())
                  && version.equals(onLeader.latest())
                  && version.equals(onFollower.latest());
            });
    return leader.servedVersion();
  }

  static LLMRoute awaitRoute(String ns, String name, String type, String expected) {
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(state(cluster.get(LLMRoute.class, ns, name), type)).isEqualTo(expected));
    return cluster.get(LLMRoute.class, ns, name);
  }

  @Test
  @Order(1)
  void routeIsProgrammedOnlyWhenTheGatewaysOfBothReplicasRunIt() throws Exception {
    String ns = TestCluster.freshNamespace();
    cluster.create(LLMRoute.class, route(ns, "chat", "echo"));
    String version = awaitBothSent(ns, "chat");

    onLeader.ack(version);
    // Pending is also the state before the ack is counted ("0 of 1 gateways"): wait for the count.
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              LLMRoute pending = cluster.get(LLMRoute.class, ns, "chat");
              assertThat(state(pending, "Programmed")).isEqualTo("False/Pending");
              assertThat(message(pending, "Programmed")).contains("1 of 2 gateways");
            });

    onFollower.ack(version);
    LLMRoute done = awaitRoute(ns, "chat", "Programmed", "True/Programmed");
    assertThat(done.getStatus().getFleet().getSynced()).isEqualTo(2);
    assertThat(done.getStatus().getFleet().getTotal()).isEqualTo(2);
    assertThat(message(done, "Programmed")).contains("2 of 2 gateways");
    assertThat(leader.connectedGateways()).containsExactly("gw-a");
  }

  @Test
  @Order(2)
  void aRejectionByAGatewayOfTheFollowerShowsOnTheLeadersStatus() throws Exception {
    String ns = TestCluster.freshNamespace();
    cluster.create(LLMRoute.class, route(ns, "picky", "echo"));
    String version = awaitBothSent(ns, "picky");

    onLeader.ack(version);
    onFollower.nack(version, "provider echo is not enabled here");

    LLMRoute rejected = awaitRoute(ns, "picky", "Programmed", "False/RejectedByGateways");
    assertThat(message(rejected, "Programmed"))
        .contains("gw-b: provider echo is not enabled here")
        .doesNotContain("gw-a");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(cluster.eventReasons(ns, "picky")).contains("SnapshotRejected"));
  }

  @Test
  @Order(3)
  void usageReportedOnlyToTheFollowerReachesTheKeyStatus() throws Exception {
    String ns = TestCluster.freshNamespace();
    cluster.create(
        VirtualKey.class,
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: VirtualKey
        metadata: {name: app, namespace: %s}
        spec: {secretName: app-key}
        """
            .formatted(ns));
    UsageReport report =
        new UsageReport(
            "gw-b",
            "instance-b",
            UsageReport.Scope.POD,
            List.of(
                new UsageReport.KeyTotals(
                    ns + "/app", "MONTHLY", "2025-03-01T00:00:00Z", "0.42", 3, 300, 60)));

    assertThat(onFollower.usage(new ObjectMapper().writeValueAsString(report))).isEqualTo(204);

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              VirtualKey key = cluster.get(VirtualKey.class, ns, "app");
              assertThat(key.getStatus()).isNotNull();
              KeyUsage usage = key.getStatus().getUsage();
              assertThat(usage).isNotNull();
              assertThat(usage.getSpendUsd()).isEqualTo("0.42");
              assertThat(usage.getRequests()).isEqualTo(3);
              assertThat(usage.getInputTokens()).isEqualTo(300);
              assertThat(usage.getOutputTokens()).isEqualTo(60);
            });
  }

  static String promptTemplate(String ns, String name, String... versions) {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: portcullis.dev/v1alpha1
            kind: PromptTemplate
            metadata: {name: %s, namespace: %s}
            spec:
              variables: [{name: question, required: true}]
              versions:
            """
                .formatted(name, ns));
    for (String version : versions) {
      yaml.append(
          """
              - name: %s
                messages: [{role: user, content: "{{question}}"}]
                route: {name: support}
          """
              .formatted(version));
    }
    return yaml.toString();
  }

  /** The versions of {@code ns/name} a replica serves; empty when it serves no such template. */
  static List<String> servedVersions(PortcullisOperator replica, String ns, String name) {
    var snapshot = replica.servedSnapshot();
    if (snapshot == null) {
      return List.of();
    }
    return snapshot.templates().stream()
        .filter(t -> t.id().qualifiedName().equals(ns + "/" + name))
        .flatMap(t -> t.versions().stream().map(v -> v.name()))
        .toList();
  }

  static void awaitServedOnBoth(String ns, String name, String... versions) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(servedVersions(leader, ns, name)).containsExactly(versions);
              assertThat(servedVersions(follower, ns, name)).containsExactly(versions);
            });
  }

  /** A gateway instance's cumulative results of one version of {@code ns/bot}. */
  static UsageReport.PromptTotals bot(String ns, String version, long requests, long errors) {
    return new UsageReport.PromptTotals(
        ns + "/bot",
        version,
        requests,
        errors,
        100 * requests,
        10 * requests,
        "0.00" + requests,
        20 * requests,
        requests,
        null);
  }

  /** Posts gateway instance {@code instance}'s prompt results as {@code pod}, to a replica. */
  static void reportPrompts(
      PortcullisOperator replica, String pod, String instance, UsageReport.PromptTotals... results)
      throws Exception {
    UsageReport report =
        new UsageReport(pod, instance, UsageReport.Scope.POD, List.of(), List.of(results));
    try (FleetTestClient gateway = new FleetTestClient(replica.configPort(), TOKEN, pod)) {
      assertThat(gateway.usage(new ObjectMapper().writeValueAsString(report))).isEqualTo(204);
    }
  }

  static io.fabric8.kubernetes.client.dsl.Resource<PromptTemplate> template(String ns) {
    return client.resources(PromptTemplate.class).inNamespace(ns).withName("bot");
  }

  static void awaitRequests(String ns, String expected) {
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              PromptTemplate template = cluster.get(PromptTemplate.class, ns, "bot");
              assertThat(template.getStatus()).isNotNull();
              assertThat(template.getStatus().getRequests()).isEqualTo(expected);
            });
  }

  /** The template versions a replica's fleet-state ConfigMap carries results of, by instance. */
  static List<String> publishedPrompts(String replica, String ns) throws Exception {
    return FleetState.gunzip(stateBytes(configMap(replica))).prompts().stream()
        .flatMap(
            p ->
                p.versions().stream()
                    .filter(v -> v.template().equals(ns + "/bot"))
                    .map(v -> p.instance() + " " + v.version() + " " + v.requests()))
        .toList();
  }

  @Test
  @Order(4)
  void promptResultsReportedToEitherReplicaAreSummedAndAGatewayThatMovedCountsOnce()
      throws Exception {
    String ns = TestCluster.freshNamespace();
    cluster.create(LLMRoute.class, route(ns, "support", "echo"));
    cluster.create(PromptTemplate.class, promptTemplate(ns, "bot", "v1", "v2"));
    awaitServedOnBoth(ns, "bot", "v1", "v2");

    // gw-a reports to the leader, then reconnects to the follower and reports its grown counters
    // there; gw-b reports to the follower only.
    reportPrompts(leader, "gw-a", "instance-a", bot(ns, "v1", 5, 1), bot(ns, "v2", 1, 0));
    reportPrompts(follower, "gw-b", "instance-b", bot(ns, "v1", 3, 0));
    reportPrompts(follower, "gw-a", "instance-a", bot(ns, "v1", 7, 2), bot(ns, "v2", 1, 0));

    // instance-a's latest 7 plus instance-b's 3, not 5 + 7 + 3.
    awaitRequests(ns, "v1=10,v2=1");
    PromptVersionResults v1 =
        cluster.get(PromptTemplate.class, ns, "bot").getStatus().getResults().getFirst();
    assertThat(v1.getVersion()).isEqualTo("v1");
    assertThat(v1.getErrors()).isEqualTo(2);
    assertThat(v1.getInputTokens()).isEqualTo(1000);
    assertThat(v1.getOutputTokens()).isEqualTo(100);
    assertThat(v1.getSpendUsd()).isEqualTo("0.01"); // 0.007 + 0.003
    assertThat(v1.getMeanLatencyMs()).isEqualTo(20);
    // The follower publishes what its own gateways reported, nothing taken from the leader.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(publishedPrompts("replica-b", ns))
                    .containsExactlyInAnyOrder(
                        "instance-a v1 7", "instance-a v2 1", "instance-b v1 3"));
  }

  @Test
  @Order(5)
  void removedVersionsAndAnInvalidOrDeletedTemplateAreForgottenSoOneCreatedAgainStartsAtZero()
      throws Exception {
    String ns = TestCluster.freshNamespace();
    cluster.create(LLMRoute.class, route(ns, "support", "echo"));
    cluster.create(PromptTemplate.class, promptTemplate(ns, "bot", "v1", "v2"));
    awaitServedOnBoth(ns, "bot", "v1", "v2");
    reportPrompts(leader, "gw-a", "instance-a", bot(ns, "v1", 4, 0));
    reportPrompts(follower, "gw-b", "instance-b", bot(ns, "v1", 1, 0), bot(ns, "v2", 6, 0));
    awaitRequests(ns, "v1=5,v2=6");

    // v2 removed: its results leave status and the follower's published figures.
    template(ns)
        .edit(
            t -> {
              t.getSpec().setVersions(List.of(t.getSpec().getVersions().getFirst()));
              return t;
            });
    awaitServedOnBoth(ns, "bot", "v1");
    awaitRequests(ns, "v1=5");
    assertThat(cluster.get(PromptTemplate.class, ns, "bot").getStatus().getResults())
        .extracting(PromptVersionResults::getVersion)
        .containsExactly("v1");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(publishedPrompts("replica-b", ns)).containsExactly("instance-b v1 1"));

    // Left out as invalid (an unclosed section): no longer served, so its results go from status.
    template(ns)
        .edit(
            t -> {
              t.getSpec()
                  .getVersions()
                  .getFirst()
                  .getMessages()
                  .getFirst()
                  .setContent("{{#question}}");
              return t;
            });
    awaitServedOnBoth(ns, "bot");
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              PromptTemplate invalid = cluster.get(PromptTemplate.class, ns, "bot");
              assertThat(state(invalid, "Accepted")).startsWith("False/");
              assertThat(invalid.getStatus().getResults()).isNull();
              assertThat(invalid.getStatus().getRequests()).isNull();
            });

    // Deleted: both replicas forget it, and publish nothing of it.
    cluster.delete(PromptTemplate.class, ns, "bot");
    awaitServedOnBoth(ns, "bot");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(publishedPrompts("replica-a", ns)).isEmpty();
              assertThat(publishedPrompts("replica-b", ns)).isEmpty();
            });

    // Created again with the same name: the gateways' counters start from zero, and so does
    // status. Had either replica kept instance-a's 4, status would show v1=4 (largest figure
    // wins per instance) or more.
    cluster.create(PromptTemplate.class, promptTemplate(ns, "bot", "v1", "v2"));
    awaitServedOnBoth(ns, "bot", "v1", "v2");
    reportPrompts(follower, "gw-a", "instance-a", bot(ns, "v1", 2, 0));

    awaitRequests(ns, "v1=2");
    assertThat(cluster.get(PromptTemplate.class, ns, "bot").getStatus().getResults())
        .singleElement()
        .satisfies(r -> assertThat(r.getSpendUsd()).isEqualTo("0.002"));
  }

  @Test
  @Order(5)
  void aTemplateReCreatedWithTheSameNameNeverTakesLateFiguresOfTheOldOne() throws Exception {
    String ns = TestCluster.freshNamespace();
    cluster.create(LLMRoute.class, route(ns, "support", "echo"));
    String first = createServedBot(ns);
    reportPrompts(leader, "gw-a", "instance-a", botOf(ns, first, 4));
    awaitRequests(ns, "v1=4");

    cluster.delete(PromptTemplate.class, ns, "bot");
    String second = createServedBot(ns);
    // A gateway still on the old snapshot reports the old template to both replicas; one on the
    // new snapshot reports the new one. Taking the old figures would show v1=10 (9 + 1).
    reportPrompts(leader, "gw-a", "instance-a", botOf(ns, first, 9));
    reportPrompts(follower, "gw-a", "instance-a", botOf(ns, first, 9));
    reportPrompts(follower, "gw-b", "instance-b", botOf(ns, second, 1));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(publishedPrompts("replica-b", ns)).containsExactly("instance-b v1 1"));
    awaitRequests(ns, "v1=1");
    assertThat(publishedPrompts("replica-a", ns)).isEmpty();
  }

  /** Creates {@code ns/bot} with version v1; returns its uid once both replicas serve it. */
  static String createServedBot(String ns) {
    String uid =
        cluster
            .create(PromptTemplate.class, promptTemplate(ns, "bot", "v1"))
            .getMetadata()
            .getUid();
    awaitServedUidOnBoth(ns, uid);
    return uid;
  }

  static UsageReport.PromptTotals botOf(String ns, String uid, long requests) {
    return new UsageReport.PromptTotals(
        ns + "/bot", "v1", requests, 0, 100 * requests, 10 * requests, "0.001", 20, 1, uid);
  }

  static void awaitServedUidOnBoth(String ns, String uid) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> servesUid(leader, ns, uid) && servesUid(follower, ns, uid));
  }

  static boolean servesUid(PortcullisOperator replica, String ns, String uid) {
    var snapshot = replica.servedSnapshot();
    return snapshot != null
        && snapshot.templates().stream()
            .anyMatch(t -> t.id().qualifiedName().equals(ns + "/bot") && uid.equals(t.id().uid()));
  }

  @Test
  @Order(6)
  void aConfigMapOfAReplicaThatStoppedWritingIsIgnored() throws Exception {
    String ns = TestCluster.freshNamespace();
    cluster.create(LLMRoute.class, route(ns, "counted", "echo"));
    String version = awaitBothSent(ns, "counted");
    onLeader.ack(version);
    onFollower.ack(version);
    awaitRoute(ns, "counted", "Programmed", "True/Programmed");

    // A replica that died 5 s ago (stale after 3 heartbeats of 1 s), listing a gateway on another
    // version; then a live one (its clock 3 s ahead, so it stays fresh for 6 s without writing
    // again) listing a gateway on the served version. Informer events arrive in order: once the
    // live one is counted, the dead one has been seen. Counting it would make 4 gateways, 3 synced.
    Instant now = Instant.now();
    fleetStateConfigMap("replica-dead", now.minusSeconds(5), "gw-ghost", "sha256:0ld");
    fleetStateConfigMap("replica-c", now.plusSeconds(3), "gw-c", version);

    LLMRoute three =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () -> cluster.get(LLMRoute.class, ns, "counted"),
                r ->
                    r.getStatus().getFleet().getTotal() == 3
                        && r.getStatus().getFleet().getSynced() == 3);
    assertThat(message(three, "Programmed")).contains("3 of 3 gateways");
    assertThat(configMap("replica-dead")).isNotNull(); // still there: ignored, not yet removed

    // replica-c writes no heartbeat: once it is stale its gateway is no longer counted.
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(
                        cluster
                            .get(LLMRoute.class, ns, "counted")
                            .getStatus()
                            .getFleet()
                            .getTotal())
                    .isEqualTo(2));
  }

  @Test
  @Order(7)
  void eachReplicaPublishesItsGatewaysInAConfigMapOfItsOwn() throws Exception {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              FleetState b = FleetState.gunzip(stateBytes(configMap("replica-b")));
              assertThat(b.replica()).isEqualTo("replica-b");
              assertThat(b.pods()).extracting(FleetState.PodState::name).containsExactly("gw-b");
              assertThat(b.pods().getFirst().runningVersion()).isEqualTo(onFollower.latest());
            });
    ConfigMap a = configMap("replica-a");
    assertThat(a.getMetadata().getLabels())
        .containsEntry(FleetState.COMPONENT_LABEL, FleetState.COMPONENT)
        .containsEntry(FleetState.REPLICA_LABEL, "replica-a");
    assertThat(FleetState.gunzip(stateBytes(a)).pods())
        .extracting(FleetState.PodState::name)
        .containsExactly("gw-a");
  }

  @Test
  @Order(8)
  void stoppingTheFollowerDropsItsGatewaysFromTheCountAtOnce() throws Exception {
    String ns = TestCluster.freshNamespace();
    cluster.create(LLMRoute.class, route(ns, "last", "echo"));
    String version = awaitBothSent(ns, "last");
    onLeader.ack(version);
    onFollower.ack(version);
    awaitRoute(ns, "last", "Programmed", "True/Programmed");

    follower.close();
    followerStopped = true;

    // Deleted on a clean stop, so the leader does not wait three heartbeats to notice.
    assertThat(configMap("replica-b")).isNull();
    LLMRoute one =
        await()
            .atMost(Duration.ofSeconds(2))
            .until(
                () -> cluster.get(LLMRoute.class, ns, "last"),
                r -> r.getStatus().getFleet().getTotal() == 1);
    assertThat(message(one, "Programmed")).contains("1 of 1 gateways");
  }

  static ConfigMap configMap(String replica) {
    return client
        .configMaps()
        .inNamespace(LEASE_NAMESPACE)
        .withName(FleetState.configMapName(replica))
        .get();
  }

  static byte[] stateBytes(ConfigMap map) {
    return Base64.getDecoder().decode(map.getBinaryData().get(FleetState.DATA_KEY));
  }

  /** Writes a fleet-state ConfigMap as a replica {@code replica} would, at {@code at}. */
  static void fleetStateConfigMap(String replica, Instant at, String pod, String version) {
    FleetState state =
        new FleetState(
            replica,
            at.toString(),
            List.of(new FleetState.PodState(pod, version, null, null, at.toString())),
            List.of());
    client
        .configMaps()
        .inNamespace(LEASE_NAMESPACE)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(FleetState.configMapName(replica))
                .withLabels(
                    Map.of(
                        FleetState.COMPONENT_LABEL,
                        FleetState.COMPONENT,
                        FleetState.REPLICA_LABEL,
                        replica))
                .endMetadata()
                .withBinaryData(
                    Map.of(FleetState.DATA_KEY, Base64.getEncoder().encodeToString(state.gzip())))
                .build())
        .create();
  }
}
