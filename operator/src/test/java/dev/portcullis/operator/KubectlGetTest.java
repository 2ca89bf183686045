package dev.portcullis.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.portcullis.api.ResourceStatus;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.gateway.capability.Capabilities;
import dev.portcullis.gateway.fake.FakeUpstream;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator flow of the README, checked column by column: the multi-tenant, fallback, guardrails
 * and prompt-ab examples applied to the mock API server, reconciled by the operator and served by
 * two gateways, then listed as {@code kubectl get} prints them on a real cluster (the CRDs' printer
 * columns, evaluated as the API server does: {@link PrinterColumnTable}). Every column must show a
 * real value. The listings are written to {@code target/kubectl-get.txt}, where the README's output
 * comes from.
 */
@EnableKubernetesMockClient(crud = true)
class KubectlGetTest {
  static KubernetesMockServer server;
  static KubernetesClient client;
  static TestCluster cluster;
  static PortcullisOperator operator;
  static FakeUpstream upstream;
  static TestGateways fleet;

  @BeforeAll
  static void applyTheExamples() throws Exception {
    TestCluster.installCrds(client);
    cluster = new TestCluster(client);
    Path tokenFile = TestCluster.tokenFile("fleet-token-for-tests");
    operator =
        PortcullisOperator.start(
            client,
            OperatorSettings.forTests(tokenFile).withUsageStatusInterval(Duration.ofSeconds(1)));
    upstream = FakeUpstream.start(0);
    fleet = TestGateways.connect(operator.configPort(), tokenFile, 2);
    cluster.applyExample("multi-tenant", "default", KubectlGetTest::toFakeUpstream);
    cluster.applyExample("fallback", "fallback", KubectlGetTest::toFakeUpstream);
    cluster.applyExample("guardrails", "guardrails", doc -> {});
    cluster.applyExample("prompt-ab", "prompt-ab", doc -> {});

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              for (Class<? extends CustomResource<?, ? extends ResourceStatus>> kind :
                  List.of(
                      LLMRoute.class,
                      VirtualKey.class,
                      GuardrailPolicy.class,
                      PromptTemplate.class)) {
                for (var resource : client.resources(kind).inAnyNamespace().list().getItems()) {
                  assertThat(Statuses.state(resource, "Ready"))
                      .as(kind.getSimpleName() + " " + resource.getMetadata().getName())
                      .isEqualTo(enforcedHere(resource) ? "True/Ready" : "False/CapabilityMissing");
                }
              }
            });
    String checkout = cluster.secretValue("team-a", "checkout-key", "apiKey");
    OpenAIClient openai =
        OpenAIOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + fleet.get(0).port() + "/v1")
            .apiKey(checkout)
            .maxRetries(0)
            .build();
    try {
      openai
          .chat()
          .completions()
          .create(ChatCompletionCreateParams.builder().model("chat").addUserMessage("hi").build());
    } finally {
      openai.close();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              VirtualKey key = cluster.get(VirtualKey.class, "team-a", "checkout");
              return key.getStatus().getUsage() != null
                  && key.getStatus().getUsage().getRequests() == 1;
            });
  }

  /**
   * Whether the gateways of this build enforce everything {@code resource} needs. What they cannot
   * enforce (today: guardrail check types, prompt templates) is not Ready, and says why.
   */
  static boolean enforcedHere(HasMetadata resource) {
    String name = resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    return Capabilities.ofThisBuild().notEnforced(operator.servedSnapshot()).stream()
        .noneMatch(e -> e.kind().equals(resource.getKind()) && e.name().equals(name));
  }

  static String readyCell(Class<? extends HasMetadata> kind, String ns, String name) {
    return enforcedHere(cluster.get(kind, ns, name)) ? "True" : "False";
  }

  static void toFakeUpstream(ObjectNode doc) {
    for (JsonNode target : doc.path("spec").path("targets")) {
      if (target.has("baseUrl")) {
        ((ObjectNode) target).put("baseUrl", upstream.baseUrl() + "/v1");
      }
    }
  }

  @AfterAll
  static void stop() throws IOException {
    writeListings();
    fleet.close();
    operator.close();
    upstream.close();
  }

  static PrinterColumnTable.Table get(String plural, Class<? extends CustomResource<?, ?>> type) {
    return PrinterColumnTable.of(plural).get(client, type, false, Instant.now());
  }

  /** {@code kubectl get <plural> -A -o wide}. */
  static PrinterColumnTable.Table getWide(
      String plural, Class<? extends CustomResource<?, ?>> type) {
    return PrinterColumnTable.of(plural).get(client, type, true, Instant.now());
  }

  @Test
  void routesShowModelEffectiveStrategyEveryTargetAndReady() {
    PrinterColumnTable.Table routes = get("llmroutes", LLMRoute.class);

    PrinterColumnTable.Row fallback = routes.row("fallback", "chat");
    assertThat(fallback.cell("MODEL")).isEqualTo("chat");
    assertThat(fallback.cell("STRATEGY")).isEqualTo("Fallback");
    assertThat(fallback.cell("TARGETS")).isEqualTo("primary,secondary");
    assertThat(fallback.cell("READY")).isEqualTo("True");
    assertThat(fallback.cell("AGE")).matches("[0-9]+s");

    PrinterColumnTable.Row teamA = routes.row("team-a", "chat");
    assertThat(teamA.cell("STRATEGY")).as("no strategy in the spec: Single").isEqualTo("Single");
    assertThat(teamA.cell("TARGETS")).isEqualTo("fake");
  }

  @Test
  void aRouteLeftOutIsNotReadyAndShowsNoTargetsWhileItsStatusNamesTheMissingSecret() {
    String yaml =
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: chat, namespace: team-c}
        spec:
          model: chat
          targets:
            - name: openai
              provider: openai
              model: gpt-4o
              credentials: {secretRef: {name: openai, key: apiKey}}
        """;
    cluster.namespace("team-c");
    cluster.create(LLMRoute.class, yaml);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Statuses.state(cluster.get(LLMRoute.class, "team-c", "chat"), "Ready")
                    .equals("False/SecretNotFound"));

    PrinterColumnTable.Row row = get("llmroutes", LLMRoute.class).row("team-c", "chat");
    assertThat(row.cell("READY")).isEqualTo("False");
    assertThat(row.cell("TARGETS")).as("not served by any gateway").isEmpty();
    assertThat(Statuses.message(cluster.get(LLMRoute.class, "team-c", "chat"), "ResolvedRefs"))
        .contains("Secret team-c/openai does not exist");
  }

  @Test
  void wideRoutesShowHowManyGatewaysRunThemAndTheConfigVersion() {
    PrinterColumnTable.Table wide = getWide("llmroutes", LLMRoute.class);

    PrinterColumnTable.Row row = wide.row("team-shared", "embeddings");
    assertThat(row.cell("SYNCED")).isEqualTo("2");
    assertThat(row.cell("CONFIG"))
        .isEqualTo(
            cluster.get(LLMRoute.class, "team-shared", "embeddings").getStatus().getConfigVersion())
        .startsWith("sha256:");
  }

  @Test
  void keysShowSecretBudgetSpendReadyAndWidePeriodAndThePublicKeyId() {
    PrinterColumnTable.Row checkout =
        getWide("virtualkeys", VirtualKey.class).row("team-a", "checkout");
    VirtualKey key = cluster.get(VirtualKey.class, "team-a", "checkout");

    assertThat(checkout.cell("SECRET")).isEqualTo("checkout-key");
    assertThat(checkout.cell("BUDGET")).isEqualTo("50.00");
    assertThat(checkout.cell("PERIOD")).isEqualTo("Monthly");
    assertThat(checkout.cell("SPEND")).isEqualTo(key.getStatus().getUsage().getSpendUsd());
    assertThat(new BigDecimal(checkout.cell("SPEND"))).isPositive();
    assertThat(checkout.cell("READY")).isEqualTo("True");
    assertThat(checkout.cell("KEYID")).isEqualTo(key.getStatus().getKeyId()).startsWith("vk_");
    assertThat(checkout.cells())
        .noneMatch(cell -> cell.contains(cluster.secretValue("team-a", "checkout-key", "apiKey")));
  }

  @Test
  void policiesShowEveryCheckInOrder() {
    PrinterColumnTable.Row policy =
        get("guardrailpolicies", GuardrailPolicy.class).row("guardrails", "content-policy");

    assertThat(policy.cell("CHECKS"))
        .isEqualTo("mask-pii,mask-internal-hosts,no-competitors,max-size,injection");
    assertThat(policy.cell("READY"))
        .isEqualTo(readyCell(GuardrailPolicy.class, "guardrails", "content-policy"));
  }

  @Test
  void templatesShowTheTrafficSplit() {
    PrinterColumnTable.Row template =
        get("prompttemplates", PromptTemplate.class).row("prompt-ab", "support-bot");

    assertThat(template.cell("ROLLOUT")).isEqualTo("v1=90%,v2=10%");
    assertThat(template.cell("READY"))
        .isEqualTo(readyCell(PromptTemplate.class, "prompt-ab", "support-bot"));
  }

  /** What the README shows, from this run. */
  static void writeListings() throws IOException {
    StringBuilder out = new StringBuilder();
    listing(out, "kubectl get llmroutes -A", get("llmroutes", LLMRoute.class));
    listing(out, "kubectl get llmroutes -A -o wide", getWide("llmroutes", LLMRoute.class));
    listing(out, "kubectl get virtualkeys -A", get("virtualkeys", VirtualKey.class));
    listing(out, "kubectl get virtualkeys -A -o wide", getWide("virtualkeys", VirtualKey.class));
    listing(
        out, "kubectl get guardrailpolicies -A", get("guardrailpolicies", GuardrailPolicy.class));
    listing(out, "kubectl get prompttemplates -A", get("prompttemplates", PromptTemplate.class));

    LLMRoute broken = cluster.get(LLMRoute.class, "team-c", "chat");
    if (broken != null) {
      out.append(
              "$ kubectl get llmr chat -n team-c -o jsonpath="
                  + "'{.status.conditions[?(@.type==\"ResolvedRefs\")].message}'\n")
          .append(Statuses.message(broken, "ResolvedRefs"))
          .append("\n\n");
    }

    ObjectMapper yaml =
        new ObjectMapper(
            new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    VirtualKey checkout = cluster.get(VirtualKey.class, "team-a", "checkout");
    out.append("$ kubectl get virtualkey checkout -n team-a -o yaml   # status\n")
        .append(
            yaml.writeValueAsString(
                yaml.createObjectNode().set("status", yaml.valueToTree(checkout.getStatus()))))
        .append('\n');

    List<List<String>> events = new ArrayList<>();
    events.add(List.of("TYPE", "REASON", "OBJECT", "MESSAGE"));
    for (Event e : cluster.events("team-a", "checkout")) {
      events.add(
          List.of(
              e.getType(),
              e.getReason(),
              "virtualkey/" + e.getInvolvedObject().getName(),
              e.getMessage()));
    }
    out.append("$ kubectl get events -n team-a --field-selector involvedObject.name=checkout\n");
    out.append(PrinterColumnTable.layOut(events));
    Files.writeString(Path.of("target", "kubectl-get.txt"), out);
  }

  private static void listing(StringBuilder out, String command, PrinterColumnTable.Table table) {
    out.append("$ ").append(command).append('\n').append(table.render()).append('\n');
  }
}
