package dev.portcullis.gateway;

import static dev.portcullis.gateway.testing.ErrorFormats.assertOpenAiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
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
 * --idle-timeout}) while everyone else is served.
 */
class SlowClientsTest {
  static final String KEY = "pc-test-slowclients-0123456789";
  static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);

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
                        .withIdleTimeout(IDLE_TIMEOUT)));
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
}
