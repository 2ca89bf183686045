package dev.portcullis.gateway.provider.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.api.snapshot.JsonTree;
import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.WireFormat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AzureOpenAiProviderTest {
  private static final SecretValue KEY = SecretValue.of("azure-secret");
  private static final byte[] BODY = "{\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
  private static final String RESOURCE = "https://contoso.openai.azure.com";

  private final AzureOpenAiProvider provider = new AzureOpenAiProvider();

  private static TargetConfig target(String baseUrl, TargetConfig.Azure azure) {
    return new TargetConfig(
        "primary",
        "azure-openai",
        "gpt-4o",
        baseUrl,
        KEY,
        1,
        TargetConfig.Timeouts.NONE,
        JsonTree.EMPTY,
        azure,
        null,
        null,
        null);
  }

  @Test
  void speaksOpenAiUnderItsRouteId() {
    assertThat(provider.id()).isEqualTo("azure-openai");
    assertThat(provider.format()).isEqualTo(WireFormat.OPENAI);
  }

  @Test
  void chatGoesToTheDeploymentWithTheApiVersion() {
    UpstreamRequest request =
        provider.request(
            Operation.CHAT,
            target(RESOURCE, new TargetConfig.Azure("gpt4o-prod", "2025-01-01-preview")),
            "gpt-4o",
            false,
            KEY,
            BODY);

    assertThat(request.uri())
        .hasToString(
            RESOURCE
                + "/openai/deployments/gpt4o-prod/chat/completions?api-version=2025-01-01-preview");
    assertThat(request.body()).isEqualTo(BODY);
  }

  @Test
  void theDeploymentDefaultsToTheUpstreamModelAndTheVersionToTheLatestGa() {
    UpstreamRequest request =
        provider.request(Operation.CHAT, target(RESOURCE, null), "gpt-4o-mini", false, KEY, BODY);

    assertThat(request.uri())
        .hasToString(
            RESOURCE + "/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21");
  }

  @Test
  void completionsAndEmbeddingsUseTheirOwnPaths() {
    TargetConfig target = target(RESOURCE, new TargetConfig.Azure("d", null));

    assertThat(
            provider.request(Operation.COMPLETIONS, target, "m", false, KEY, BODY).uri().getPath())
        .isEqualTo("/openai/deployments/d/completions");
    assertThat(
            provider.request(Operation.EMBEDDINGS, target, "m", false, KEY, BODY).uri().getPath())
        .isEqualTo("/openai/deployments/d/embeddings");
  }

  @Test
  void authenticatesWithTheApiKeyHeader() {
    UpstreamRequest request =
        provider.request(Operation.CHAT, target(RESOURCE, null), "gpt-4o", true, KEY, BODY);

    assertThat(request.headers())
        .containsEntry("api-key", "azure-secret")
        .containsEntry("accept", "text/event-stream")
        .doesNotContainKey("authorization");
    assertThat(request.toString()).doesNotContain("azure-secret");
  }

  @Test
  void acceptsABaseUrlThatAlreadyEndsInOpenai() {
    UpstreamRequest request =
        provider.request(
            Operation.CHAT, target(RESOURCE + "/openai/", null), "gpt-4o", false, KEY, BODY);

    assertThat(request.uri().getPath()).isEqualTo("/openai/deployments/gpt-4o/chat/completions");
  }

  @Test
  void aMissingBaseUrlIsAnErrorNamingTheTarget() {
    assertThatThrownBy(
            () -> provider.request(Operation.CHAT, target(null, null), "gpt-4o", false, KEY, BODY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'primary'")
        .hasMessageContaining("baseUrl");
  }
}
