package dev.portcullis.operator;

import static dev.portcullis.operator.Statuses.message;
import static dev.portcullis.operator.Statuses.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.fake.FakeUpstream;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole control plane in one JVM: the mock API server, the operator, two gateways in fleet mode
 * and two fake upstreams, driven with the official OpenAI SDK using the key the operator minted.
 */
@EnableKubernetesMockClient(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetEndToEndTest {
  static final String TOKEN = "fleet-token-for-tests";
  static KubernetesMockServer server;
  static KubernetesClient client;
  static TestCluster cluster;
  static Path tokenFile;
  static PortcullisOperator operator;
  static FakeUpstream upstreamA;
  static FakeUpstream upstreamB;
  static TestGateways fleet;
  static List<Gateway> gateways;
  static final Map<String, OpenAIClient> sdkClients = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    TestCluster.installCrds(client);
    cluster = new TestCluster(client);
    tokenFile = TestCluster.tokenFile(TOKEN);
    operator = PortcullisOperator.start(client, OperatorSettings.forTests(tokenFile));
    upstreamA = FakeUpstream.start(0);
    upstreamB = FakeUpstream.start(0);
    fleet = TestGateways.connect(operator.configPort(), tokenFile, 2);
    gateways = fleet.all();
  }

  @AfterAll
  static void stop() {
    fleet.close();
    operator.close();
    upstreamA.close();
    upstreamB.close();
  }

  /** A namespace with an upstream Secret, a route to {@code upstream} and a minted key. */
  static String tenant(String model, FakeUpstream upstream, String keyExtra) {
    String ns = TestCluster.freshNamespace();
    cluster.secret(ns, "upstream", "apiKey", "sk-upstream");
    cluster.create(LLMRoute.class, route(ns, "chat", model, upstream, ""));
    cluster.create(VirtualKey.class, key(ns, "app", keyExtra));
    return ns;
  }

  static String route(String ns, String name, String model, FakeUpstream upstream, String extra) {
    return """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: %s, namespace: %s}
        spec:
          model: %s
          targets:
            - name: main
              provider: openai
              model: %s
              baseUrl: %s/v1
              credentials: {secretRef: {name: upstream, key: apiKey}}
        %s
        """
        .formatted(name, ns, model, model, upstream.baseUrl(), extra.indent(2));
  }

  static String key(String ns, String name, String extra) {
    return """
        apiVersion: portcullis.dev/v1alpha1
        kind: VirtualKey
        metadata: {name: %s, namespace: %s}
        spec:
          secretName: %s-key
        %s
        """
        .formatted(name, ns, name, extra.indent(2));
  }

  static String mintedKey(String ns) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.secretValue(ns, "app-key", "apiKey") != null);
    return cluster.secretValue(ns, "app-key", "apiKey");
  }

  static String chat(Gateway gateway, String key, String model) {
    OpenAIClient openai =
        sdkClients.computeIfAbsent(
            gateway.port() + " " + key,
            k ->
                OpenAIOkHttpClient.builder()
                    .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
                    .apiKey(key)
                    .maxRetries(0)
                    .build());
    return openai
        .chat()
        .completions()
        .create(ChatCompletionCreateParams.builder().model(model).addUserMessage("hi").build())
        .choices()
        .getFirst()
        .message()
        .content()
        .orElse("");
  }

  static void awaitBothServe(String key, String model) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (Gateway g : gateways) {
                assertThat(chat(g, key, model)).isNotEmpty();
              }
            });
  }

  @Test
  @Order(1)
  void requestsWithTheMintedKeySucceedOnBothGatewaysAndTheRouteIsProgrammed() {
    String ns = tenant("e2e-first", upstreamA, "");
    String key = mintedKey(ns);

    awaitBothServe(key, "e2e-first");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              LLMRoute r = cluster.get(LLMRoute.class, ns, "chat");
              assertThat(state(r, "Ready")).isEqualTo("True/Ready");
              assertThat(r.getStatus().getFleet().getSynced()).isEqualTo(2);
              assertThat(r.getStatus().getFleet().getTotal()).isEqualTo(2);
              assertThat(message(r, "Programmed")).contains("2 of 2 gateways");
            });
    assertThat(gateways.get(0).appliedVersion()).isEqualTo(operator.servedVersion());
    assertThat(gateways.get(1).appliedVersion()).isEqualTo(operator.servedVersion());
  }

  @Test
  @Order(2)
  void changedTargetIsServedByBothGatewaysWithinOneSecond() {
    String ns = tenant("e2e-move", upstreamA, "");
    String key = mintedKey(ns);
    awaitBothServe(key, "e2e-move");

    cluster.update(LLMRoute.class, route(ns, "chat", "e2e-move", upstreamB, ""));
    long before = upstreamB.requestCount();

    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              long start = upstreamB.requestCount();
              for (Gateway g : gateways) {
                chat(g, key, "e2e-move");
              }
              assertThat(upstreamB.requestCount() - start).isEqualTo(2);
            });
    assertThat(upstreamB.requestCount()).isGreaterThan(before);
  }

  @Test
  @Order(3)
  void rotatedKeyWorksAndThePreviousOneWorksUntilTheGracePeriodEnds() {
    String ns = tenant("e2e-rotate", upstreamA, "rotation: {every: 720h, gracePeriod: 3s}");
    String old = mintedKey(ns);
    awaitBothServe(old, "e2e-rotate");

    cluster.annotate(VirtualKey.class, ns, "app", VirtualKey.ROTATE_ANNOTATION, "once");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !old.equals(cluster.secretValue(ns, "app-key", "apiKey")));
    String fresh = cluster.secretValue(ns, "app-key", "apiKey");
    Instant graceEnds = Instant.now().plusSeconds(3);

    awaitBothServe(fresh, "e2e-rotate");
    if (Instant.now().isBefore(graceEnds.minusMillis(500))) {
      assertThat(chat(gateways.get(0), old, "e2e-rotate")).isNotEmpty();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              for (Gateway g : gateways) {
                assertThatThrownBy(() -> chat(g, old, "e2e-rotate"))
                    .isInstanceOf(UnauthorizedException.class);
              }
            });
    assertThat(chat(gateways.get(1), fresh, "e2e-rotate")).isNotEmpty();
  }

  @Test
  @Order(4)
  void deletedVirtualKeyIsRefusedWithinOneSecond() {
    String ns = tenant("e2e-revoke", upstreamA, "");
    String key = mintedKey(ns);
    awaitBothServe(key, "e2e-revoke");

    cluster.delete(VirtualKey.class, ns, "app");

    await()
        .atMost(Duration.ofSeconds(1))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              for (Gateway g : gateways) {
                assertThatThrownBy(() -> chat(g, key, "e2e-revoke"))
                    .isInstanceOf(UnauthorizedException.class);
              }
            });
  }

  @Test
  @Order(5)
  void removedSecretIsNamedInItsRouteStatusWhileOtherRoutesKeepWorking() {
    String ns = tenant("e2e-kept", upstreamA, "");
    cluster.secret(ns, "other-upstream", "apiKey", "sk-other");
    cluster.create(
        LLMRoute.class,
        route(ns, "fragile", "e2e-fragile", upstreamA, "")
            .replace("name: upstream, key", "name: other-upstream, key"));
    String key = mintedKey(ns);
    awaitBothServe(key, "e2e-fragile");

    client.secrets().inNamespace(ns).withName("other-upstream").delete();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              LLMRoute r = cluster.get(LLMRoute.class, ns, "fragile");
              assertThat(state(r, "ResolvedRefs")).isEqualTo("False/SecretNotFound");
              assertThat(message(r, "ResolvedRefs"))
                  .contains("Secret " + ns + "/other-upstream does not exist");
            });
    for (Gateway g : gateways) {
      assertThat(chat(g, key, "e2e-kept")).isNotEmpty();
    }
    assertThat(state(cluster.get(LLMRoute.class, ns, "chat"), "Ready")).isEqualTo("True/Ready");
  }

  @Test
  @Order(6)
  void keyFromOneNamespaceCannotUseARouteOfAnotherThatDoesNotAdmitIt() {
    String a = tenant("e2e-team-a", upstreamA, "");
    String b = tenant("e2e-team-b", upstreamA, "");
    String keyA = mintedKey(a);
    String keyB = mintedKey(b);
    awaitBothServe(keyB, "e2e-team-b");
    awaitBothServe(keyA, "e2e-team-a");

    for (Gateway g : gateways) {
      assertThatThrownBy(() -> chat(g, keyA, "e2e-team-b"))
          .isInstanceOfSatisfying(
              OpenAIServiceException.class, e -> assertThat(e.statusCode()).isIn(403, 404));
    }
  }

  @Test
  @Order(7)
  void gatewaysKeepServingWhileTheOperatorIsAwayAndResyncWhenItReturns() throws Exception {
    String ns = tenant("e2e-outage", upstreamA, "");
    String key = mintedKey(ns);
    awaitBothServe(key, "e2e-outage");
    int port = operator.configPort();

    operator.close();
    await().atMost(Duration.ofSeconds(5)).until(fleet::noneConnected);
    for (Gateway g : gateways) {
      assertThat(chat(g, key, "e2e-outage")).isNotEmpty();
    }
    cluster.update(LLMRoute.class, route(ns, "chat", "e2e-outage", upstreamB, ""));

    operator =
        PortcullisOperator.start(client, OperatorSettings.forTests(tokenFile).withConfigPort(port));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              for (Gateway g : gateways) {
                assertThat(g.appliedVersion()).isEqualTo(operator.servedVersion());
              }
            });
    long start = upstreamB.requestCount();
    for (Gateway g : gateways) {
      chat(g, key, "e2e-outage");
    }
    assertThat(upstreamB.requestCount() - start).isEqualTo(2);
  }
}
