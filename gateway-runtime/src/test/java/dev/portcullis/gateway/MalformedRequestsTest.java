package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of bad requests over raw HTTP: each gets the right status and an error body in the
 * caller's own format, never a stack trace.
 */
class MalformedRequestsTest {
  static final String KEY = "pc-test-malformed-0123456789";
  static final String DISABLED = "pc-test-disabled-0123456789";
  static final String EXPIRED = "pc-test-expired-0123456789";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.start(GatewaySettings.ephemeral().withMaxBodyBytes(64 * 1024));
    gateway.apply(
        TestSnapshots.builder()
            .route("team-a", "echo", "echo", Mode.SINGLE, TestSnapshots.echo("echo"))
            .route("team-b", "private", "private-model", Mode.SINGLE, TestSnapshots.echo("echo"))
            .key("team-a", "app", KEY)
            .key("team-a", "off", DISABLED, List.of(), true, null)
            .key("team-a", "old", EXPIRED, List.of(), false, Instant.parse("2020-01-01T00:00:00Z"))
            .build());
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  enum Format {
    OPENAI,
    ANTHROPIC
  }

  record Case(
      String name,
      Format format,
      String method,
      String path,
      String contentType,
      String key,
      String body,
      int status,
      String messageFragment) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String CHAT = "/v1/chat/completions";
  static final String MESSAGES = "/v1/messages";
  static final String OK_CHAT =
      "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String OK_MSG =
      "{\"model\":\"echo\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  static Stream<Arguments> corpus() {
    String json = "application/json";
    String big =
        "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + "x".repeat(70_000)
            + "\"}]}";
    return Stream.of(
            new Case(
                "no key", Format.OPENAI, "POST", CHAT, json, null, OK_CHAT, 401, "Missing API key"),
            new Case(
                "unknown key",
                Format.OPENAI,
                "POST",
                CHAT,
                json,
                "pc-nope",
                OK_CHAT,
                401,
                "Invalid API key"),
            new Case(
                "disabled key",
                Format.OPENAI,
                "POST",
                CHAT,
                json,
                DISABLED,
                OK_CHAT,
                401,
                "disabled"),
            new Case(
                "expired key", Format.OPENAI, "POST", CHAT, json, EXPIRED, OK_CHAT, 401, "expired"),
            new Case(
                "anthropic no key",
                Format.ANTHROPIC,
                "POST",
                MESSAGES,
                json,
                null,
                OK_MSG,
                401,
                "Missing API key"),
            new Case(
                "unknown model",
                Format.OPENAI,
                "POST",
                CHAT,
                json,
                KEY,
                OK_CHAT.replace("echo", "nope"),
                404,
                "'nope' does not exist"),
            new Case(
                "other namespace's route",
                Format.OPENAI,
                "POST",
                CHAT,
                json,
                KEY,
                OK_CHAT.replace("echo", "private-model"),
                404,
                "private-model"),
            new Case(
                "explicit namespace not admitted",
                Format.OPENAI,
                "POST",
                CHAT,
                json,
                KEY,
                OK_CHAT.replace("echo", "team-b/private-model"),
                404,
                "team-b/private-model"),
            new Case(
                "anthropic unknown model",
                Format.ANTHROPIC,
                "POST",
                MESSAGES,
                json,
                KEY,
                OK_MSG.replace("echo", "nope"),
                404,
                "'nope' does not exist"),
            new Case(
                "malformed json",
                Format.OPENAI,
                "POST",
                CHAT,
                json,
                KEY,
                "{\"model\":\"echo\",\n\"messages\":[",
                400,
                "Malformed JSON at line 2"),
            new Case(
                "anthropic malformed json",
                Format.ANTHROPIC,
                "POST",
                MESSAGES,
                json,
                KEY,
                "{\"model\": echo}",
                400,
                "Malformed JSON at line 1"),
            new Case("empty body", Format.OPENAI, "POST", CHAT, json, KEY, "", 400, "JSON"),
            new Case(
                "array body",
                Format.OPENAI,
                "POST",
                CHAT,
                json,
                KEY,
                "[]",
                400,
                "must be a JSON object"),
            new Case(
                "model not a string",
                Format.OPENAI,
                "POST",
                CHAT,
                json,
                KEY,
                "{\"model\":5,\"messages\":[]}",
                400,
                "'model' must be a string"),
            new Case(
                "messages not an array",
                Format.OPENAI,
                "POST",
                CHAT,
                json,
                KEY,
                "{\"model\":\"echo\",\"messages\":\"hi\"}",
                400,
                "'messages' must be an array"),
            new Case(
                "stream not a boolean",
                Format.OPENAI,
                "POST",
                CHAT,
                json,
                KEY,
                "{\"model\":\"echo\",\"messages\":[],\"stream\":\"yes\"}",
                400,
                "'stream' must be a boolean"),
            new Case(
                "temperature not a number",
                Format.OPENAI,
                "POST",
                CHAT,
                json,
                KEY,
                "{\"model\":\"echo\",\"messages\":[],\"temperature\":\"hot\"}",
                400,
                "'temperature' must be a number"),
            new Case(
                "missing messages",
                Format.OPENAI,
                "POST",
                CHAT,
                json,
                KEY,
                "{\"model\":\"echo\"}",
                400,
                "'messages'"),
            new Case(
                "missing model",
                Format.OPENAI,
                "POST",
                CHAT,
                json,
                KEY,
                "{\"messages\":[]}",
                400,
                "'model'"),
            new Case(
                "anthropic missing max_tokens",
                Format.ANTHROPIC,
                "POST",
                MESSAGES,
                json,
                KEY,
                "{\"model\":\"echo\",\"messages\":[]}",
                400,
                "'max_tokens'"),
            new Case(
                "anthropic max_tokens not an integer",
                Format.ANTHROPIC,
                "POST",
                MESSAGES,
                json,
                KEY,
                "{\"model\":\"echo\",\"max_tokens\":1.5,\"messages\":[]}",
                400,
                "'max_tokens' must be an integer"),
            new Case(
                "body too large", Format.OPENAI, "POST", CHAT, json, KEY, big, 413, "larger than"),
            new Case(
                "anthropic body too large",
                Format.ANTHROPIC,
                "POST",
                MESSAGES,
                json,
                KEY,
                big,
                413,
                "larger than"),
            new Case(
                "form content type",
                Format.OPENAI,
                "POST",
                CHAT,
                "application/x-www-form-urlencoded",
                KEY,
                OK_CHAT,
                415,
                "application/json"),
            new Case(
                "text content type",
                Format.ANTHROPIC,
                "POST",
                MESSAGES,
                "text/plain",
                KEY,
                OK_MSG,
                415,
                "application/json"),
            new Case(
                "GET on a POST endpoint",
                Format.OPENAI,
                "GET",
                CHAT,
                null,
                KEY,
                null,
                405,
                "not allowed"),
            new Case(
                "unknown path",
                Format.OPENAI,
                "POST",
                "/v1/engines",
                json,
                KEY,
                OK_CHAT,
                404,
                "Unknown request URL"),
            new Case(
                "models without key",
                Format.OPENAI,
                "GET",
                "/v1/models",
                null,
                null,
                null,
                401,
                "Missing API key"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void badRequestGetsStatusAndCallerFormat(Case c) throws Exception {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + c.path()));
    if (c.contentType() != null) {
      req.header("content-type", c.contentType());
    }
    if (c.key() != null) {
      if (c.format() == Format.ANTHROPIC) {
        req.header("x-api-key", c.key());
      } else {
        req.header("authorization", "Bearer " + c.key());
      }
    }
    if (c.format() == Format.ANTHROPIC) {
      req.header("anthropic-version", "2023-06-01");
    }
    req.method(
        c.method(),
        c.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(c.body()));
    HttpResponse<String> res = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());

    assertThat(res.statusCode()).as(res.body()).isEqualTo(c.status());
    assertThat(res.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(res.headers().firstValue("x-request-id")).isPresent();
    assertThat(res.body()).doesNotContain("Exception").doesNotContain("\tat ");
    JsonNode body = JSON.readTree(res.body());
    String message;
    if (c.format() == Format.ANTHROPIC) {
      assertThat(body.path("type").asText()).isEqualTo("error");
      assertThat(body.path("error").path("type").asText()).isNotEmpty();
      message = body.path("error").path("message").asText();
    } else {
      assertThat(body.path("error").has("type")).isTrue();
      assertThat(body.path("error").has("code")).isTrue();
      assertThat(body.path("error").has("param")).isTrue();
      message = body.path("error").path("message").asText();
    }
    assertThat(message).contains(c.messageFragment());
  }

  @Test
  void aValidRequestStillWorksAfterTheCorpus() throws Exception {
    HttpResponse<String> res =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + CHAT))
                .header("content-type", "application/json")
                .header("authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(OK_CHAT))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(res.headers().firstValue("x-portcullis-route")).hasValue("team-a/echo");
    assertThat(res.headers().firstValue("x-portcullis-target")).hasValue("echo");
  }
}
