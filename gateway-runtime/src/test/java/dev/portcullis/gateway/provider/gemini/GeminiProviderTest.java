package dev.portcullis.gateway.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.snapshot.JsonTree;
import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.WireFormat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GeminiProviderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SecretValue KEY = SecretValue.of("AIza-secret");
  private static final byte[] BODY = "{\"contents\":[]}".getBytes(StandardCharsets.UTF_8);

  private final GeminiProvider provider = new GeminiProvider();

  private static TargetConfig target(String baseUrl) {
    return new TargetConfig(
        "primary",
        "gemini",
        "gemini-2.0-flash",
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
  void isTheGeminiFormatUnderItsRouteId() {
    assertThat(provider.id()).isEqualTo("gemini");
    assertThat(provider.format()).isEqualTo(WireFormat.GEMINI);
  }

  @Test
  void chatCallsGenerateContentUnderTheDefaultBaseUrl() {
    UpstreamRequest request =
        provider.request(Operation.CHAT, target(null), "gemini-2.0-flash", false, KEY, BODY);

    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri())
        .hasToString(
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent");
    assertThat(request.body()).isEqualTo(BODY);
    assertThat(request.stream()).isFalse();
  }

  @Test
  void streamingChatCallsStreamGenerateContentAsServerSentEvents() {
    UpstreamRequest request =
        provider.request(Operation.CHAT, target(null), "gemini-2.5-pro", true, KEY, BODY);

    assertThat(request.uri())
        .hasToString(
            "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse");
    assertThat(request.headers()).containsEntry("accept", "text/event-stream");
    assertThat(request.stream()).isTrue();
  }

  @Test
  void sendsTheKeyInTheGoogApiKeyHeaderAndNeverInTheUrl() {
    UpstreamRequest request =
        provider.request(Operation.CHAT, target(null), "gemini-2.0-flash", false, KEY, BODY);

    assertThat(request.headers())
        .containsEntry("x-goog-api-key", "AIza-secret")
        .containsEntry("content-type", "application/json");
    assertThat(request.uri().toString()).doesNotContain("AIza-secret");
    assertThat(request.toString()).doesNotContain("AIza-secret");
  }

  @Test
  void sendsNoKeyHeaderWithoutCredential() {
    UpstreamRequest request =
        provider.request(Operation.CHAT, target(null), "gemini-2.0-flash", false, null, BODY);

    assertThat(request.headers()).doesNotContainKey("x-goog-api-key");
  }

  @Test
  void usesTheTargetsBaseUrlWithoutItsTrailingSlash() {
    UpstreamRequest request =
        provider.request(
            Operation.CHAT, target("http://fake-gemini:9000/v1beta/"), "m", false, KEY, BODY);

    assertThat(request.uri())
        .hasToString("http://fake-gemini:9000/v1beta/models/m:generateContent");
  }

  @Test
  void acceptsModelNamesWithTheModelsPrefix() {
    UpstreamRequest request =
        provider.request(Operation.CHAT, target(null), "models/gemini-2.0-flash", false, KEY, BODY);

    assertThat(request.uri().getPath())
        .isEqualTo("/v1beta/models/gemini-2.0-flash:generateContent");
  }

  @Test
  void singleEmbeddingCallsEmbedContent() {
    byte[] body = "{\"content\":{\"parts\":[{\"text\":\"hi\"}]}}".getBytes(StandardCharsets.UTF_8);

    UpstreamRequest request =
        provider.request(
            Operation.EMBEDDINGS, target(null), "text-embedding-004", false, KEY, body);

    assertThat(request.uri().getPath()).isEqualTo("/v1beta/models/text-embedding-004:embedContent");
    assertThat(request.body()).isEqualTo(body);
  }

  @Test
  void batchEmbeddingCallsBatchEmbedContentsNamingTheUpstreamModelInEveryRequest()
      throws Exception {
    byte[] body =
        ("{\"requests\":[{\"model\":\"models/client-alias\",\"content\":{\"parts\":[{\"text\":\"a\"}]}},"
                + "{\"model\":\"models/client-alias\",\"content\":{\"parts\":[{\"text\":\"b\"}]}}]}")
            .getBytes(StandardCharsets.UTF_8);

    UpstreamRequest request =
        provider.request(
            Operation.EMBEDDINGS, target(null), "text-embedding-004", false, KEY, body);

    assertThat(request.uri().getPath())
        .isEqualTo("/v1beta/models/text-embedding-004:batchEmbedContents");
    JsonNode sent = MAPPER.readTree(request.body());
    assertThat(sent.path("requests").findValuesAsText("model"))
        .containsExactly("models/text-embedding-004", "models/text-embedding-004");
  }

  @Test
  void doesNotServeTokenCounting() {
    assertThat(provider.supports(Operation.COUNT_TOKENS)).isFalse();
    assertThatThrownBy(
            () ->
                provider.request(
                    Operation.COUNT_TOKENS, target(null), "gemini-2.0-flash", false, KEY, BODY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
