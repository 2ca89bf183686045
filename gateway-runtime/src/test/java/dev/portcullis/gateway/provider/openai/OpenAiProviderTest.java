package dev.portcullis.gateway.provider.openai;

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
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiProviderTest {
  private static final SecretValue KEY = SecretValue.of("sk-proj-secret");
  private static final byte[] BODY = "{\"model\":\"gpt-4o\"}".getBytes(StandardCharsets.UTF_8);
  private final OpenAiProvider provider = new OpenAiProvider();

  private static TargetConfig target(String baseUrl) {
    return new TargetConfig(
        "primary",
        "openai",
        "gpt-4o",
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

  @Test
  void identifiesAsOpenAiSpeakingTheOpenAiFormat() {
    assertThat(provider.id()).isEqualTo("openai");
    assertThat(provider.format()).isEqualTo(WireFormat.OPENAI);
  }

  @Test
  void supportsEverythingButAnthropicTokenCounting() {
    assertThat(provider.supports(Operation.CHAT)).isTrue();
    assertThat(provider.supports(Operation.COMPLETIONS)).isTrue();
    assertThat(provider.supports(Operation.EMBEDDINGS)).isTrue();
    assertThat(provider.supports(Operation.COUNT_TOKENS)).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "CHAT, https://api.openai.com/v1/chat/completions",
    "COMPLETIONS, https://api.openai.com/v1/completions",
    "EMBEDDINGS, https://api.openai.com/v1/embeddings"
  })
  void postsEachOperationToItsPathUnderTheDefaultBase(Operation operation, String uri) {
    UpstreamRequest request = provider.request(operation, target(null), "gpt-4o", false, KEY, BODY);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri()).hasToString(uri);
    assertThat(request.body()).isEqualTo(BODY);
  }

  @Test
  void baseUrlIsUsedAsGivenWithoutATrailingSlash() {
    UpstreamRequest request =
        provider.request(
            Operation.CHAT, target("https://api.groq.com/openai/v1/"), "m", false, KEY, BODY);
    assertThat(request.uri()).hasToString("https://api.groq.com/openai/v1/chat/completions");
  }

  @Test
  void authenticatesWithABearerToken() {
    UpstreamRequest request = provider.request(Operation.CHAT, target(null), "m", false, KEY, BODY);
    assertThat(request.headers())
        .containsEntry("authorization", "Bearer sk-proj-secret")
        .containsEntry("content-type", "application/json")
        .containsEntry("accept", "application/json");
  }

  @Test
  void streamingAsksForAnEventStream() {
    UpstreamRequest request = provider.request(Operation.CHAT, target(null), "m", true, KEY, BODY);
    assertThat(request.headers()).containsEntry("accept", "text/event-stream");
    assertThat(request.stream()).isTrue();
  }

  @Test
  void withoutACredentialNoAuthorizationIsSent() {
    UpstreamRequest request =
        provider.request(Operation.CHAT, target(null), "m", false, null, BODY);
    assertThat(request.headers()).doesNotContainKey("authorization");
  }

  @Test
  void theKeyNeverAppearsInTheRequestsToString() {
    UpstreamRequest request = provider.request(Operation.CHAT, target(null), "m", false, KEY, BODY);
    assertThat(request.toString()).doesNotContain("sk-proj-secret");
  }

  @Test
  void tokenCountingIsRejected() {
    assertThatThrownBy(
            () -> provider.request(Operation.COUNT_TOKENS, target(null), "m", false, KEY, BODY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
