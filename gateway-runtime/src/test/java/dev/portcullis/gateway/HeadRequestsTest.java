package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.testing.RawHttpConnection;
import dev.portcullis.gateway.testing.RawHttpConnection.Response;
import dev.portcullis.gateway.testing.TestSnapshots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HEAD is answered with headers only (RFC 9110, section 9.3.2), so the next response on the same
 * connection starts where a client expects it (Node's http client fails otherwise).
 */
class HeadRequestsTest {
  static final String KEY = "pc-test-head-0123456789";
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

  /** HEAD, then GET /v1/models on the same connection: the GET's status line must come next. */
  private static Response headThenNextRequest(String path, String headers) throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(gateway.port())) {
      c.send(
          "HEAD "
              + path
              + " HTTP/1.1\r\nHost: x\r\n"
              + headers
              + "\r\nGET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
              + KEY
              + "\r\n\r\n");
      Response head = c.read(true);
      Response next = c.read();
      assertThat(next.status()).as("the response after HEAD %s", path).isEqualTo(200);
      assertThat(next.body()).contains("\"echo\"");
      return head;
    }
  }

  @Test
  void headOnTheRootIsHeadersOnly() throws Exception {
    assertThat(headThenNextRequest("/", "").status()).isEqualTo(404);
  }

  @Test
  void headOnAPostEndpointIsHeadersOnly() throws Exception {
    assertThat(headThenNextRequest("/v1/chat/completions", "").status()).isEqualTo(405);
  }

  @Test
  void headOnTheAnthropicEndpointIsHeadersOnly() throws Exception {
    assertThat(headThenNextRequest("/v1/messages", "x-api-key: " + KEY + "\r\n").status())
        .isEqualTo(405);
  }

  @Test
  void headOnTheModelListAnswersLikeGetWithoutTheBody() throws Exception {
    Response head = headThenNextRequest("/v1/models", "Authorization: Bearer " + KEY + "\r\n");
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("content-type")).startsWith("application/json");
  }

  @Test
  void headOnEveryAdminPathIsHeadersOnly() throws Exception {
    for (String path : new String[] {"/healthz", "/readyz", "/config", "/metrics"}) {
      try (RawHttpConnection c = new RawHttpConnection(gateway.adminPort())) {
        c.send(
            "HEAD " + path + " HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
        Response head = c.read(true);
        Response next = c.read();

        assertThat(head.status()).as("HEAD %s", path).isEqualTo(200);
        assertThat(next.status()).as("the response after HEAD %s", path).isEqualTo(200);
        assertThat(next.body()).contains("\"ready\"");
      }
    }
  }
}
