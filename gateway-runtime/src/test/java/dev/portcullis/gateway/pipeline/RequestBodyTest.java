package dev.portcullis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.gateway.endpoint.LocalTokenCounter;
import dev.portcullis.gateway.endpoint.anthropic.messages.MessagesEndpoint;
import dev.portcullis.gateway.endpoint.openai.chat.ChatCompletionsEndpoint;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.pipeline.RequestBody.FieldType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestBodyTest {
  private static final Map<String, FieldType> TYPES =
      Map.of("model", FieldType.STRING, "stream", FieldType.BOOLEAN, "messages", FieldType.ARRAY);

  private static RequestBody scan(String json) {
    return RequestBody.scan(json.getBytes(StandardCharsets.UTF_8), TYPES);
  }

  @Test
  void findsModelStreamAndIncludeUsage() {
    RequestBody body =
        scan(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"model\":\"gpt-4o\","
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    assertThat(body.model()).isEqualTo("gpt-4o");
    assertThat(body.stream()).isTrue();
    assertThat(body.includeUsage()).isTrue();
    assertThat(body.has("messages")).isTrue();
    assertThat(body.has("tools")).isFalse();
  }

  @Test
  void promptTokensLieBetweenTheirBounds() {
    RequestBody body =
        scan(
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Größe? 12345"
                + " it's 中文 😀 camelCaseWords\"}]}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}]}");
    ChatCompletionsEndpoint chat = new ChatCompletionsEndpoint();
    int atLeast = body.promptTokensAtLeast(chat);
    int count = chat.promptTokens(body.tree(), new LocalTokenCounter());
    assertThat(atLeast).isPositive().isLessThanOrEqualTo(count);
    assertThat((long) count).isLessThanOrEqualTo(body.promptTokensAtMost());
    // Once counted, the lower bound is the count.
    assertThat(body.promptTokens(chat, new LocalTokenCounter())).isEqualTo(count);
    assertThat(body.promptTokensAtLeast(chat)).isEqualTo(count);
  }

  @Test
  void theUpperBoundCoversAnthropicsImageEstimate() {
    RequestBody body =
        scan(
            "{\"model\":\"claude\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://x/a.png\"}},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://x/b.png\"}},"
                + "{\"type\":\"text\",\"text\":\"What differs?\"}]}]}");
    MessagesEndpoint messages = new MessagesEndpoint();
    int count = messages.promptTokens(body.tree(), new LocalTokenCounter());
    assertThat(count).isGreaterThan(2 * 1_600);
    assertThat((long) count).isLessThanOrEqualTo(body.promptTokensAtMost());
  }

  @Test
  void rewritesOnlyTheModelBytes() {
    String json = "{ \"model\" : \"gpt-4o\",\n \"messages\":[], \"x\":\"model\" }";
    byte[] rewritten = scan(json).withModel("gpt-4o-2024-08-06");
    assertThat(new String(rewritten, StandardCharsets.UTF_8))
        .isEqualTo("{ \"model\" : \"gpt-4o-2024-08-06\",\n \"messages\":[], \"x\":\"model\" }");
  }

  @Test
  void rewritesModelWithEscapesAndMultibyteText() {
    String json = "{\"messages\":[{\"content\":\"héllo ✓\"}],\"model\":\"a\\\"b\",\"n\":1}";
    byte[] rewritten = scan(json).withModel("new");
    assertThat(new String(rewritten, StandardCharsets.UTF_8))
        .isEqualTo("{\"messages\":[{\"content\":\"héllo ✓\"}],\"model\":\"new\",\"n\":1}");
  }

  @Test
  void keepsBytesWhenModelUnchanged() {
    RequestBody body = scan("{\"model\":\"m\"}");
    assertThat(body.withModel("m")).isSameAs(body.bytes());
  }

  @Test
  void malformedJsonNamesThePosition() {
    assertThatThrownBy(() -> scan("{\"model\":\"m\",\n  \"messages\": [}"))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("Malformed JSON at line 2");
  }

  @Test
  void wrongFieldTypeNamesTheField() {
    assertThatThrownBy(() -> scan("{\"model\":\"m\",\"stream\":\"yes\"}"))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.error().param()).isEqualTo("stream");
              assertThat(e.getMessage()).contains("'stream' must be a boolean");
            });
  }

  @Test
  void nonObjectBodyIsRejected() {
    assertThatThrownBy(() -> scan("[1,2]")).hasMessageContaining("must be a JSON object");
  }

  @Test
  void trailingContentIsRejected() {
    assertThatThrownBy(() -> scan("{\"model\":\"m\"} {}"))
        .hasMessageContaining("Unexpected content");
  }

  @Test
  void emptyBodyIsRejected() {
    assertThatThrownBy(() -> scan("")).isInstanceOf(GatewayException.class);
  }
}
