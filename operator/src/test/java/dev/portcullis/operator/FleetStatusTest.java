package dev.portcullis.operator;

import static dev.portcullis.operator.Statuses.message;
import static dev.portcullis.operator.Statuses.state;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.resolve.SnapshotCodec;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.SnapshotDelta;
import dev.portcullis.operator.fleet.FleetState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Programmed and rollout status from gateway acknowledgements, with stand-in gateways that answer
 * exactly as each test says; and the config service's door.
 */
@EnableKubernetesMockClient(crud = true)
class FleetStatusTest {
  static final String TOKEN = "the-fleet-token";
  static KubernetesMockServer server;
  static KubernetesClient client;
  static TestCluster cluster;
  static PortcullisOperator operator;
  FleetTestClient one;
  FleetTestClient two;

  @BeforeAll
  static void start() throws Exception {
    TestCluster.installCrds(client);
    cluster = new TestCluster(client);
    operator =
        PortcullisOperator.start(client, OperatorSettings.forTests(TestCluster.tokenFile(TOKEN)));
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @AfterEach
  void disconnect() throws Exception {
    for (FleetTestClient c : new FleetTestClient[] {one, two}) {
      if (c != null) {
        c.close();
      }
    }
    // The operator notices a gone gateway at its next write, within one heartbeat.
    await().atMost(Duration.ofSeconds(5)).until(() -> operator.connectedGateways().isEmpty());
  }

  static String echoRoute(String ns, String name, String model) {
    return """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: %s, namespace: %s}
        spec:
          model: %s
          targets: [{name: echo, provider: echo, model: echo}]
        """
        .formatted(name, ns, model);
  }

  static LLMRoute awaitRoute(String ns, String name, String type, String expected) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(state(cluster.get(LLMRoute.class, ns, name), type)).isEqualTo(expected));
    return cluster.get(LLMRoute.class, ns, name);
  }

  /** Connects two stand-in gateways that acknowledge whatever they are sent first. */
  void connectTwoSyncedGateways() throws Exception {
    one = new FleetTestClient(operator.configPort(), TOKEN, "gw-one-" + System.nanoTime());
    two = new FleetTestClient(operator.configPort(), TOKEN, "gw-two-" + System.nanoTime());
    assertThat(one.connect()).isEqualTo(200);
    assertThat(two.connect()).isEqualTo(200);
  }

  String awaitSent(FleetTestClient gateway, String route, String ns) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                operator.servedVersion() != null
                    && operator.servedVersion().equals(gateway.latest())
                    && cluster.get(LLMRoute.class, ns, route).getStatus() != null
                    && operator
                        .servedVersion()
                        .equals(
                            cluster.get(LLMRoute.class, ns, route).getStatus().getConfigVersion()));
    return gateway.latest();
  }

  @Test
  void laterVersionsGoDownTheStreamAsDeltasAndWholeAgainAfterARejection() throws Exception {
    String ns = TestCluster.freshNamespace();
    connectTwoSyncedGateways();
    cluster.create(LLMRoute.class, echoRoute(ns, "chat", "m"));
    String first = awaitSent(one, "chat", ns);
    int before = one.messages.size();
    assertThat(one.messages.getFirst()).doesNotContain("\"base\"");

    cluster.create(LLMRoute.class, echoRoute(ns, "other", "m2"));
    String second = awaitSent(one, "other", ns);

    List<String> after = one.messages.subList(before, one.messages.size());
    assertThat(after).isNotEmpty();
    String delta = after.getLast();
    Object message = SnapshotCodec.readFleetMessage(delta.getBytes(UTF_8));
    assertThat(message).isInstanceOf(SnapshotDelta.class);
    SnapshotDelta d = (SnapshotDelta) message;
    assertThat(d.version()).isEqualTo(second);
    assertThat(d.routes()).extracting(r -> r.id().qualifiedName()).containsExactly(ns + "/other");
    if (after.size() == 1) {
      assertThat(d.base()).isEqualTo(first);
    }

    // A gateway that refuses a delta still runs the version before: that version is sent once
    // more, whole.
    int sent = one.messages.size();
    one.nack(second, "refused for the test");
    await().until(() -> one.messages.size() > sent);
    Object again = SnapshotCodec.readFleetMessage(one.messages.getLast().getBytes(UTF_8));
    assertThat(again).isInstanceOf(Snapshot.class);
    assertThat(((Snapshot) again).version()).isEqualTo(second);

    // Refused whole as well: not sent again, and the next version comes whole too.
    int resent = one.messages.size();
    one.nack(second, "refused again");
    Thread.sleep(500);
    assertThat(one.messages).hasSize(resent);
    cluster.create(LLMRoute.class, echoRoute(ns, "third", "m3"));
    awaitSent(one, "third", ns);
    assertThat(SnapshotCodec.readFleetMessage(one.messages.getLast().getBytes(UTF_8)))
        .isInstanceOf(Snapshot.class);
    // The other gateway acknowledged nothing but refused nothing: it still gets deltas.
    assertThat(SnapshotCodec.readFleetMessage(two.messages.getLast().getBytes(UTF_8)))
        .isInstanceOf(SnapshotDelta.class);
  }

  @Test
  void routeIsProgrammedWhenEveryConnectedGatewayAcknowledged() throws Exception {
    String ns = TestCluster.freshNamespace();
    connectTwoSyncedGateways();
    cluster.create(LLMRoute.class, echoRoute(ns, "chat", "m"));
    String version = awaitSent(one, "chat", ns);
    await().until(() -> version.equals(two.latest()));

    one.ack(version);
    LLMRoute pending = awaitRoute(ns, "chat", "Programmed", "False/Pending");
    assertThat(message(pending, "Programmed")).contains("1 of 2 gateways");
    assertThat(pending.getStatus().getFleet().getSynced()).isEqualTo(1);

    two.ack(version);
    LLMRoute done = awaitRoute(ns, "chat", "Programmed", "True/Programmed");
    assertThat(done.getStatus().getFleet().getSynced()).isEqualTo(2);
    assertThat(done.getStatus().getFleet().getTotal()).isEqualTo(2);
    assertThat(state(done, "Ready")).isEqualTo("True/Ready");
  }

  @Test
  void rejectionReasonAppearsOnTheResourcesItConcernsAndAsAnEvent() throws Exception {
    String ns = TestCluster.freshNamespace();
    connectTwoSyncedGateways();
    cluster.create(LLMRoute.class, echoRoute(ns, "chat", "m"));
    String version = awaitSent(one, "chat", ns);
    await().until(() -> version.equals(two.latest()));

    one.ack(version);
    two.nack(version, "unknown provider echo2");

    LLMRoute r = awaitRoute(ns, "chat", "Programmed", "False/RejectedByGateways");
    assertThat(message(r, "Programmed")).contains("unknown provider echo2");
    await()
        .untilAsserted(
            () -> assertThat(cluster.eventReasons(ns, "chat")).contains("SnapshotRejected"));
  }

  @Test
  void unchangedResourcesStayProgrammedWhenANewVersionIsRejected() throws Exception {
    String ns = TestCluster.freshNamespace();
    connectTwoSyncedGateways();
    cluster.create(LLMRoute.class, echoRoute(ns, "stable", "s"));
    String first = awaitSent(one, "stable", ns);
    await().until(() -> first.equals(two.latest()));
    one.ack(first);
    two.ack(first);
    awaitRoute(ns, "stable", "Programmed", "True/Programmed");

    cluster.create(LLMRoute.class, echoRoute(ns, "newcomer", "n"));
    String second = awaitSent(one, "newcomer", ns);
    one.nack(second, "bad");
    two.nack(second, "bad");

    awaitRoute(ns, "newcomer", "Programmed", "False/RejectedByGateways");
    assertThat(state(cluster.get(LLMRoute.class, ns, "stable"), "Programmed"))
        .isEqualTo("True/Programmed");
  }

  @Test
  void aSingleReplicaWithoutLeaderElectionPublishesNoFleetState() throws Exception {
    String ns = TestCluster.freshNamespace();
    connectTwoSyncedGateways();
    cluster.create(LLMRoute.class, echoRoute(ns, "alone", "alone"));
    String version = awaitSent(one, "alone", ns);
    await().until(() -> version.equals(two.latest()));
    one.ack(version);
    two.ack(version);
    awaitRoute(ns, "alone", "Programmed", "True/Programmed");

    // A replica with leader election writes its ConfigMap at start and within a second of a change.
    Thread.sleep(1_500);
    assertThat(
            client
                .configMaps()
                .inAnyNamespace()
                .withLabel(FleetState.COMPONENT_LABEL, FleetState.COMPONENT)
                .list()
                .getItems())
        .isEmpty();
  }

  @Test
  void configServiceRefusesAMissingOrWrongToken() throws Exception {
    try (FleetTestClient wrong = new FleetTestClient(operator.configPort(), "guess", "gw");
        FleetTestClient none = new FleetTestClient(operator.configPort(), "", "gw")) {
      assertThat(wrong.connect()).isEqualTo(401);
      assertThat(none.connect()).isEqualTo(401);
      assertThat(wrong.ack("sha256:00")).isEqualTo(401);
    }
  }

  @Test
  void promptTemplateStatusListsItsVersions() {
    String ns = TestCluster.freshNamespace();
    cluster.create(LLMRoute.class, echoRoute(ns, "chat", "m"));
    cluster.create(
        PromptTemplate.class,
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: PromptTemplate
        metadata: {name: bot, namespace: %s}
        spec:
          variables: [{name: question, required: true}]
          versions:
            - name: v1
              messages: [{role: user, content: "{{question}}"}]
              route: {name: chat}
            - name: v2
              messages: [{role: user, content: "Q: {{question}}"}]
              route: {name: chat}
        """
            .formatted(ns));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              PromptTemplate t = cluster.get(PromptTemplate.class, ns, "bot");
              assertThat(state(t, "ResolvedRefs")).isEqualTo("True/ResolvedRefs");
              assertThat(t.getStatus().getVersions()).containsExactly("v1", "v2");
            });
  }

  @Test
  void promptTemplateNamingAMissingRouteSaysWhich() {
    String ns = TestCluster.freshNamespace();
    cluster.create(
        PromptTemplate.class,
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: PromptTemplate
        metadata: {name: bot, namespace: %s}
        spec:
          versions:
            - name: v1
              messages: [{role: user, content: "hi"}]
              route: {name: nowhere}
        """
            .formatted(ns));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              PromptTemplate t = cluster.get(PromptTemplate.class, ns, "bot");
              assertThat(state(t, "ResolvedRefs")).isEqualTo("False/RefNotFound");
              assertThat(message(t, "ResolvedRefs")).contains("LLMRoute " + ns + "/nowhere");
            });
  }

  @Test
  void guardrailPolicyWithoutChecksIsNotAccepted() {
    String ns = TestCluster.freshNamespace();
    cluster.create(
        GuardrailPolicy.class,
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: GuardrailPolicy
        metadata: {name: empty, namespace: %s}
        spec: {checks: []}
        """
            .formatted(ns));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              GuardrailPolicy p = cluster.get(GuardrailPolicy.class, ns, "empty");
              assertThat(state(p, "Accepted")).isEqualTo("False/Invalid");
              assertThat(message(p, "Accepted")).contains("spec.checks");
            });
  }
}
