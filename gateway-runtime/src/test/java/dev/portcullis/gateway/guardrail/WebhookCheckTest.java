package dev.portcullis.gateway.guardrail;

import static dev.portcullis.gateway.guardrail.GuardrailFixtures.compile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook check against a real HTTP server on loopback: verdicts, timeouts, failures. */
class WebhookCheckTest {
  private static final GuardrailRequest REQUEST =
      new GuardrailRequest(
          "req-7", "team-a/chat", "gpt-4o", "vk_9f2c1a", "team-a", Map.of("team", "a"));
  private static final CheckContext CONTEXT =
      new CheckContext("input", "team-a/moderation", "external", REQUEST);

  private HttpServer server;
  private ExecutorService threads;
  private final AtomicReference<String> received = new AtomicReference<>();
  private volatile int status = 200;
  private volatile String answer = "{\"match\":false}";
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean slow;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    threads = Executors.newCachedThreadPool();
    server.setExecutor(threads);
    server.createContext(
        "/check",
        exchange -> {
          received.set(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          if (slow) {
            try {
              release.await(10, TimeUnit.SECONDS); // answers long after any timeout
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] body = answer.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("content-type", "application/json");
          exchange.sendResponseHeaders(status, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
    threads.shutdownNow();
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/check";
  }

  private WholeTextCheck webhook(String timeout, String failureMode) {
    return compile(
        "webhook",
        "{'url':'" + url() + "','timeout':'" + timeout + "','failureMode':'" + failureMode + "'}");
  }

  @Test
  void firesWhenTheServiceAnswersMatch() {
    answer = "{\"match\":true,\"reason\":\"toxic\"}";
    assertThat(webhook("2s", "Open").fires("some text", CONTEXT)).isTrue();
  }

  @Test
  void passesWhenTheServiceAnswersNoMatch() {
    answer = "{\"match\":false}";
    assertThat(webhook("2s", "Closed").fires("some text", CONTEXT)).isFalse();
  }

  @Test
  void postsTheTextAndRequestMetadataButNoKey() throws Exception {
    webhook("2s", "Closed").fires("hello there", CONTEXT);
    JsonNode body = GuardrailFixtures.JSON.readTree(received.get());
    assertThat(body.path("text").asText()).isEqualTo("hello there");
    assertThat(body.path("stage").asText()).isEqualTo("input");
    assertThat(body.path("policy").asText()).isEqualTo("team-a/moderation");
    assertThat(body.path("check").asText()).isEqualTo("external");
    JsonNode request = body.path("request");
    assertThat(request.path("id").asText()).isEqualTo("req-7");
    assertThat(request.path("route").asText()).isEqualTo("team-a/chat");
    assertThat(request.path("keyId").asText()).isEqualTo("vk_9f2c1a");
    assertThat(request.path("keyMetadata").path("team").asText()).isEqualTo("a");
    assertThat(request.size()).isEqualTo(6); // id, route, model, keyId, keyNamespace, keyMetadata
  }

  @Test
  void aServiceThatTimesOutLetsTheTextPassWhenFailureModeIsOpen() {
    slow = true;
    WholeTextCheck check = webhook("200ms", "Open");
    long start = System.nanoTime();
    assertThat(check.fires("text", CONTEXT)).isFalse();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void aServiceThatTimesOutFiresWhenFailureModeIsClosed() {
    slow = true;
    WholeTextCheck check = webhook("200ms", "Closed");
    long start = System.nanoTime();
    assertThat(check.fires("text", CONTEXT)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void anErrorStatusFollowsTheFailureMode() {
    status = 500;
    answer = "{\"match\":false}";
    assertThat(webhook("2s", "Closed").fires("text", CONTEXT)).isTrue();
    assertThat(webhook("2s", "Open").fires("text", CONTEXT)).isFalse();
  }

  @Test
  void anAnswerWithoutAVerdictFollowsTheFailureMode() {
    answer = "{\"allowed\":true}";
    assertThat(webhook("2s", "Closed").fires("text", CONTEXT)).isTrue();
    answer = "not json";
    assertThat(webhook("2s", "Open").fires("text", CONTEXT)).isFalse();
  }

  @Test
  void aRefusedConnectionFollowsTheFailureMode() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/check";
    WholeTextCheck closed = compile("webhook", "{'url':'" + url + "'}");
    WholeTextCheck open = compile("webhook", "{'url':'" + url + "','failureMode':'Open'}");
    assertThat(closed.fires("t", CONTEXT)).isTrue();
    assertThat(open.fires("t", CONTEXT)).isFalse();
  }

  @Test
  void rejectsABadUrlOrTimeoutNamingTheField() {
    assertThatThrownBy(() -> compile("webhook", "{'url':'ftp://x'}"))
        .hasMessageStartingWith("webhook.url");
    assertThatThrownBy(() -> compile("webhook", "{'url':'http://x','timeout':'soon'}"))
        .hasMessageStartingWith("webhook.timeout");
  }
}
