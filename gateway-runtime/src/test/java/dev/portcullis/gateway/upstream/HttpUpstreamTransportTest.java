package dev.portcullis.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.UpstreamResponse;
import dev.portcullis.gateway.provider.UpstreamTimeouts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport over Helidon's connection cache against a raw HTTP/1.1 server on loopback that can
 * close or reset kept-alive connections when told: reuse, a connection the upstream closed or reset
 * while idle is not used again, no second try for a request an upstream read, and header values
 * checked before anything is sent, the value never named.
 */
class HttpUpstreamTransportTest {
  private final HttpUpstreamTransport transport = new HttpUpstreamTransport();
  private Server server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  private UpstreamRequest post(String body) {
    return new UpstreamRequest(
        "POST",
        UpstreamRequest.parseUri(server.baseUrl() + "/v1/chat/completions"),
        Map.of("content-type", "application/json", "authorization", "Bearer sk-test"),
        body.getBytes(StandardCharsets.UTF_8),
        false);
  }

  private String call(String body) throws IOException {
    try (UpstreamResponse r = transport.send(post(body), UpstreamTimeouts.DEFAULT)) {
      assertThat(r.status()).isEqualTo(200);
      return new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void keptAliveConnectionsAreReused() throws Exception {
    server = new Server(Mode.KEEP_ALIVE);
    for (int i = 0; i < 5; i++) {
      assertThat(call("{\"n\":" + i + "}")).isEqualTo("{\"n\":" + i + "}");
    }
    assertThat(server.connections.get()).isEqualTo(1);
    assertThat(server.requests).hasSize(5);
    // The gateway's own request: no Helidon defaults it did not ask for.
    assertThat(server.requests.getFirst().toLowerCase(Locale.ROOT))
        .startsWith("post /v1/chat/completions http/1.1\r\n")
        .contains("authorization: bearer sk-test\r\n");
  }

  @Test
  void aConnectionTheUpstreamClosedOrResetWhileIdleIsNotUsedAgain() throws Exception {
    for (Mode mode : List.of(Mode.CLOSE_AFTER_ANSWER, Mode.RESET_AFTER_ANSWER)) {
      server = new Server(mode);
      assertThat(call("{\"n\":1}")).isEqualTo("{\"n\":1}");
      Thread.sleep(300);
      assertThat(call("{\"n\":2}")).isEqualTo("{\"n\":2}");
      assertThat(server.connections.get()).isEqualTo(2);
      assertThat(server.requests).hasSize(2);
      server.close();
    }
  }

  @Test
  void aRequestTheUpstreamReadOnANewConnectionIsNotSentAgain() throws Exception {
    server = new Server(Mode.READ_AND_CLOSE);
    assertThatThrownBy(() -> call("{\"n\":1}")).isInstanceOf(IOException.class);
    assertThat(server.connections.get()).isEqualTo(1);
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void aRequestAKeptAliveConnectionWasResetOnIsNotSentAgain() throws Exception {
    server = new Server(Mode.ANSWER_ONCE_THEN_RESET);
    assertThat(call("{\"n\":1}")).isEqualTo("{\"n\":1}");
    // The upstream read the second request and reset the connection: it may have acted on it.
    assertThatThrownBy(() -> call("{\"n\":2}")).isInstanceOf(IOException.class);
    assertThat(server.connections.get()).isEqualTo(1);
    assertThat(server.requests).hasSize(2);
  }

  @Test
  void anAnswerNotReadToItsEndClosesItsConnection() throws Exception {
    server = new Server(Mode.KEEP_ALIVE);
    try (UpstreamResponse r = transport.send(post("{\"long\":true}"), UpstreamTimeouts.DEFAULT)) {
      assertThat(r.body().read()).isEqualTo('{');
    }
    assertThat(call("{\"n\":2}")).isEqualTo("{\"n\":2}");
    assertThat(server.requests).hasSize(2);
  }

  @Test
  void aHeaderValueWithCrLfIsRefusedBeforeAnythingIsSent() throws Exception {
    server = new Server(Mode.KEEP_ALIVE);
    UpstreamRequest bad =
        new UpstreamRequest(
            "POST",
            URI.create(server.baseUrl() + "/v1/chat/completions"),
            Map.of("authorization", "Bearer sk-test\r\nx-injected: 1"),
            new byte[0],
            false);
    assertThatThrownBy(() -> transport.send(bad, UpstreamTimeouts.DEFAULT))
        .isInstanceOf(HttpUpstreamTransport.InvalidHeaderException.class)
        .hasMessageContaining("authorization")
        .hasMessageNotContaining("sk-test");
    assertThat(server.connections.get()).isZero();
  }

  enum Mode {
    KEEP_ALIVE,
    /** Answers, then closes the connection without saying so (a keep-alive timeout). */
    CLOSE_AFTER_ANSWER,
    /** Reads the request and closes without answering. */
    READ_AND_CLOSE,
    /** Answers, then resets the connection. */
    RESET_AFTER_ANSWER,
    /** Answers the first request; reads the second and resets the connection. */
    ANSWER_ONCE_THEN_RESET
  }

  /** Echoes each request's body as a 200 JSON answer, over kept-alive connections. */
  static final class Server implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0);
    final AtomicInteger connections = new AtomicInteger();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final Mode mode;

    Server(Mode mode) throws IOException {
      this.mode = mode;
      Thread.ofVirtual().start(this::accept);
    }

    String baseUrl() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket s = socket.accept();
          connections.incrementAndGet();
          Thread.ofVirtual().start(() -> serve(s));
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket s) {
      try (s) {
        InputStream in = s.getInputStream();
        while (true) {
          String head = readHead(in);
          if (head == null) {
            return;
          }
          int length = 0;
          for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
              length = Integer.parseInt(line.substring(15).strip());
            }
          }
          byte[] body = in.readNBytes(length);
          requests.add(head + new String(body, StandardCharsets.UTF_8));
          if (mode == Mode.READ_AND_CLOSE) {
            return;
          }
          if (mode == Mode.ANSWER_ONCE_THEN_RESET && requests.size() > 1) {
            s.setSoLinger(true, 0);
            return;
          }
          byte[] answer =
              new String(body, StandardCharsets.UTF_8).contains("long")
                  ? ("{" + "x".repeat(200_000) + "}").getBytes(StandardCharsets.UTF_8)
                  : body;
          s.getOutputStream()
              .write(
                  ("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                          + answer.length
                          + "\r\n\r\n")
                      .getBytes(StandardCharsets.ISO_8859_1));
          s.getOutputStream().write(answer);
          s.getOutputStream().flush();
          if (mode == Mode.CLOSE_AFTER_ANSWER) {
            return;
          }
          if (mode == Mode.RESET_AFTER_ANSWER) {
            s.setSoLinger(true, 0);
            return;
          }
        }
      } catch (IOException e) {
        // the client went away
      }
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) >= 0) {
        head.write(b);
        int n = head.size();
        byte[] a = head.toByteArray();
        if (n >= 4
            && a[n - 4] == '\r'
            && a[n - 3] == '\n'
            && a[n - 2] == '\r'
            && a[n - 1] == '\n') {
          return head.toString(StandardCharsets.ISO_8859_1);
        }
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
