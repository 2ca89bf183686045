package dev.portcullis.gateway.provider.compatible;

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

class OpenAiCompatibleProviderTest {
  private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

  private final OpenAiCompatibleProvider provider = new OpenAiCompatibleProvider();

  private static TargetConfig target(String baseUrl) {
    return new TargetConfig(
        "local",
        "openai-compatible",
        "llama3.1",
        baseUrl,
        null,
        1,
        TargetConfig.Timeouts.NONE,
        JsonTree.EMPTY,
        null,
        null,
        null,
        null);
  }

  @Test
  void speaksOpenAiUnderItsRouteId() {
    assertThat(provider.id()).isEqualTo("openai-compatible");
    assertThat(provider.format()).isEqualTo(WireFormat.OPENAI);
  }

  @Test
  void appendsTheOpenAiPathsToTheBaseUrl() {
    TargetConfig target = target("http://ollama:11434/v1/");

    assertThat(provider.request(Operation.CHAT, target, "llama3.1", false, null, BODY).uri())
        .hasToString("http://ollama:11434/v1/chat/completions");
    assertThat(provider.request(Operation.COMPLETIONS, target, "llama3.1", false, null, BODY).uri())
        .hasToString("http://ollama:11434/v1/completions");
    assertThat(provider.request(Operation.EMBEDDINGS, target, "llama3.1", false, null, BODY).uri())
        .hasToString("http://ollama:11434/v1/embeddings");
  }

  @Test
  void sendsABearerTokenWhenTheTargetHasACredential() {
    UpstreamRequest request =
        provider.request(
            Operation.CHAT,
            target("https://api.groq.com/openai/v1"),
            "llama-3.3-70b-versatile",
            false,
            SecretValue.of("gsk_secret"),
            BODY);

    assertThat(request.headers()).containsEntry("authorization", "Bearer gsk_secret");
    assertThat(request.toString()).doesNotContain("gsk_secret");
  }

  @Test
  void sendsNoAuthorizationWithoutACredential() {
    UpstreamRequest request =
        provider.request(
            Operation.CHAT, target("http://vllm:8000/v1"), "llama3.1", false, null, BODY);

    assertThat(request.headers()).doesNotContainKey("authorization");
  }

  @Test
  void requiresABaseUrl() {
    assertThatThrownBy(
            () -> provider.request(Operation.CHAT, target(null), "llama3.1", false, null, BODY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'local'")
        .hasMessageContaining("baseUrl");
  }
}
