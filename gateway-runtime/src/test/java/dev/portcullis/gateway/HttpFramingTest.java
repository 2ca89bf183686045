package dev.portcullis.gateway;

import static dev.portcullis.gateway.testing.ErrorFormats.assertAnthropicError;
import static dev.portcullis.gateway.testing.ErrorFormats.assertOpenAiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.testing.RawHttpConnection;
import dev.portcullis.gateway.testing.RawHttpConnection.Response;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 framing on the traffic port over raw sockets: an answer given before a body was read
 * never lets that body be read as another request, ambiguous or broken framing is refused in the
 * caller's format and the connection closed, and well-framed keep-alive and pipelined requests are
 * served in order.
 */
class HttpFramingTest {
  static final String KEY = "pc-test-framing-0123456789";
  static final Duration CLOSE_WAIT = Duration.ofSeconds(3);
  static Gateway gateway;

  /** A complete request that, if ever parsed from a body, would be answered with 200. */
  static final String SMUGGLED =
      "GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY + "\r\n\r\n";

  static final String CHAT_BODY =
      "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @BeforeAll
  static void start() throws Exception {
    gateway =
        Gateway.start(
            GatewaySettings.ephemeral()
                .withMaxBodyBytes(64 * 1024)
                .withServer(ServerLimits.DEFAULTS.withMaxHeaderBytes(4096)));
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

  static String withBody(String requestLineAndHeaders, String body) {
    return requestLineAndHeaders + "Content-Length: " + body.length() + "\r\n\r\n" + body;
  }

  static String chat(String id, String extraHeaders) {
    return withBody(
        "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + KEY
            + "\r\nContent-Type: application/json\r\nx-request-id: "
            + id
            + "\r\n"
            + extraHeaders,
        CHAT_BODY);
  }

  /** The body is drained (or the connection closed): the request hidden in it is never served. */
  private static void assertAnsweredOnce(String request, int status) throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(gateway.port())) {
      Response first = c.send(request).read();
      assertThat(first.status()).isEqualTo(status);
      assertOpenAiError(first.body());
      assertThat(c.drain(CLOSE_WAIT)).as("nothing after the early answer").isEmpty();
    }
  }

  @Test
  void aMethodNotAllowedWithAnUnreadBodyClosesInsteadOfReadingTheBodyAsARequest() throws Exception {
    assertAnsweredOnce(withBody("PUT /v1/chat/completions HTTP/1.1\r\nHost: x\r\n", SMUGGLED), 405);
  }

  @Test
  void anUnsupportedMediaTypeWithAnUnreadBodyClosesInsteadOfReadingTheBodyAsARequest()
      throws Exception {
    assertAnsweredOnce(
        withBody(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n",
            SMUGGLED),
        415);
  }

  @Test
  void anUnknownPathWithAnUnreadBodyClosesInsteadOfReadingTheBodyAsARequest() throws Exception {
    assertAnsweredOnce(withBody("POST /v1/nope HTTP/1.1\r\nHost: x\r\n", SMUGGLED), 404);
  }

  @Test
  void aChunkedBodyAnsweredEarlyIsNotReadAsTheNextRequest() throws Exception {
    String chunk = Integer.toHexString(SMUGGLED.length());
    assertAnsweredOnce(
        "PUT /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunk
            + "\r\n"
            + SMUGGLED
            + "\r\n0\r\n\r\n",
        405);
  }

  @Test
  void aRefusalAfterTheBodyWasReadKeepsTheConnectionForTheNextPipelinedRequest() throws Exception {
    String unauthenticated =
        withBody(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n",
            CHAT_BODY);
    try (RawHttpConnection c = new RawHttpConnection(gateway.port())) {
      c.send(unauthenticated + chat("second", ""));
      Response refused = c.read();
      Response served = c.read();
      assertThat(refused.status()).isEqualTo(401);
      assertOpenAiError(refused.body());
      assertThat(served.status()).isEqualTo(200);
      assertThat(served.header("x-request-id")).isEqualTo("second");
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(gateway.port())) {
      c.send(chat("one", "") + chat("two", "") + chat("three", ""));
      for (String id : new String[] {"one", "two", "three"}) {
        Response r = c.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-request-id")).isEqualTo(id);
      }
      // keep-alive: still open for more
      assertThat(c.send(chat("four", "")).read().status()).isEqualTo(200);
    }
  }

  @Test
  void connectionCloseFromTheClientIsAnsweredThenClosed() throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(gateway.port())) {
      Response r = c.send(chat("bye", "Connection: close\r\n")).read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(c.closedByServer(CLOSE_WAIT)).isTrue();
    }
  }

  private static Response refusedAndClosed(String raw) throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(gateway.port())) {
      Response r = c.send(raw).read();
      assertThat(r.closesConnection()).as("Connection: close on %s", r).isTrue();
      assertThat(c.drain(CLOSE_WAIT)).as("nothing after the refusal").isEmpty();
      return r;
    }
  }

  @Test
  void contentLengthTogetherWithTransferEncodingIsRefusedAsAmbiguous() throws Exception {
    Response r =
        refusedAndClosed(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + SMUGGLED);
    assertThat(r.status()).isEqualTo(400);
    assertThat(assertOpenAiError(r.body()).path("message").asText())
        .contains("Content-Length and Transfer-Encoding");
  }

  @Test
  void ambiguousFramingFromAnAnthropicClientIsRefusedInAnthropicsFormat() throws Exception {
    Response r =
        refusedAndClosed(
            "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: k\r\nContent-Length: 4\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
    assertAnthropicError(r.body());
  }

  @Test
  void anInvalidChunkSizeIsRefusedInFormatNotWithA500() throws Exception {
    Response r =
        refusedAndClosed(
            "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                + KEY
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\n{}\r\n0\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
    assertOpenAiError(r.body());
  }

  @Test
  void anInvalidChunkSizeOnAMessagesRequestIsRefusedInAnthropicsFormat() throws Exception {
    Response r =
        refusedAndClosed(
            "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n-5\r\n{}\r\n0\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
    assertAnthropicError(r.body());
  }

  @Test
  void aBadPercentEscapeInTheQueryIsRefusedInFormat() throws Exception {
    Response r =
        refusedAndClosed(
            withBody(
                "POST /v1/chat/completions?x=%zz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + KEY
                    + "\r\n",
                CHAT_BODY));
    assertThat(r.status()).isEqualTo(400);
    assertOpenAiError(r.body());
  }

  @Test
  void aBadPercentEscapeInThePathIsRefusedInFormat() throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(gateway.port())) {
      Response r = c.send("GET /v1/mo%zzdels HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(r.status()).isIn(400, 404);
      assertOpenAiError(r.body());
    }
  }

  @Test
  void aNulInAHeaderIsRefusedInFormat() throws Exception {
    Response r =
        refusedAndClosed(
            withBody(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nx-note: a\0b\r\n", CHAT_BODY));
    assertThat(r.status()).isEqualTo(400);
    assertOpenAiError(r.body());
  }

  @Test
  void anUnsupportedContentEncodingIsRefusedWith415InFormat() throws Exception {
    Response r =
        refusedAndClosed(
            withBody(
                "POST /v1/messages HTTP/1.1\r\nHost: x\r\nanthropic-version: 2023-06-01\r\n"
                    + "Content-Encoding: br\r\n",
                CHAT_BODY));
    assertThat(r.status()).isEqualTo(415);
    assertThat(assertAnthropicError(r.body()).path("message").asText())
        .contains("Content-Encoding");
  }

  @Test
  void aContentLengthThatIsNotANumberIsRefusedInFormat() throws Exception {
    for (String length : new String[] {"abc", "-5", "1, 2", "99999999999999999999"}) {
      Response r =
          refusedAndClosed(
              "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: "
                  + length
                  + "\r\n\r\n{}");
      assertThat(r.status()).as("Content-Length: %s", length).isEqualTo(400);
      assertOpenAiError(r.body());
    }
  }

  @Test
  void headersOverTheLimitAreRefusedWith431InFormat() throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(gateway.port())) {
      Response r =
          c.send(
                  withBody(
                      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nx-big: "
                          + "a".repeat(6000)
                          + "\r\n",
                      CHAT_BODY))
              .read();
      assertThat(r.status()).isEqualTo(431);
      assertThat(assertOpenAiError(r.body()).path("message").asText()).contains("4096 bytes");
    }
  }

  @Test
  void headersFarOverTheLimitAreRefusedInFormatBeforeAnyRoute() throws Exception {
    Response r =
        refusedAndClosed(
            withBody(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nx-big: "
                    + "a".repeat(40_000)
                    + "\r\n",
                CHAT_BODY));
    assertThat(r.status()).isIn(400, 431);
    assertOpenAiError(r.body());
  }

  @Test
  void aMalformedRequestLineIsRefusedInFormat() throws Exception {
    Response r = refusedAndClosed("GET /v1/mo dels HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(r.status()).isEqualTo(400);
    assertOpenAiError(r.body());
  }

  @Test
  void bytesThatAreNotHttpAreClosedWithoutBeingServed() throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(gateway.port())) {
      c.send("HELLO THERE\r\n\r\n" + SMUGGLED);
      assertThat(c.drain(CLOSE_WAIT)).doesNotContain("200 OK");
      assertThat(c.closedByServer(CLOSE_WAIT)).isTrue();
    }
  }

  @Test
  void aSmallUnreadBodyIsDrainedSoTheConnectionServesTheNextRequest() throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(gateway.port())) {
      c.send(withBody("POST /v1/nope HTTP/1.1\r\nHost: x\r\n", CHAT_BODY) + chat("next", ""));
      Response notFound = c.read();
      Response next = c.read();
      assertThat(notFound.status()).isEqualTo(404);
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.header("x-request-id")).isEqualTo("next");
    }
  }

  @Test
  void theGatewayStillServesAfterEveryRefusal() throws Exception {
    try (RawHttpConnection c = new RawHttpConnection(gateway.port())) {
      assertThat(c.send(chat("alive", "")).read().status()).isEqualTo(200);
    }
  }
}
