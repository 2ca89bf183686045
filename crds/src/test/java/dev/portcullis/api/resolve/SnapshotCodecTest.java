package dev.portcullis.api.resolve;

import static dev.portcullis.api.resolve.Manifests.read;
import static dev.portcullis.api.resolve.Manifests.secret;
import static dev.portcullis.api.resolve.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.Snapshot;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every kind, every optional part: the API.md examples resolved together. */
  static final String EVERYTHING =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: chat, namespace: team-a, generation: 3}
      spec:
        model: gpt-4o
        aliases: [chat-default]
        strategy:
          mode: Fallback
          fallbackOn: {statusCodes: [503, 429, 500], timeouts: true, connectionErrors: false}
          conditions:
            - when: {"metadata.tier": {in: [pro, enterprise]}, "params.stream": {eq: true}}
              target: primary
          default: secondary
          hedge: {after: 800ms}
        targets:
          - name: primary
            provider: openai
            model: gpt-4o-2024-08-06
            baseUrl: https://api.openai.com/v1
            credentials: {secretRef: {name: openai, key: apiKey}}
            weight: 3
            timeouts: {connect: 2s, firstByte: 20s, total: 120s}
            params: {temperature: 0.2, max_tokens: 100, stop: ["\\n"]}
            pricing: {inputPerMTok: "2.50", outputPerMTok: "10.00", cachedInputPerMTok: "1.25"}
            limits: {requestsPerMinute: 500, tokensPerMinute: 200000}
          - name: secondary
            route: {name: claude}
        retry: {attempts: 2, backoff: {base: 200ms, max: 5s}, onStatusCodes: [503, 429, 502], honorRetryAfter: true, maxRetryAfter: 30s}
        cooldown: {failures: 5, window: 60s, duration: 30s}
        timeout: 300s
        cache: {mode: Exact, ttl: 10m}
        guardrails: {input: [{name: pii}], output: [{name: pii}]}
        promptTemplate: {name: support-bot}
        access: {namespaces: [team-c, team-b]}
        logging: {bodies: false}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: claude, namespace: team-a}
      spec:
        model: claude
        strategy: {mode: Adaptive}
        targets:
          - {name: anthropic, provider: anthropic, credentials: {secretRef: {name: anthropic, key: apiKey}}}
          - {name: echo, provider: echo}
        cache: {mode: Semantic, ttl: 1h, semantic: {threshold: 0.9}}
        access: {namespaces: ["*"]}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: VirtualKey
      metadata: {name: checkout-service, namespace: team-a}
      spec:
        secretName: checkout-llm-key
        routes: [chat, team-a/claude]
        limits: {requestsPerMinute: 60, tokensPerMinute: 100000, maxConcurrent: 10}
        budget: {amountUSD: "100.00", period: Monthly, action: Block}
        expiresAt: "2027-01-01T00:00:00Z"
        onStoreUnavailable: FailOpen
        providerCredentials:
          - {provider: openai, secretRef: {name: team-a-openai, key: apiKey}}
          - {provider: anthropic, secretRef: {name: team-a-openai, key: anthropicKey}}
        metadata: {team: a, costCenter: "4711"}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: VirtualKey
      metadata: {name: batch, namespace: team-b}
      spec: {secretName: batch-key, routes: [team-a/claude]}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: GuardrailPolicy
      metadata: {name: pii, namespace: team-a}
      spec:
        checks:
          - {name: no-pii, stages: [Output, Input], action: Redact, pii: {entities: [Email, Phone]}}
          - {name: size, stages: [Input], action: Deny, length: {maxTokens: 8000}}
          - {name: injection, stages: [Input], action: Flag, promptInjection: {threshold: 0.8}}
          - {name: words, stages: [Output], action: Deny, denyList: {words: [acme]}}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: PromptTemplate
      metadata: {name: support-bot, namespace: team-a}
      spec:
        variables:
          - {name: question, required: true}
          - {name: tone, default: friendly}
        versions:
          - name: v1
            messages:
              - {role: system, content: "You are a {{tone}} support agent."}
              - {role: user, content: "{{question}}"}
            params: {temperature: 0.3, max_tokens: 500}
            route: {name: chat}
          - name: v2
            messages: [{role: user, content: "{{question}}"}]
        rollout:
          - {version: v2, weight: 10}
          - {version: v1, weight: 90}
        stickyOn: metadata.user_id
      """;

  static List<Secret> everythingSecrets(String openAiKey) {
    return List.of(
        secret("team-a", "openai", "apiKey", openAiKey),
        secret("team-a", "anthropic", "apiKey", "sk-ant-test"),
        secret("team-a", "team-a-openai", "apiKey", "sk-byo", "anthropicKey", "sk-ant-byo"),
        secret(
            "team-a",
            "checkout-llm-key",
            java.util.Map.of(
                SnapshotResolver.PREVIOUS_KEY_VALID_UNTIL_ANNOTATION, "2026-01-11T09:00:00Z"),
            "apiKey",
            "pk-checkout-new",
            "previousApiKey",
            "pk-checkout-old"),
        secret("team-b", "batch-key", "apiKey", "pk-batch"));
  }

  static ResourceSet everything(String openAiKey) {
    return with(read(EVERYTHING), everythingSecrets(openAiKey).toArray(Secret[]::new));
  }

  private static Snapshot resolvedEverything() {
    Resolution resolution = SnapshotResolver.resolve(everything("sk-openai-test"));
    assertThat(resolution.problems()).isEmpty();
    assertThat(resolution.snapshot().routes()).hasSize(2);
    assertThat(resolution.snapshot().keys()).hasSize(2);
    assertThat(resolution.snapshot().policies()).hasSize(1);
    assertThat(resolution.snapshot().templates()).hasSize(1);
    return resolution.snapshot();
  }

  private static <T> List<T> shuffled(List<T> list, Random random) {
    List<T> copy = new ArrayList<>(list);
    Collections.shuffle(copy, random);
    return copy;
  }

  @Test
  void aSnapshotReadsBackEqualFromItsJson() {
    Snapshot snapshot = resolvedEverything();

    assertThat(SnapshotCodec.fromJson(SnapshotCodec.toJson(snapshot))).isEqualTo(snapshot);
  }

  @Test
  void anEmptySetGivesAnEmptySnapshotThatReadsBack() {
    Snapshot empty = SnapshotResolver.resolve(ResourceSet.empty()).snapshot();

    assertThat(empty.schemaVersion()).isEqualTo(Snapshot.SCHEMA_VERSION);
    assertThat(empty.version()).startsWith("sha256:").hasSize("sha256:".length() + 64);
    assertThat(SnapshotCodec.fromJson(SnapshotCodec.toJson(empty))).isEqualTo(empty);
  }

  @Test
  void theVersionIsTheHashOfTheContent() {
    Snapshot snapshot = resolvedEverything();

    assertThat(snapshot.version()).isEqualTo(SnapshotCodec.computeVersion(snapshot));
  }

  @Test
  void theVersionDoesNotDependOnTheOrderOfTheInput() {
    ResourceSet set = everything("sk-openai-test");
    String version = SnapshotResolver.resolve(set).snapshot().version();
    Random random = new Random(42);

    for (int i = 0; i < 10; i++) {
      ResourceSet shuffled =
          new ResourceSet(
              shuffled(set.routes(), random),
              shuffled(set.keys(), random),
              shuffled(set.policies(), random),
              shuffled(set.templates(), random),
              shuffled(set.secrets(), random));
      assertThat(SnapshotResolver.resolve(shuffled).snapshot().version()).isEqualTo(version);
    }
  }

  @Test
  void theVersionChangesWhenASecretValueChanges() {
    String before = SnapshotResolver.resolve(everything("sk-openai-test")).snapshot().version();
    String after = SnapshotResolver.resolve(everything("sk-openai-rotated")).snapshot().version();

    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void theVersionChangesWhenAGenerationChanges() {
    String before = SnapshotResolver.resolve(everything("sk")).snapshot().version();
    String after =
        SnapshotResolver.resolve(
                with(
                    read(EVERYTHING.replace("generation: 3", "generation: 4")),
                    everythingSecrets("sk").toArray(Secret[]::new)))
            .snapshot()
            .version();

    assertThat(after).isNotEqualTo(before);
  }

  @Test
  void theJsonIsCanonicalSetsSortedMoneyAndDurationsAsStrings() throws Exception {
    JsonNode json = JSON.readTree(SnapshotCodec.toJson(resolvedEverything()));
    JsonNode chat = json.at("/routes/0");

    assertThat(chat.at("/id/name").asText()).isEqualTo("chat");
    assertThat(chat.at("/strategy/fallbackOn/statusCodes").toString()).isEqualTo("[429,500,503]");
    assertThat(chat.at("/retry/onStatusCodes").toString()).isEqualTo("[429,502,503]");
    assertThat(chat.at("/accessNamespaces").toString()).isEqualTo("[\"team-b\",\"team-c\"]");
    assertThat(chat.at("/targets/0/pricing/inputPerMTok").textValue()).isEqualTo("2.50");
    assertThat(chat.at("/timeout").textValue()).isEqualTo("PT5M");
    assertThat(json.at("/policies/0/checks/0/stages").toString())
        .isEqualTo("[\"INPUT\",\"OUTPUT\"]");
    List<String> fieldNames = new ArrayList<>();
    chat.at("/strategy/conditions/0/when").fieldNames().forEachRemaining(fieldNames::add);
    assertThat(fieldNames).containsExactly("metadata.tier", "params.stream");
    List<String> snapshotFields = new ArrayList<>();
    json.fieldNames().forEachRemaining(snapshotFields::add);
    assertThat(snapshotFields)
        .containsExactly("keys", "policies", "routes", "schemaVersion", "templates", "version");
  }

  @Test
  void aCacheScopeIsWrittenOnlyWhenItIsKeyAndReadsBack() throws Exception {
    JsonNode json = JSON.readTree(SnapshotCodec.toJson(resolvedEverything()));
    assertThat(json.at("/routes/0/cache/mode").asText()).isEqualTo("EXACT");
    assertThat(json.at("/routes/0/cache").has("scope"))
        .as("the default scope is left out: snapshots without scope Key read as before")
        .isFalse();

    Snapshot keyScoped =
        SnapshotResolver.resolve(
                with(
                    read(
                        EVERYTHING.replace(
                            "cache: {mode: Exact, ttl: 10m}",
                            "cache: {mode: Exact, ttl: 10m, scope: Key}")),
                    everythingSecrets("sk").toArray(Secret[]::new)))
            .snapshot();
    JsonNode keyJson = JSON.readTree(SnapshotCodec.toJson(keyScoped));
    assertThat(keyJson.at("/routes/0/cache/scope").asText()).isEqualTo("KEY");
    Snapshot back = SnapshotCodec.fromJson(SnapshotCodec.toJson(keyScoped));
    assertThat(back).isEqualTo(keyScoped);
    assertThat(back.routes().getFirst().cache().scope())
        .isEqualTo(dev.portcullis.api.snapshot.RouteConfig.CacheConfig.CacheScope.KEY);
    assertThat(keyScoped.version()).isNotEqualTo(resolvedEverything().version());
  }

  @Test
  void freeFormJsonInADifferentKeyOrderGivesTheSameVersion() {
    String reordered =
        EVERYTHING.replace(
            "{\"metadata.tier\": {in: [pro, enterprise]}, \"params.stream\": {eq: true}}",
            "{\"params.stream\": {eq: true}, \"metadata.tier\": {in: [pro, enterprise]}}");
    assertThat(reordered).isNotEqualTo(EVERYTHING);

    String original = SnapshotResolver.resolve(everything("sk")).snapshot().version();
    String other =
        SnapshotResolver.resolve(
                with(read(reordered), everythingSecrets("sk").toArray(Secret[]::new)))
            .snapshot()
            .version();

    assertThat(other).isEqualTo(original);
  }

  @Test
  void anUnsupportedSchemaVersionIsRefusedClearly() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(SnapshotCodec.toJson(resolvedEverything()));
    json.put("schemaVersion", 2);

    assertThatThrownBy(() -> SnapshotCodec.fromJson(JSON.writeValueAsBytes(json)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the snapshot has schemaVersion 2, but this gateway reads only schemaVersion 1; run"
                + " gateways and operator of matching releases");
  }

  @Test
  void aSnapshotWithoutSchemaVersionIsRefused() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(SnapshotCodec.toJson(resolvedEverything()));
    json.remove("schemaVersion");

    assertThatThrownBy(() -> SnapshotCodec.fromJson(JSON.writeValueAsBytes(json)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no schemaVersion");
  }

  @Test
  void anUnknownFieldIsRefusedWithItsPathButNotTheInput() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(SnapshotCodec.toJson(resolvedEverything()));
    ((ObjectNode) json.at("/routes/0")).put("surprise", "sk-secret-in-json");

    assertThatThrownBy(() -> SnapshotCodec.fromJson(JSON.writeValueAsBytes(json)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("routes")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk-secret-in-json"));
  }

  @Test
  void malformedJsonIsRefusedWithoutQuotingIt() {
    byte[] broken =
        "{\"schemaVersion\":1,\"routes\":[sk-secret-in-json]}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> SnapshotCodec.fromJson(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the snapshot is not valid JSON")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sk-secret"))
        .hasNoCause();
  }
}
