package dev.portcullis.operator;

import static dev.portcullis.operator.Statuses.message;
import static dev.portcullis.operator.Statuses.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portcullis.api.ResourceStatus;
import dev.portcullis.api.fleet.FleetProtocol;
import dev.portcullis.api.fleet.GatewayCapabilities;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.gateway.FleetConfigSource;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.capability.Capabilities;
import dev.portcullis.gateway.testing.SecretScan;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Status tells where a resource is enforced: a mixed-version fleet where one gateway lacks the
 * guardrail check type a policy uses. Real gateways in fleet mode, each announcing its own
 * capabilities: an "older" one without the check type, a "newer" one with it (a stand-in for the
 * build where the guardrail registry adds it; this build enforces no check type yet).
 */
@EnableKubernetesMockClient(crud = true)
class GatewayCapabilitiesStatusTest {
  static final String TOKEN = "the-fleet-token";
  static KubernetesMockServer server;
  static KubernetesClient client;
  static TestCluster cluster;
  static PortcullisOperator operator;
  static Path tokenFile;

  /** A build that runs regex checks. */
  static final GatewayCapabilities NEWER =
      Capabilities.builder().endpoint("/v1/chat/completions").guardrailCheckType("regex").build();

  /** A build from before guardrails: endpoints only. */
  static final GatewayCapabilities OLDER =
      Capabilities.builder().endpoint("/v1/chat/completions").build();

  final List<AutoCloseable> running = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    TestCluster.installCrds(client);
    cluster = new TestCluster(client);
    tokenFile = TestCluster.tokenFile(TOKEN);
    operator = PortcullisOperator.start(client, OperatorSettings.forTests(tokenFile));
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @AfterEach
  void closeGateways() throws Exception {
    for (AutoCloseable c : running.reversed()) {
      c.close();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> operator.connectedGateways().isEmpty());
  }

  /** A gateway pod named {@code pod} that announces {@code capabilities}. */
  FleetConfigSource gateway(String pod, GatewayCapabilities capabilities) {
    Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()));
    FleetConfigSource source =
        FleetConfigSource.start(
            URI.create("http://127.0.0.1:" + operator.configPort()),
            tokenFile,
            pod,
            gateway,
            TestGateways.FAST.withCapabilities(capabilities));
    running.add(gateway);
    running.add(source);
    return source;
  }

  static void createGuardedAndPlainRoutes(String ns) {
    cluster.create(
        GuardrailPolicy.class,
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: GuardrailPolicy
        metadata: {name: pii, namespace: %s}
        spec:
          checks:
            - {name: mask, stages: [Input], action: Redact, regex: {pattern: "[0-9]{4}"}}
        """
            .formatted(ns));
    cluster.create(
        LLMRoute.class,
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: guarded, namespace: %s}
        spec:
          model: guarded
          targets: [{name: echo, provider: echo}]
          guardrails: {input: [{name: pii}]}
        """
            .formatted(ns));
    cluster.create(
        LLMRoute.class,
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: plain, namespace: %s}
        spec:
          model: plain
          targets: [{name: echo, provider: echo}]
        """
            .formatted(ns));
  }

  static <R extends CustomResource<?, ? extends ResourceStatus>> R awaitState(
      Class<R> kind, String ns, String name, String expected) {
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> assertThat(state(cluster.get(kind, ns, name), "Programmed")).isEqualTo(expected));
    return cluster.get(kind, ns, name);
  }

  @Test
  void aResourceAGatewayCannotEnforceIsNotProgrammedAndStatusNamesTheCapabilityAndTheGateway() {
    String ns = TestCluster.freshNamespace();
    gateway("gateway-old", OLDER);
    gateway("gateway-new", NEWER);
    createGuardedAndPlainRoutes(ns);

    LLMRoute guarded = awaitState(LLMRoute.class, ns, "guarded", "False/CapabilityMissing");
    assertThat(message(guarded, "Programmed"))
        .contains("gateway-old")
        .contains("guardrail/regex")
        .contains("1 of 2 gateways")
        .doesNotContain("gateway-new");
    assertThat(guarded.getStatus().getFleet().getSynced()).isEqualTo(1);
    GuardrailPolicy policy =
        awaitState(GuardrailPolicy.class, ns, "pii", "False/CapabilityMissing");
    assertThat(message(policy, "Programmed")).contains("gateway-old").contains("guardrail/regex");
    assertThat(state(cluster.get(LLMRoute.class, ns, "plain"), "Programmed"))
        .isEqualTo("True/Programmed");
    assertThat(state(guarded, "Ready")).isEqualTo("False/CapabilityMissing");
    await()
        .untilAsserted(
            () -> assertThat(cluster.eventReasons(ns, "guarded")).contains("CapabilityMissing"));
  }

  @Test
  void onceTheOlderGatewayIsReplacedByOneThatEnforcesItTheResourceIsProgrammed() throws Exception {
    String ns = TestCluster.freshNamespace();
    FleetConfigSource older = gateway("gateway-1", OLDER);
    gateway("gateway-2", NEWER);
    createGuardedAndPlainRoutes(ns);
    awaitState(LLMRoute.class, ns, "guarded", "False/CapabilityMissing");

    // The rolling upgrade replaces the pod: same name, newer build.
    older.close();
    gateway("gateway-1", NEWER);

    LLMRoute guarded = awaitState(LLMRoute.class, ns, "guarded", "True/Programmed");
    assertThat(guarded.getStatus().getFleet().getSynced()).isEqualTo(2);
    awaitState(GuardrailPolicy.class, ns, "pii", "True/Programmed");
  }

  @Test
  void aGatewayThatAnnouncesNothingIsTakenToEnforceOnlyTheBaseline() throws Exception {
    String ns = TestCluster.freshNamespace();
    createGuardedAndPlainRoutes(ns);
    awaitState(LLMRoute.class, ns, "guarded", "False/NoGateways");
    // A gateway from before capabilities: no announcement, acknowledgements without entries.
    FleetTestClient old = new FleetTestClient(operator.configPort(), TOKEN, "gateway-legacy");
    running.add(old);
    assertThat(old.connect()).isEqualTo(200);
    await().until(() -> old.latest() != null);
    assertThat(old.ack(old.latest())).isEqualTo(204);

    LLMRoute guarded = awaitState(LLMRoute.class, ns, "guarded", "False/CapabilityMissing");
    assertThat(message(guarded, "Programmed"))
        .contains("gateway-legacy")
        .contains("guardrail/regex");
    awaitState(LLMRoute.class, ns, "plain", "True/Programmed");
  }

  @Test
  void aMalformedAnnouncementIsRefusedWith400NamingTheHeader() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + operator.configPort()
                              + FleetProtocol.SNAPSHOTS_PATH))
                  .header("Authorization", "Bearer " + TOKEN)
                  .header(FleetProtocol.POD_HEADER, "gateway-garbled")
                  .header(FleetProtocol.CAPABILITIES_HEADER, "regex,pii")
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.body()).contains(FleetProtocol.CAPABILITIES_HEADER);
    }
    assertThat(operator.connectedGateways()).doesNotContain("gateway-garbled");
  }
}
