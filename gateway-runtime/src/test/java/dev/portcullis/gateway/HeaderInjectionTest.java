package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Headers with invalid bytes from either side never reach the other (answers to clients, requests
 * to upstreams: see {@code HttpUpstreamTransport} and {@code HelidonResponder}). These tests send
 * invalid bytes in headers from each side over raw sockets and check that none reaches the other: a
 * caller's provider header to the upstream, an upstream's rate-limit and content-type headers to
 * the caller, and a configured credential to the upstream.
 */
class HeaderInjectionTest {
  static final String KEY = "pc-test-injection-0123456789";
  static FakeUpstream fake;
  static RawUpstream raw;
  static Gateway gateway;

  @BeforeAll
  static void start() throws Exception {
    fake = FakeUpstream.builder().port(0).start();
    raw = new RawUpstream();
    gateway = Gateway.start(GatewaySettings.ephemeral());
    TargetConfig good =
        TestSnapshots.provider("anthropic", "anthropic", "claude-x", fake.baseUrl());
    TargetConfig badKey =
        new TargetConfig(
            "openai",
            "openai",
            "gpt-x",
            fake.baseUrl() + "/v1",
            SecretValue.of("sk-upstream\r\nx-injected: from-secret"),
            1,
            TargetConfig.Timeouts.NONE,
            good.params(),
            null,
            null,
            null,
            null);
    gateway.apply(
        TestSnapshots.builder()
            .route("team-a", "claude", "claude", Mode.SINGLE, good)
            .route("team-a", "bad-key", "bad-key", Mode.SINGLE, badKey)
            .route(
                "team-a",
                "raw",
                "raw",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "raw-x", raw.baseUrl() + "/v1"))
            .key("team-a", "app", KEY)
            .build());
  }

  @AfterAll
  static void stop() throws IOException {
    gateway.close();
    fake.close();
    raw.close();
  }

  static final String BODY_MESSAGES =
      "{\"model\":\"claude\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  /** A request written byte for byte, and the whole answer (the gateway closes after it). */
  static String exchange(String head, String body) throws IOException {
    try (Socket s = new Socket("127.0.0.1", gateway.port())) {
      s.setSoTimeout(10_000);
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      OutputStream out = s.getOutputStream();
      out.write(
          (head + "content-length: " + b.length + "\r\nconnection: close\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(b);
      out.flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "beta-1\rx-injected: from-client",
        "beta-1\nx-injected: from-client",
        "beta-1\u0000x-injected: from-client",
        "beta-1\u000bx-injected",
        "beta-1\u007fx-injected"
      })
  void aProviderHeaderWithControlCharactersNeverReachesTheUpstream(String value) throws Exception {
    int before = fake.requests().size();
    String answer =
        exchange(
            "POST /v1/messages HTTP/1.1\r\nhost: gw\r\nx-api-key: "
                + KEY
                + "\r\ncontent-type: application/json\r\nanthropic-beta: "
                + value
                + "\r\n",
            BODY_MESSAGES);
    // Refused where the request is parsed, in the caller's format; the upstream heard nothing.
    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(fake.requests().size()).isEqualTo(before);
    assertThat(answer.toLowerCase(Locale.ROOT)).doesNotContain("x-injected");
  }

  @Test
  void aValidProviderHeaderStillPasses() throws Exception {
    String answer =
        exchange(
            "POST /v1/messages HTTP/1.1\r\nhost: gw\r\nx-api-key: "
                + KEY
                + "\r\ncontent-type: application/json\r\nanthropic-beta: beta-1\twith-tab\r\n",
            BODY_MESSAGES);
    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(fake.lastRequest().header("anthropic-beta")).isEqualTo("beta-1\twith-tab");
  }

  @Test
  void aCredentialWithCrLfIsNeverSent() throws Exception {
    int before = fake.requests().size();
    String answer =
        exchange(
            "POST /v1/chat/completions HTTP/1.1\r\nhost: gw\r\nauthorization: Bearer "
                + KEY
                + "\r\ncontent-type: application/json\r\n",
            "{\"model\":\"bad-key\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(answer).startsWith("HTTP/1.1 502");
    assertThat(fake.requests().size()).isEqualTo(before);
    // The error names the header, never its value.
    assertThat(answer).contains("authorization").doesNotContain("sk-upstream");
    assertThat(answer.toLowerCase(Locale.ROOT)).doesNotContain("x-injected");
  }

  static final String CHAT_RAW =
      "{\"model\":\"raw\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\n"
            + "x-ratelimit-remaining-requests: 0\rx-injected: from-upstream\r\nretry-after: 1\r\n",
        "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\n"
            + "retry-after: 1\u0000x-injected: from-upstream\r\n",
        "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\n"
            + "x-ratelimit-limit-requests: 10\nx-injected: from-upstream\r\n",
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\u000bx-injected: from-upstream\r\n",
      })
  void anUpstreamHeaderWithControlCharactersNeverReachesTheCaller(String head) throws Exception {
    String json =
        head.contains(" 200 ")
            ? "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"raw-x\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}"
            : "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}";
    raw.answer(head + "content-length: " + json.length() + "\r\n\r\n" + json);
    String answer =
        exchange(
            "POST /v1/chat/completions HTTP/1.1\r\nhost: gw\r\nauthorization: Bearer "
                + KEY
                + "\r\ncontent-type: application/json\r\n",
            CHAT_RAW);
    assertThat(raw.requests()).isNotEmpty();
    String headers = answer.substring(0, answer.indexOf("\r\n\r\n"));
    assertThat(headers.toLowerCase(Locale.ROOT)).doesNotContain("x-injected");
    for (String line : headers.split("\r\n")) {
      assertThat(line.chars().filter(c -> (c < 0x20 && c != '\t') || c == 0x7f)).isEmpty();
    }
    // The answer that could not be read is the gateway's own error in the caller's format.
    assertThat(answer).startsWith("HTTP/1.1 502");
  }

  @Test
  void anUpstreamsValidRateLimitHeadersStillReachTheCaller() throws Exception {
    String json = "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}";
    raw.answer(
        "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\n"
            + "x-ratelimit-remaining-requests: 0\r\nretry-after: 1\r\ncontent-length: "
            + json.length()
            + "\r\n\r\n"
            + json);
    String answer =
        exchange(
            "POST /v1/chat/completions HTTP/1.1\r\nhost: gw\r\nauthorization: Bearer "
                + KEY
                + "\r\ncontent-type: application/json\r\n",
            CHAT_RAW);
    assertThat(answer).startsWith("HTTP/1.1 429");
    assertThat(answer.toLowerCase(Locale.ROOT))
        .contains("x-ratelimit-remaining-requests: 0")
        .contains("retry-after: 1");
  }

  /** An upstream answering each request with a fixed byte string, then closing. */
  static final class RawUpstream implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0);
    private final AtomicReference<String> answer = new AtomicReference<>("");
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Thread thread;

    RawUpstream() throws IOException {
      thread = Thread.ofVirtual().start(this::serve);
    }

    String baseUrl() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    void answer(String bytes) {
      answer.set(bytes);
    }

    List<String> requests() {
      return requests;
    }

    private void serve() {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          s.setSoTimeout(10_000);
          requests.add(readRequest(s.getInputStream()));
          s.getOutputStream().write(answer.get().getBytes(StandardCharsets.ISO_8859_1));
          s.getOutputStream().flush();
        } catch (IOException e) {
          // closed, or a client that went away
        }
      }
    }

    /** Reads a request's head and its content-length body. */
    private static String readRequest(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        head.write(b);
        String h = head.toString(StandardCharsets.ISO_8859_1);
        if (h.endsWith("\r\n\r\n")) {
          int length = 0;
          for (String line : h.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
              length = Integer.parseInt(line.substring(15).strip());
            }
          }
          return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
      }
      return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
