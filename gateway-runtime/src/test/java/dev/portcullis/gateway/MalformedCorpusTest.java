package dev.portcullis.gateway;

import static dev.portcullis.gateway.testing.ErrorFormats.assertAnthropicError;
import static dev.portcullis.gateway.testing.ErrorFormats.assertOpenAiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.testing.RawHttpConnection;
import dev.portcullis.gateway.testing.RawHttpConnection.Response;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A seeded corpus of malformed requests over raw sockets, across every endpoint and both formats:
 * mutated JSON, wrong types, huge numbers, bad headers, wrong methods. None may get a 5xx, every
 * 4xx is in the caller's format without a stack trace, and the gateway serves normally after.
 */
class MalformedCorpusTest {
  static final String KEY = "pc-test-corpus-0123456789";
  static final long SEED = 19;
  static final int REQUESTS = 2_400;
  static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = Gateway.start(GatewaySettings.ephemeral().withMaxBodyBytes(256 * 1024));
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

  record Endpoint(String path, boolean anthropic, String validBody) {}

  static final List<Endpoint> ENDPOINTS =
      List.of(
          new Endpoint(
              "/v1/chat/completions",
              false,
              "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                  + "\"n\":2,\"max_tokens\":16,\"stream\":false,\"temperature\":0.5}"),
          new Endpoint(
              "/v1/completions",
              false,
              "{\"model\":\"echo\",\"prompt\":\"hello\",\"max_tokens\":8,\"best_of\":1}"),
          new Endpoint("/v1/embeddings", false, "{\"model\":\"echo\",\"input\":[\"a\",\"b\"]}"),
          new Endpoint("/v1/models", false, null),
          new Endpoint(
              "/v1/messages",
              true,
              "{\"model\":\"echo\",\"max_tokens\":16,\"system\":\"be brief\","
                  + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}"),
          new Endpoint(
              "/v1/messages/count_tokens",
              true,
              "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
          new Endpoint("/v1/models", true, null));

  static final String[] WRONG_VALUES = {
    "null",
    "true",
    "\"\"",
    "\"x\"",
    "[]",
    "{}",
    "0",
    "-1",
    "1e309",
    "-1e309",
    "123456789012345678901234567890",
    "1.5",
    "[[[[[[[[[[1]]]]]]]]]]",
    "\"\\ud800\"",
    "{\"a\":{\"b\":{\"c\":[]}}}"
  };

  static final String[] FIELDS = {
    "model",
    "messages",
    "prompt",
    "input",
    "n",
    "max_tokens",
    "max_completion_tokens",
    "best_of",
    "stream",
    "stream_options",
    "temperature",
    "system",
    "tools",
    "content",
    "role"
  };

  static final String[] CONTENT_TYPES = {
    "application/json",
    "application/json; charset=utf-8",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/json;;;",
    "*/*"
  };

  @Test
  void noMalformedRequestGetsA5xxAndEveryRefusalIsInTheCallersFormat() throws Exception {
    Random random = new Random(SEED);
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < REQUESTS; i++) {
      Endpoint endpoint = ENDPOINTS.get(random.nextInt(ENDPOINTS.size()));
      byte[] request = mutated(endpoint, random, i);
      boolean head = new String(request, 0, 5, StandardCharsets.ISO_8859_1).equals("HEAD ");
      Response r;
      try (RawHttpConnection c = new RawHttpConnection(gateway.port())) {
        r = c.send(request).read(head);
      }
      statuses.merge(r.status(), 1, Integer::sum);
      String described = "request " + i + " to " + endpoint.path() + ": " + r;
      assertThat(r.status()).as(described).isLessThan(500);
      if (head) {
        assertThat(r.body()).as(described).isEmpty(); // headers only, whatever the status
      } else if (r.status() >= 400) {
        if (expectsAnthropic(request)) {
          assertAnthropicError(r.body());
        } else {
          assertOpenAiError(r.body());
        }
      }
    }
    System.out.println("corpus statuses (seed " + SEED + "): " + statuses);
    assertThat(statuses.keySet()).as("the corpus reaches refusals and answers").contains(200, 400);

    try (RawHttpConnection c = new RawHttpConnection(gateway.port())) {
      String body = ENDPOINTS.get(0).validBody();
      Response alive =
          c.send(
                  request(
                      "POST",
                      "/v1/chat/completions",
                      false,
                      "application/json",
                      body.getBytes(StandardCharsets.UTF_8),
                      ""))
              .read();
      assertThat(alive.status()).isEqualTo(200);
    }
  }

