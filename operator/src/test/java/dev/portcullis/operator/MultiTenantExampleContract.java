package dev.portcullis.operator;

import static dev.portcullis.operator.Statuses.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.Headers;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.portcullis.api.key.KeyUsage;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.fake.FakeUpstream;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code examples/multi-tenant} applied as written (targets pointed at a fake upstream, key Secrets
 * left to the operator, and the checkout key's budget made small), served by two gateways in fleet
 * mode and driven by the official OpenAI SDK with the keys the operator minted. Subclasses choose
 * where the gateways count: shared Redis or each gateway on its own.
 *
 * <p>Every answer's {@code x-portcullis-cost-usd} is added up per key; the VirtualKey's {@code
 * status.usage} must come to the same spend and number of requests.
 */
@EnableKubernetesMockClient(crud = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class MultiTenantExampleContract {
  static final String TOKEN = "fleet-token-for-tests";

  /**
   * Small enough that a few dozen requests use it up (one costs about $0.0001 at team-a's prices).
   */
  static final String SMALL_BUDGET = "0.005";

  static final Duration USAGE_STATUS_INTERVAL = Duration.ofSeconds(1);

  static KubernetesMockServer server;
  static KubernetesClient client;

  TestCluster cluster;
  PortcullisOperator operator;
  FakeUpstream upstream;
  TestGateways fleet;
  List<Gateway> gateways;
  final Map<String, OpenAIClient> sdkClients = new ConcurrentHashMap<>();

  /** What each key was charged, by {@code namespace/name}: the sum of the cost headers. */
  final Map<String, BigDecimal> charged = new ConcurrentHashMap<>();

  /** How many requests of each key were served. */
  final Map<String, Long> served = new ConcurrentHashMap<>();

  /** The gateways' settings (where they count). */
  abstract GatewaySettings gatewaySettings();

  /** Skips the test when what the gateways need is missing. */
  void assumeAvailable() {}

  /** Removes what the gateways left behind (Redis keys). */
  void cleanUp() {}

  @BeforeAll
  void start() throws Exception {
    assumeAvailable();
    TestCluster.installCrds(client);
    cluster = new TestCluster(client);
    Path tokenFile = TestCluster.tokenFile(TOKEN);
    operator =
        PortcullisOperator.start(
            client,
            OperatorSettings.forTests(tokenFile).withUsageStatusInterval(USAGE_STATUS_INTERVAL));
    upstream = FakeUpstream.start(0);
    fleet = TestGateways.connect(operator.configPort(), tokenFile, 2, this::gatewaySettings);
    gateways = fleet.all();
    applyExample();
  }

  @AfterAll
  void stop() {
    if (operator == null) {
      return; // skipped
    }
    fleet.close();
    operator.close();
    upstream.close();
    sdkClients.values().forEach(OpenAIClient::close);
    cleanUp();
  }

  /** Applies the example's namespaces, routes and keys; Secrets are the operator's to mint. */
  void applyExample() {
    cluster.applyExample(
        "multi-tenant",
        "default",
        doc -> {
          for (JsonNode target : doc.path("spec").path("targets")) {
            if (target.has("baseUrl")) {
              ((ObjectNode) target).put("baseUrl", upstream.baseUrl() + "/v1");
            }
          }
          if (doc.path("kind").asText().equals("VirtualKey")
              && doc.path("metadata").path("name").asText().equals("checkout")) {
            ((ObjectNode) doc.path("spec").path("budget")).put("amountUSD", SMALL_BUDGET);
          }
        });
  }

  String mintedKey(String namespace, String secret) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.secretValue(namespace, secret, "apiKey") != null);
    return cluster.secretValue(namespace, secret, "apiKey");
  }

  OpenAIClient sdk(Gateway gateway, String key) {
    return sdkClients.computeIfAbsent(
        gateway.port() + " " + key,
        k ->
            OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + gateway.port() + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .build());
  }

  /** Counts an answer's cost against the key. */
  void charge(String keyName, Headers headers, boolean servedOk) {
    List<String> cost = headers.values("x-portcullis-cost-usd");
    assertThat(cost).as("x-portcullis-cost-usd of an answer to " + keyName).hasSize(1);
    charged.merge(keyName, new BigDecimal(cost.getFirst()), BigDecimal::add);
    if (servedOk) {
      served.merge(keyName, 1L, Long::sum);
    }
  }

  ChatCompletion chat(Gateway gateway, String keyName, String key) {
    try (HttpResponseFor<ChatCompletion> response =
        sdk(gateway, key)
            .chat()
            .completions()
            .withRawResponse()
            .create(
                ChatCompletionCreateParams.builder().model("chat").addUserMessage("Hi").build())) {
      charge(keyName, response.headers(), true);
      return response.parse();
    } catch (RateLimitException e) {
      charge(keyName, e.headers(), false);
      throw e;
    }
  }

  CreateEmbeddingResponse embed(Gateway gateway, String keyName, String key) {
    try (HttpResponseFor<CreateEmbeddingResponse> response =
        sdk(gateway, key)
            .embeddings()
            .withRawResponse()
            .create(EmbeddingCreateParams.builder().model("embeddings").input("hello").build())) {
      charge(keyName, response.headers(), true);
      return response.parse();
    }
  }

  /** Waits until both gateways run a snapshot with the example's routes. */
  void awaitServing(String keyName, String key) {
    await()
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (Gateway g : gateways) {
                assertThat(chat(g, keyName, key).choices()).isNotEmpty();
              }
            });
  }

  @Test
  @Order(1)
  void eachTeamsKeysAreServedByTheirOwnTeamsChatRouteOnBothGateways() {
    String checkout = mintedKey("team-a", "checkout-key");
    String analytics = mintedKey("team-a", "analytics-key");
    String support = mintedKey("team-b", "support-key");
    awaitServing("team-a/checkout", checkout);

    for (Gateway g : gateways) {
      assertThat(chat(g, "team-a/checkout", checkout).model()).isEqualTo("fake-team-a");
      assertThat(chat(g, "team-a/analytics", analytics).model()).isEqualTo("fake-team-a");
      assertThat(chat(g, "team-b/support", support).model()).isEqualTo("fake-team-b");
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              for (String[] key :
                  List.of(
                      new String[] {"team-a", "checkout"},
                      new String[] {"team-a", "analytics"},
                      new String[] {"team-b", "support"})) {
                assertThat(state(cluster.get(VirtualKey.class, key[0], key[1]), "Ready"))
                    .isEqualTo("True/Ready");
              }
            });
  }

  @Test
  @Order(2)
  void teamAReachesTheSharedEmbeddingsRouteThatAdmitsIt() {
    String checkout = mintedKey("team-a", "checkout-key");

    for (Gateway g : gateways) {
      assertThat(embed(g, "team-a/checkout", checkout).data()).isNotEmpty();
    }
  }

  @Test
  @Order(3)
  void teamBCannotUseTheSharedRouteAndIsToldTheModelDoesNotExist() {
    String support = mintedKey("team-b", "support-key");

    for (Gateway g : gateways) {
      assertThatThrownBy(() -> embed(g, "team-b/support", support))
          .isInstanceOfSatisfying(
              NotFoundException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(404);
                assertThat(e.code()).contains("model_not_found");
                assertThat(e.getMessage()).contains("embeddings");
              });
    }
  }

  @Test
  @Order(4)
  void aKeyWithASmallBudgetIsRefusedWithInsufficientQuotaOnceItIsSpent() {
    String checkout = mintedKey("team-a", "checkout-key");
    Gateway gateway = gateways.getFirst();

    RateLimitException refusal = null;
    int admitted = 0;
    for (int i = 0; i < 400 && refusal == null; i++) {
      try {
        chat(gateway, "team-a/checkout", checkout);
        admitted++;
      } catch (RateLimitException e) {
        refusal = e;
      }
    }

    assertThat(refusal).as("a refusal within 400 requests").isNotNull();
    assertThat(admitted).isPositive();
    assertThat(refusal.statusCode()).isEqualTo(429);
    assertThat(refusal.code()).contains("insufficient_quota");
    assertThat(refusal.getMessage()).contains("team-a/checkout").contains("monthly budget");
    assertThat(refusal.headers().values("x-portcullis-cost-usd")).containsExactly("0");
  }

  @Test
  @Order(5)
  void eachKeysStatusShowsTheSpendAndRequestsTheGatewaysCharged() {
    for (String key : List.of("team-a/checkout", "team-a/analytics", "team-b/support")) {
      String namespace = key.substring(0, key.indexOf('/'));
      String name = key.substring(key.indexOf('/') + 1);
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> {
                VirtualKey vk = cluster.get(VirtualKey.class, namespace, name);
                KeyUsage usage = vk.getStatus() == null ? null : vk.getStatus().getUsage();
                assertThat(usage).as("status.usage of " + key).isNotNull();
                assertThat(new BigDecimal(usage.getSpendUsd()))
                    .as("spendUSD of " + key)
                    .isEqualByComparingTo(charged.get(key));
                assertThat(usage.getRequests()).as("requests of " + key).isEqualTo(served.get(key));
                assertThat(usage.getInputTokens()).isPositive();
                assertThat(usage.getOutputTokens()).isPositive();
                assertThat(usage.getPeriodStart()).isNotBlank();
                assertThat(usage.getUpdatedAt()).isNotBlank();
              });
    }
    assertThat(charged.get("team-a/checkout")).isGreaterThanOrEqualTo(new BigDecimal(SMALL_BUDGET));
  }
}
