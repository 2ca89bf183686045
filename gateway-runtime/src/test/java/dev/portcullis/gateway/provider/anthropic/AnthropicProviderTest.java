package dev.portcullis.gateway.provider.anthropic;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnthropicProviderTest {
  private static final SecretValue KEY = SecretValue.of("sk-ant-api03-secret");
  private static final byte[] BODY = "{\"model\":\"claude\"}".getBytes(StandardCharsets.UTF_8);
  private final AnthropicProvider provider = new AnthropicProvider();

  private static TargetConfig target(String baseUrl) {
    return new TargetConfig(
        "primary",
        "anthropic",
        "claude-sonnet-4-5",
        baseUrl,
        KEY,
        1,
        TargetConfig.Timeouts.NONE,
        JsonTree.EMPTY,
        null,
        null,
        null,
        null);
  }

  private UpstreamRequest chat(String baseUrl, boolean stream) {
    return provider.request(
        Operation.CHAT, target(baseUrl), "claude-sonnet-4-5", stream, KEY, BODY);
  }

  @Test
  void identifiesAsAnthropicSpeakingTheAnthropicFormat() {
    assertThat(provider.id()).isEqualTo("anthropic");
    assertThat(provider.format()).isEqualTo(WireFormat.ANTHROPIC);
  }

  @Test
  void supportsChatAndTokenCountingOnly() {
    assertThat(provider.supports(Operation.CHAT)).isTrue();
    assertThat(provider.supports(Operation.COUNT_TOKENS)).isTrue();
    assertThat(provider.supports(Operation.EMBEDDINGS)).isFalse();
    assertThat(provider.supports(Operation.COMPLETIONS)).isFalse();
  }

  @Test
  void chatPostsToTheMessagesEndpointOfTheDefaultHost() {
    UpstreamRequest request = chat(null, false);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri()).hasToString("https://api.anthropic.com/v1/messages");
    assertThat(request.body()).isEqualTo(BODY);
    assertThat(request.stream()).isFalse();
  }

  @Test
  void countTokensPostsToItsOwnEndpoint() {
    UpstreamRequest request =
        provider.request(Operation.COUNT_TOKENS, target(null), "m", false, KEY, BODY);
    assertThat(request.uri()).hasToString("https://api.anthropic.com/v1/messages/count_tokens");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://llm-proxy.internal/anthropic",
        "https://llm-proxy.internal/anthropic/",
        "https://llm-proxy.internal/anthropic/v1",
        "https://llm-proxy.internal/anthropic/v1/"
      })
  void baseUrlWorksWithOrWithoutTheVersionSegment(String baseUrl) {
    assertThat(chat(baseUrl, false).uri())
        .hasToString("https://llm-proxy.internal/anthropic/v1/messages");
  }

  @Test
  void sendsKeyVersionAndContentTypeHeaders() {
    assertThat(chat(null, false).headers())
        .containsEntry("x-api-key", "sk-ant-api03-secret")
        .containsEntry("anthropic-version", "2023-06-01")
        .containsEntry("content-type", "application/json")
        .containsEntry("accept", "application/json");
  }

  @Test
  void streamingAsksForAnEventStream() {
    UpstreamRequest request = chat(null, true);
    assertThat(request.headers()).containsEntry("accept", "text/event-stream");
    assertThat(request.stream()).isTrue();
  }

  @Test
  void withoutACredentialNoKeyHeaderIsSent() {
    UpstreamRequest request =
        provider.request(Operation.CHAT, target(null), "m", false, null, BODY);
    assertThat(request.headers()).doesNotContainKey("x-api-key");
  }

  @Test
  void theKeyNeverAppearsInTheRequestsToString() {
    assertThat(chat(null, false).toString()).doesNotContain("sk-ant-api03-secret");
  }

  @Test
  void unsupportedOperationsAreRejected() {
    assertThatThrownBy(
            () -> provider.request(Operation.EMBEDDINGS, target(null), "m", false, KEY, BODY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EMBEDDINGS");
  }
}
