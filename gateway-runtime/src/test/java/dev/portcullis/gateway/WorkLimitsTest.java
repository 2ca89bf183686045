package dev.portcullis.gateway;

import static dev.portcullis.gateway.testing.ErrorFormats.assertAnthropicError;
import static dev.portcullis.gateway.testing.ErrorFormats.assertOpenAiError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fields that multiply the work of one request ({@code n}, {@code best_of}, output token counts)
 * are checked against documented bounds before any work, the {@code echo} provider included.
 */
class WorkLimitsTest {
  static final String KEY = "pc-test-worklimits-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.start(GatewaySettings.ephemeral());
    gateway.apply(
        TestSnapshots.builder()
            .route("team-a", "echo", "echo", Mode.SINGLE, TestSnapshots.echo("echo"))
            .key("team-a", "app", KEY)
            .build());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static HttpResponse<String> post(String path, String body, boolean anthropic) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (anthropic) {
      b.header("x-api-key", KEY).header("anthropic-version", "2023-06-01");
    } else {
      b.header("authorization", "Bearer " + KEY);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String chat(String extra) {
    return "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + extra
        + "}";
  }

  private static void assertRefusedNaming(HttpResponse<String> r, String field) {
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(assertOpenAiError(r.body()).path("param").asText()).isEqualTo(field);
  }

  @Test
  void aBillionChoicesOnEchoIsA400NotAnOutOfMemory() throws Exception {
    assertRefusedNaming(post("/v1/chat/completions", chat("\"n\":1000000000"), false), "n");
  }

  @Test
  void choicesBeyondALongAreA400() throws Exception {
    assertRefusedNaming(
        post("/v1/chat/completions", chat("\"n\":100000000000000000000000000000"), false), "n");
  }

  @Test
  void zeroOrNegativeChoicesAreA400() throws Exception {
    assertRefusedNaming(post("/v1/chat/completions", chat("\"n\":0"), false), "n");
    assertRefusedNaming(post("/v1/chat/completions", chat("\"n\":-3"), false), "n");
  }

  @Test
  void choicesUpToTheBoundAreServed() throws Exception {
    HttpResponse<String> r = post("/v1/chat/completions", chat("\"n\":128"), false);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).path("choices")).hasSize(128);
  }

  @Test
  void outputTokensBeyondTheBoundAreA400() throws Exception {
    assertRefusedNaming(
        post("/v1/chat/completions", chat("\"max_tokens\":1000000000000"), false), "max_tokens");
    assertRefusedNaming(
        post("/v1/chat/completions", chat("\"max_completion_tokens\":2000000"), false),
        "max_completion_tokens");
  }

  @Test
  void bestOfBeyondTheBoundIsA400OnCompletions() throws Exception {
    assertRefusedNaming(
        post("/v1/completions", "{\"model\":\"echo\",\"prompt\":\"hi\",\"best_of\":21}", false),
        "best_of");
  }

  @Test
  void anthropicMaxTokensBeyondTheBoundIsA400InAnthropicsFormat() throws Exception {
    HttpResponse<String> r =
        post(
            "/v1/messages",
            "{\"model\":\"echo\",\"max_tokens\":5000000,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            true);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(assertAnthropicError(r.body()).path("message").asText()).contains("max_tokens");
  }
}