  /** As the gateway decides the caller's format: Anthropic headers or a /v1/messages path. */
  private static boolean expectsAnthropic(byte[] request) {
    String head = new String(request, StandardCharsets.ISO_8859_1);
    int end = head.indexOf("\r\n\r\n");
    head = (end < 0 ? head : head.substring(0, end)).toLowerCase();
    String target = head.split(" ", 3).length > 1 ? head.split(" ", 3)[1] : "";
    return head.contains("\r\nx-api-key:")
        || head.contains("\r\nanthropic-version:")
        || target.startsWith("/v1/messages");
  }

  private static byte[] mutated(Endpoint endpoint, Random random, int i) {
    String method = endpoint.validBody() == null ? "GET" : "POST";
    String contentType = "application/json";
    String extraHeaders = "";
    byte[] body =
        endpoint.validBody() == null
            ? new byte[0]
            : endpoint.validBody().getBytes(StandardCharsets.UTF_8);
    boolean anthropic = endpoint.anthropic();
    switch (i % 10) {
      case 0 -> body = deleteOrInsert(body, random);
      case 1 -> body = wrongType(body, random);
      case 2 -> body = truncated(body, random);
      case 3 -> body = invalidUtf8(body, random);
      case 4 -> contentType = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
      case 5 -> extraHeaders = badHeaders(random);
      case 6 ->
          method =
              new String[] {"PUT", "DELETE", "PATCH", "GET", "POST", "HEAD"}[random.nextInt(6)];
      case 7 -> anthropic = !anthropic; // the other format's headers on this path
      case 8 -> body = wrongType(deleteOrInsert(body, random), random);
      default -> body = structural(random);
    }
    return request(method, endpoint.path(), anthropic, contentType, body, extraHeaders);
  }

  static byte[] request(
      String method,
      String path,
      boolean anthropic,
      String contentType,
      byte[] body,
      String extraHeaders) {
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
    if (anthropic) {
      head.append("x-api-key: ").append(KEY).append("\r\nanthropic-version: 2023-06-01\r\n");
    } else {
      head.append("Authorization: Bearer ").append(KEY).append("\r\n");
    }
    head.append("Content-Type: ").append(contentType).append("\r\n");
    head.append(extraHeaders);
    head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static byte[] deleteOrInsert(byte[] body, Random random) {
    if (body.length == 0) {
      return "{".getBytes(StandardCharsets.UTF_8);
    }
    StringBuilder s = new StringBuilder(new String(body, StandardCharsets.UTF_8));
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits && s.length() > 0; e++) {
      int at = random.nextInt(s.length());
      if (random.nextBoolean()) {
        s.deleteCharAt(at);
      } else {
        s.insert(at, "{}[]\",:\\0-eE.tn".charAt(random.nextInt(15)));
      }
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] wrongType(byte[] body, Random random) {
    String s = new String(body, StandardCharsets.UTF_8);
    String field = FIELDS[random.nextInt(FIELDS.length)];
    String value = WRONG_VALUES[random.nextInt(WRONG_VALUES.length)];
    if (s.startsWith("{") && s.length() > 2) {
      return ("{\"" + field + "\":" + value + "," + s.substring(1))
          .getBytes(StandardCharsets.UTF_8);
    }
    return ("{\"model\":\"echo\",\"" + field + "\":" + value + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] truncated(byte[] body, Random random) {
    return body.length == 0 ? body : java.util.Arrays.copyOf(body, random.nextInt(body.length));
  }

  private static byte[] invalidUtf8(byte[] body, Random random) {
    byte[] copy =
        body.length == 0 ? "{\"model\":\"x\"}".getBytes(StandardCharsets.UTF_8) : body.clone();
    int at = random.nextInt(copy.length);
    copy[at] = (byte) (0x80 + random.nextInt(0x7f));
    return copy;
  }

  private static String badHeaders(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> "x-request-id: " + "r".repeat(500) + "\r\n";
      case 1 -> "anthropic-version: \r\n";
      case 2 -> "Authorization: Basic Zm9vOmJhcg==\r\n";
      case 3 -> "x-api-key: \r\n";
      case 4 -> "Expect: 100-continue\r\n";
      default -> "x-weird: " + "\u00ff\u00fe" + "\r\n";
    };
  }

  private static byte[] structural(Random random) {
    String s =
        switch (random.nextInt(8)) {
          case 0 -> "";
          case 1 -> "[]";
          case 2 -> "\"just a string\"";
          case 3 -> "{\"model\":\"echo\"}{\"model\":\"echo\"}";
          case 4 -> "[".repeat(5_000) + "]".repeat(5_000);
          case 5 ->
              "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\""
                  + "a".repeat(100_000)
                  + "\"}]}";
          case 6 -> "{\"model\":\"echo\",\"n\":1000000000,\"messages\":[]}";
          default -> "{\"model\":" + "9".repeat(2_000) + "}";
        };
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
