package dev.portcullis.api.resolve;

import static dev.portcullis.api.resolve.Manifests.read;
import static dev.portcullis.api.resolve.Manifests.secret;
import static dev.portcullis.api.resolve.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secret values never show in string forms; provider credentials only in the wire JSON. */
class SecretRedactionTest {
  private static final String PROVIDER_SECRET = "sk-test-SECRET-123";
  private static final String VIRTUAL_KEY = "pk-test-VIRTUAL-456";
  private static final String PREVIOUS_VIRTUAL_KEY = "pk-test-PREVIOUS-789";

  private static final String RESOURCES =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: chat, namespace: team-a}
      spec:
        model: gpt-4o
        targets:
          - {name: a, provider: openai, credentials: {secretRef: {name: openai, key: apiKey}}}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: broken, namespace: team-a}
      spec:
        model: other
        targets:
          - {name: a, provider: openai, credentials: {secretRef: {name: openai, key: otherKey}}}
        timeout: forever
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: VirtualKey
      metadata: {name: app, namespace: team-a}
      spec:
        secretName: app-key
        providerCredentials: [{provider: openai, secretRef: {name: openai, key: apiKey}}]
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: VirtualKey
      metadata: {name: broken-key, namespace: team-a}
      spec:
        secretName: app-key
        providerCredentials: [{provider: openai, secretRef: {name: openai, key: otherKey}}]
      """;

  private static Resolution resolution() {
    return SnapshotResolver.resolve(
        with(
            read(RESOURCES),
            secret("team-a", "openai", "apiKey", PROVIDER_SECRET, "otherKey", ""),
            secret(
                "team-a",
                "app-key",
                Map.of(
                    SnapshotResolver.PREVIOUS_KEY_VALID_UNTIL_ANNOTATION, "2026-01-11T09:00:00Z"),
                "apiKey",
                VIRTUAL_KEY,
                "previousApiKey",
                PREVIOUS_VIRTUAL_KEY)));
  }

  private static List<String> allSecrets() {
    return List.of(
        PROVIDER_SECRET,
        VIRTUAL_KEY,
        PREVIOUS_VIRTUAL_KEY,
        base64(PROVIDER_SECRET),
        base64(VIRTUAL_KEY),
        base64(PREVIOUS_VIRTUAL_KEY));
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theFixtureResolvesWithBothKindsOfSecretAndSomeProblems() {
    Resolution resolution = resolution();

    assertThat(resolution.snapshot().routes()).hasSize(1);
    assertThat(resolution.snapshot().keys()).hasSize(1);
    assertThat(resolution.snapshot().routes().get(0).targets().get(0).apiKey().reveal())
        .isEqualTo(PROVIDER_SECRET);
    assertThat(resolution.problems()).hasSize(2);
  }

  @Test
  void noSecretInTheSnapshotsToString() {
    String text = resolution().snapshot().toString();

    assertThat(allSecrets()).allSatisfy(s -> assertThat(text).doesNotContain(s));
  }

  @Test
  void noSecretInTheResolutionsToString() {
    String text = resolution().toString();

    assertThat(allSecrets()).allSatisfy(s -> assertThat(text).doesNotContain(s));
  }

  @Test
  void noSecretInAnyProblem() {
    List<String> messages =
        resolution().problems().values().stream()
            .flatMap(List::stream)
            .map(Problem::toString)
            .toList();

    assertThat(messages).isNotEmpty();
    assertThat(messages)
        .allSatisfy(m -> assertThat(allSecrets()).allSatisfy(s -> assertThat(m).doesNotContain(s)));
  }

  @Test
  void noSecretInTheResourceSetsToString() {
    String text =
        with(read(RESOURCES), secret("team-a", "openai", "apiKey", PROVIDER_SECRET)).toString();

    assertThat(allSecrets()).allSatisfy(s -> assertThat(text).doesNotContain(s));
  }

  @Test
  void theWireJsonCarriesProviderCredentialsButOnlyHashesOfVirtualKeys() {
    String json = new String(SnapshotCodec.toJson(resolution().snapshot()), StandardCharsets.UTF_8);

    assertThat(json).contains(PROVIDER_SECRET);
    assertThat(json)
        .doesNotContain(VIRTUAL_KEY)
        .doesNotContain(PREVIOUS_VIRTUAL_KEY)
        .doesNotContain(base64(VIRTUAL_KEY))
        .contains(SnapshotCodec.sha256Hex(VIRTUAL_KEY))
        .contains(SnapshotCodec.sha256Hex(PREVIOUS_VIRTUAL_KEY));
  }
}
