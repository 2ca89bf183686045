package dev.portcullis.gateway;

import static dev.portcullis.gateway.testing.ErrorFormats.assertAnthropicError;
import static dev.portcullis.gateway.testing.ErrorFormats.assertOpenAiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.testing.RawHttpConnection;
import dev.portcullis.gateway.testing.RawHttpConnection.Response;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow and idle clients are closed after the documented timeouts ({@code --read-timeout}, {@code
 * --idle-timeout}, {@code --header-timeout}) while everyone else is served.
 */
class SlowClientsTest {
  static final String KEY = "pc-test-slowclients-0123456789";
  static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);
  static final Duration HEADER_TIMEOUT = Duration.ofMillis(1500);

  /** Time for the timeouts to act, with the idle check's period and a loaded machine. */
  static final Duration WITHIN = Duration.ofSeconds(8);

  static Gateway gateway;

  static final String CHAT_BODY =
      "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @BeforeAll
  static void start() throws Exception {
    gateway =
        Gateway.start(
            GatewaySettings.ephemeral()
                .withServer(
                    ServerLimits.DEFAULTS
                        .withReadTimeout(READ_TIMEOUT)
                        .withIdleTimeout(IDLE_TIMEOUT)
                        .withHeaderTimeout(HEADER_TIMEOUT)));
    gateway.apply(routeAndKey());
  }

  static Snapshot routeAndKey() {
    return TestSnapshots.builder()
        .route("team-a", "echo", "echo", Mode.SINGLE, TestSnapshots.echo("echo"))
        .key("team-a", "app", KEY)
        .build();
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  static String chatHeaders(int contentLength) {
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
        + KEY
        + "\r\nContent-Type: application/json\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  static void assertOthersAreServed() throws Exception {
    try (RawHttpConnection other = new RawHttpConnection(gateway.port())) {
      Response r = other.send(chatHeaders(CHAT_BODY.length()) + CHAT_BODY).read();
      assertThat(r.status()).isEqualTo(200);
    }
  }

  @Test
  void aStalledHalfRequestLineIsClosed() throws Exception {
    try (RawHttpConnection stalled = new RawHttpConnection(gateway.port())) {
      stalled.send("POST /v1/chat/compl");
      assertOthersAreServed();
      assertThat(stalled.closedByServer(WITHIN)).isTrue();
    }
  }

  @Test
  void manyStalledHalfRequestLinesAreAllClosed() throws Exception {
    List<RawHttpConnection> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 300; i++) {
        stalled.add(new RawHttpConnection(gateway.port()).send("GET /v1/mod"));
      }
      assertOthersAreServed();
      for (RawHttpConnection c : stalled) {
        assertThat(c.closedByServer(WITHIN)).isTrue();
      }
    } finally {
      for (RawHttpConnection c : stalled) {
        c.close();
      }
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (RawHttpConnection idle = new RawHttpConnection(gateway.port())) {
      assertThat(idle.send(chatHeaders(CHAT_BODY.length()) + CHAT_BODY).read().status())
          .isEqualTo(200);
      assertThat(idle.closedByServer(WITHIN)).isTrue();
    }
  }

  @Test
  void aStalledBodyIsClosedAfterTheReadTimeout() throws Exception {
    try (RawHttpConnection stalled = new RawHttpConnection(gateway.port())) {
      stalled.send(chatHeaders(CHAT_BODY.length()) + CHAT_BODY.substring(0, 10));
      assertOthersAreServed();
      assertThat(stalled.drain(WITHIN)).doesNotContain("200 OK");
      assertThat(stalled.closedByServer(Duration.ofMillis(100))).isTrue();
    }
  }

  @Test
  void aTrickledBodyIsRefusedInFormatOnceTheReadTimeoutHasPassed() throws Exception {
    try (RawHttpConnection trickle = new RawHttpConnection(gateway.port())) {
      trickle.send(chatHeaders(CHAT_BODY.length()));
      long start = System.nanoTime();
      int sent = 0;
      // One byte every 400 ms: never silent for the read timeout, but slower than it in total.
      while (sent < CHAT_BODY.length() - 1
          && Duration.ofNanos(System.nanoTime() - start).compareTo(READ_TIMEOUT.plusSeconds(1))
              < 0) {
        try {
          trickle.send(CHAT_BODY.substring(sent, sent + 1));
        } catch (IOException refusedAndClosed) {
          break;
        }
        sent++;
        Thread.sleep(400);
      }
      Response r = trickle.read();
      assertThat(r.status()).isEqualTo(408);
      assertOpenAiError(r.body());
      assertThat(trickle.closedByServer(WITHIN)).isTrue();
    }
  }

  @Test
  void headersThatStallAfterTheRequestLineGet408InFormatAndAreClosed() throws Exception {
    try (RawHttpConnection stalled = new RawHttpConnection(gateway.port())) {
      long start = System.nanoTime();
      stalled.send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: appl");
      assertOthersAreServed();
      Response r = stalled.read();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.closesConnection()).isTrue();
      assertThat(assertOpenAiError(r.body()).path("code").asText()).isEqualTo("request_timeout");
      assertThat(took).isGreaterThanOrEqualTo(HEADER_TIMEOUT).isLessThan(WITHIN);
      assertThat(stalled.closedByServer(Duration.ofSeconds(2))).isTrue();
    }
  }

  @Test
  void aStallOnAnAnthropicPathIsAnsweredInAnthropicsFormat() throws Exception {
    try (RawHttpConnection stalled = new RawHttpConnection(gateway.port())) {
      stalled.send("POST /v1/messages HTTP/1.1\r\n");
      Response r = stalled.read();
      assertThat(r.status()).isEqualTo(408);
      assertThat(assertAnthropicError(r.body()).path("message").asText())
          .contains("did not arrive");
      assertThat(stalled.closedByServer(Duration.ofSeconds(2))).isTrue();
    }
  }

  @Test
  void headersTrickledSlowerThanTheHeaderTimeoutAreCut() throws Exception {
    try (RawHttpConnection trickle = new RawHttpConnection(gateway.port())) {
      trickle.send("GET /v1/models HTTP/1.1\r\n");
      String header = "Authorization: Bearer " + KEY + "\r\n";
      long start = System.nanoTime();
      // One byte every 200 ms: never silent for long, but the headers never end in time.
      for (int i = 0;
          i < header.length() && Duration.ofNanos(System.nanoTime() - start).compareTo(WITHIN) < 0;
          i++) {
        try {
          trickle.send(header.substring(i, i + 1));
        } catch (IOException cut) {
          break;
        }
        Thread.sleep(200);
      }
      assertThat(trickle.drain(Duration.ofSeconds(2))).startsWith("HTTP/1.1 408");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WITHIN);
    }
  }

  @Test
  void aKeepAliveConnectionsSecondRequestHasItsOwnHeaderDeadline() throws Exception {
    // Two requests whose headers each take 3/5 of the timeout: together longer than it, each in
    // time. A gateway with the default idle timeout: this class's 1 s one, checked against the
    // server's clock (which ticks once a second), would close the connection first on a slow
    // machine.
    long eachWait = HEADER_TIMEOUT.toMillis() * 3 / 5;
    String line = "POST /v1/chat/completions HTTP/1.1\r\n";
    String rest = chatHeaders(CHAT_BODY.length()).substring(line.length()) + CHAT_BODY;
    try (Gateway own =
            Gateway.start(
                GatewaySettings.ephemeral()
                    .withServer(ServerLimits.DEFAULTS.withHeaderTimeout(HEADER_TIMEOUT)));
        RawHttpConnection conn = new RawHttpConnection(own.port())) {
      own.apply(routeAndKey());
      conn.send(line);
      Thread.sleep(eachWait);
      assertThat(conn.send(rest).read().status()).isEqualTo(200);
      conn.send(line);
      Thread.sleep(eachWait);
      assertThat(conn.send(rest).read().status()).isEqualTo(200);
      // The next request line starts a new deadline, and it passes.
      conn.send("GET /v1/models HTTP/1.1\r\n");
      assertThat(conn.read().status()).isEqualTo(408);
    }
  }

  @Test
  void aThousandSlowlorisConnectionsAreAllAnsweredAndClosed() throws Exception {
    List<RawHttpConnection> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 1000; i++) {
        stalled.add(
            new RawHttpConnection(gateway.port())
                .send("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: "));
      }
      assertOthersAreServed();
      for (RawHttpConnection c : stalled) {
        assertThat(c.drain(WITHIN)).startsWith("HTTP/1.1 408");
        assertThat(c.closedByServer(Duration.ofMillis(500))).isTrue();
      }
    } finally {
      for (RawHttpConnection c : stalled) {
        c.close();
      }
    }
  }
}
