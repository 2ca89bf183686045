package dev.portcullis.api.resolve;

import static dev.portcullis.api.resolve.Manifests.read;
import static dev.portcullis.api.resolve.Manifests.secret;
import static dev.portcullis.api.resolve.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.KeyConfig.KeyHash;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.api.snapshot.SecretValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotResolverKeyTest {

  private static final String ROUTES =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: chat, namespace: team-a}
      spec: {model: gpt-4o, targets: [{name: a, provider: echo}]}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: embeddings, namespace: team-shared}
      spec: {model: embed, targets: [{name: a, provider: echo}], access: {namespaces: [team-a]}}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: private, namespace: team-b}
      spec: {model: private, targets: [{name: a, provider: echo}]}
      """;

  private static final String MINIMAL_KEY =
      """
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: VirtualKey
      metadata: {name: checkout, namespace: team-a, generation: 3}
      spec: {secretName: checkout-llm-key}
      """;

  private static final ResourceRef CHECKOUT = new ResourceRef("VirtualKey", "team-a", "checkout");

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static KeyConfig onlyKey(Resolution resolution) {
    assertThat(resolution.problems()).isEmpty();
    assertThat(resolution.snapshot().keys()).hasSize(1);
    return resolution.snapshot().keys().get(0);
  }

  @Test
  void keepsOnlyTheHashOfTheKeyAndAppliesDefaults() throws Exception {
    KeyConfig key =
        onlyKey(
            SnapshotResolver.resolve(
                with(
                    read(ROUTES + MINIMAL_KEY),
                    secret("team-a", "checkout-llm-key", "apiKey", "pk-live-123"))));

    assertThat(key.id()).isEqualTo(new ResourceId("team-a", "checkout", 3));
    assertThat(key.hashes()).containsExactly(new KeyHash(sha256("pk-live-123"), null));
    assertThat(key.routes()).as("empty: every route visible").isEmpty();
    assertThat(key.limits()).isEqualTo(KeyConfig.Limits.NONE);
    assertThat(key.budget()).isNull();
    assertThat(key.expiresAt()).isNull();
    assertThat(key.failOpen()).isTrue();
    assertThat(key.providerCredentials()).isEmpty();
    assertThat(key.metadata()).isEmpty();
    assertThat(key.disabled()).isFalse();
  }

  @Test
  void mapsEveryFieldOfTheApiExample() {
    KeyConfig key =
        onlyKey(
            SnapshotResolver.resolve(
                with(
                    read(
                        ROUTES
                            + """
                            ---
                            apiVersion: portcullis.dev/v1alpha1
                            kind: VirtualKey
                            metadata: {name: checkout, namespace: team-a}
                            spec:
                              secretName: checkout-llm-key
                              routes: [chat, team-shared/embeddings]
                              limits: {requestsPerMinute: 60, tokensPerMinute: 100000, maxConcurrent: 10}
                              budget: {amountUSD: "100.00", period: Monthly, action: Warn}
                              expiresAt: "2027-01-01T01:00:00+01:00"
                              onStoreUnavailable: FailClosed
                              providerCredentials:
                                - {provider: openai, secretRef: {name: team-a-openai, key: apiKey}}
                              metadata: {team: a, costCenter: "4711"}
                              disabled: true
                            """),
                    secret("team-a", "checkout-llm-key", "apiKey", "pk-live-123"),
                    secret("team-a", "team-a-openai", "apiKey", "sk-byo"))));

    assertThat(key.routes()).containsExactly("team-a/chat", "team-shared/embeddings");
    assertThat(key.limits()).isEqualTo(new KeyConfig.Limits(60, 100000, 10));
    assertThat(key.budget())
        .isEqualTo(
            new KeyConfig.Budget(
                new BigDecimal("100.00"),
                KeyConfig.Budget.Period.MONTHLY,
                KeyConfig.Budget.Action.WARN));
    assertThat(key.expiresAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(key.failOpen()).isFalse();
    assertThat(key.providerCredentials()).isEqualTo(Map.of("openai", SecretValue.of("sk-byo")));
    assertThat(key.metadata()).isEqualTo(Map.of("team", "a", "costCenter", "4711"));
    assertThat(key.disabled()).isTrue();
  }

  @Test
  void aBudgetWithoutActionBlocks() {
    KeyConfig key =
        onlyKey(
            SnapshotResolver.resolve(
                with(
                    read(
                        MINIMAL_KEY.replace(
                            "spec: {secretName: checkout-llm-key}",
                            "spec: {secretName: checkout-llm-key, budget: {amountUSD: \"5\","
                                + " period: Daily}}")),
                    secret("team-a", "checkout-llm-key", "apiKey", "pk"))));

    assertThat(key.budget().action()).isEqualTo(KeyConfig.Budget.Action.BLOCK);
  }

  @Test
  void aMissingKeySecretIsAProblemSayingWhoWritesIt() {
    Resolution resolution = SnapshotResolver.resolve(read(ROUTES + MINIMAL_KEY));

    assertThat(resolution.snapshot().keys()).isEmpty();
    assertThat(resolution.problemsFor(CHECKOUT))
        .containsExactly(
            new Problem(
                "spec.secretName",
                "Secret team-a/checkout-llm-key does not exist (the operator creates it when it"
                    + " mints the key; in standalone mode create it yourself with data key"
                    + " apiKey)"));
  }

  @Test
  void aKeySecretWithoutApiKeyIsAProblemSayingWhoWritesIt() {
    Resolution resolution =
        SnapshotResolver.resolve(
            with(
                read(ROUTES + MINIMAL_KEY),
                secret("team-a", "checkout-llm-key", "token", "pk-live-123")));

    assertThat(resolution.problemsFor(CHECKOUT))
        .containsExactly(
            new Problem(
                "spec.secretName",
                "Secret team-a/checkout-llm-key has no data key apiKey (the operator writes it"
                    + " when it mints the key; in standalone mode write it yourself)"));
  }

  @Test
  void aKeySecretInAnotherNamespaceIsNotRead() {
    Resolution resolution =
        SnapshotResolver.resolve(
            with(
                read(ROUTES + MINIMAL_KEY),
                secret("team-b", "checkout-llm-key", "apiKey", "pk-live-123")));

    assertThat(resolution.snapshot().keys()).isEmpty();
    assertThat(resolution.problemsFor(CHECKOUT))
        .extracting(Problem::message)
        .singleElement()
        .asString()
        .startsWith("Secret team-a/checkout-llm-key does not exist");
  }

  @Test
  void aRotatedOutKeyStaysValidUntilTheAnnotatedTime() throws Exception {
    KeyConfig key =
        onlyKey(
            SnapshotResolver.resolve(
                with(
                    read(ROUTES + MINIMAL_KEY),
                    secret(
                        "team-a",
                        "checkout-llm-key",
                        Map.of(
                            SnapshotResolver.PREVIOUS_KEY_VALID_UNTIL_ANNOTATION,
                            "2026-01-11T09:00:00Z"),
                        "apiKey",
                        "pk-new",
                        "previousApiKey",
                        "pk-old"))));

    assertThat(key.hashes())
        .containsExactly(
            new KeyHash(sha256("pk-new"), null),
            new KeyHash(sha256("pk-old"), Instant.parse("2026-01-11T09:00:00Z")));
  }

  @Test
  void aPreviousKeyWithoutEndOfGraceIsIgnored() throws Exception {
    KeyConfig key =
        onlyKey(
            SnapshotResolver.resolve(
                with(
                    read(ROUTES + MINIMAL_KEY),
                    secret(
                        "team-a",
                        "checkout-llm-key",
                        "apiKey",
                        "pk-new",
                        "previousApiKey",
                        "pk-old"))));

    assertThat(key.hashes()).containsExactly(new KeyHash(sha256("pk-new"), null));
  }

  @Test
  void anUnreadableEndOfGraceIsAProblem() {
    Resolution resolution =
        SnapshotResolver.resolve(
            with(
                read(ROUTES + MINIMAL_KEY),
                secret(
                    "team-a",
                    "checkout-llm-key",
                    Map.of(SnapshotResolver.PREVIOUS_KEY_VALID_UNTIL_ANNOTATION, "tomorrow"),
                    "apiKey",
                    "pk-new",
                    "previousApiKey",
                    "pk-old")));

    assertThat(resolution.problemsFor(CHECKOUT))
        .extracting(Problem::message)
        .singleElement()
        .asString()
        .contains("'tomorrow' is not an RFC 3339 timestamp");
  }

  @Test
  void theKeyIdComesFromStatusWhenSet() {
    KeyConfig key =
        onlyKey(
            SnapshotResolver.resolve(
                with(
                    read(ROUTES + MINIMAL_KEY + "status: {keyId: vk_9f2c1a}\n"),
                    secret("team-a", "checkout-llm-key", "apiKey", "pk"))));

    assertThat(key.keyId()).isEqualTo("vk_9f2c1a");
  }

  @Test
  void aDerivedKeyIdDependsOnTheKeysNameNotOnTheKey() throws Exception {
    KeyConfig first =
        onlyKey(
            SnapshotResolver.resolve(
                with(
                    read(ROUTES + MINIMAL_KEY),
                    secret("team-a", "checkout-llm-key", "apiKey", "pk-one"))));
    KeyConfig rotated =
        onlyKey(
            SnapshotResolver.resolve(
                with(
                    read(ROUTES + MINIMAL_KEY),
                    secret("team-a", "checkout-llm-key", "apiKey", "pk-two"))));

    assertThat(first.keyId())
        .isEqualTo("vk_" + sha256("team-a/checkout").substring(0, 10))
        .isEqualTo(rotated.keyId())
        .doesNotContain(sha256("pk-one").substring(0, 10));
  }

  @Test
  void aRouteEntryThatDoesNotExistIsAProblem() {
    Resolution resolution =
        SnapshotResolver.resolve(
            with(
                read(
                    ROUTES
                        + MINIMAL_KEY.replace(
                            "spec: {secretName: checkout-llm-key}",
                            "spec: {secretName: checkout-llm-key, routes: [chat, chatt]}")),
                secret("team-a", "checkout-llm-key", "apiKey", "pk")));

    assertThat(resolution.problemsFor(CHECKOUT))
        .containsExactly(new Problem("spec.routes[1]", "LLMRoute team-a/chatt does not exist"));
  }

  @Test
  void aRouteEntryInANamespaceThatDoesNotAdmitTheKeyIsAProblem() {
    Resolution resolution =
        SnapshotResolver.resolve(
            with(
                read(
                    ROUTES
                        + MINIMAL_KEY.replace(
                            "spec: {secretName: checkout-llm-key}",
                            "spec: {secretName: checkout-llm-key, routes: [team-b/private]}")),
                secret("team-a", "checkout-llm-key", "apiKey", "pk")));

    assertThat(resolution.problemsFor(CHECKOUT))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.routes[0]");
              assertThat(p.message())
                  .startsWith("LLMRoute team-b/private does not admit namespace team-a");
            });
  }

  @Test
  void aKeyKeepsARouteThatIsLeftOutAndStaysInTheSnapshot() {
    Resolution resolution =
        SnapshotResolver.resolve(
            with(
                read(
                    ROUTES.replace(
                            "spec: {model: gpt-4o, targets: [{name: a, provider: echo}]}",
                            "spec: {model: gpt-4o, targets: [{name: a, provider: openai,"
                                + " credentials: {secretRef: {name: gone, key: k}}}]}")
                        + MINIMAL_KEY.replace(
                            "spec: {secretName: checkout-llm-key}",
                            "spec: {secretName: checkout-llm-key, routes: [chat,"
                                + " team-shared/embeddings]}")),
                secret("team-a", "checkout-llm-key", "apiKey", "pk")));

    assertThat(resolution.problemsFor(new ResourceRef("LLMRoute", "team-a", "chat"))).isNotEmpty();
    assertThat(resolution.problemsFor(CHECKOUT)).isEmpty();
    assertThat(resolution.snapshot().keys().get(0).routes())
        .containsExactly("team-a/chat", "team-shared/embeddings");
  }

  @Test
  void aMissingProviderCredentialIsAProblemAtItsEntry() {
    Resolution resolution =
        SnapshotResolver.resolve(
            with(
                read(
                    MINIMAL_KEY.replace(
                        "spec: {secretName: checkout-llm-key}",
                        """
                        spec:
                          secretName: checkout-llm-key
                          providerCredentials:
                            - {provider: anthropic, secretRef: {name: byo, key: anthropic}}
                        """)),
                secret("team-a", "checkout-llm-key", "apiKey", "pk"),
                secret("team-a", "byo", "openai", "sk")));

    assertThat(resolution.problemsFor(CHECKOUT))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.providerCredentials[0].secretRef");
              assertThat(p.message()).startsWith("Secret team-a/byo has no data key anthropic");
            });
  }
}
