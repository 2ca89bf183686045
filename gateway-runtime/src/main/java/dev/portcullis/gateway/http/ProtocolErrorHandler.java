package dev.portcullis.gateway.http;

import dev.portcullis.gateway.endpoint.Endpoints;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.telemetry.RequestRecord;
import dev.portcullis.gateway.telemetry.Telemetry;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Renders the web server's own rejections — requests refused before any route runs (malformed
 * framing, bad escapes, invalid headers, too many concurrent requests) — as errors in the caller's
 * format. The server closes the connection after each of them, so nothing the client sent after the
 * bad part is read as another request.
 *
 * <p>The server hands over only the status and what it parsed of the request (often nothing), not
 * the cause, so the message is chosen from the request's headers where they tell the cause apart
 * and is generic otherwise; it never echoes what the client sent.
 */
public final class ProtocolErrorHandler implements DirectHandler {
  private final int maxHeaderBytes;
  private final Duration retryAfter;
  private final Telemetry telemetry;

  /**
   * @param maxHeaderBytes the server's own header limit, named in the message for unparsable
   *     headers
   * @param retryAfter how long a client refused for overload is told to wait
   * @param telemetry where each rejection is recorded (status and error code; no route or key)
   */
  public ProtocolErrorHandler(int maxHeaderBytes, Duration retryAfter, Telemetry telemetry) {
    this.maxHeaderBytes = maxHeaderBytes;
    this.retryAfter = retryAfter;
    this.telemetry = telemetry == null ? Telemetry.disabled() : telemetry;
  }

  /** Direct handlers for every kind of early rejection, all rendered by this handler. */
  public DirectHandlers asDirectHandlers() {
    DirectHandlers.Builder builder = DirectHandlers.builder();
    for (EventType type : EventType.values()) {
      builder.addHandler(type, this);
    }
    return builder.build();
  }

  @Override
  public TransportResponse handle(
      TransportRequest request,
      EventType eventType,
      Status defaultStatus,
      ServerResponseHeaders responseHeaders,
      String message) {
    ServerRequestHeaders headers = request.headers();
    ApiError error = describe(request, defaultStatus.code());
    WireFormat format = TrafficService.guessFormat(request.path(), headers);
    String requestId = TrafficService.newRequestId();
    // Recorded as answered when the answer is decided: the server writes it after this returns.
    // What it parsed of the request is not trusted for more than the caller's format.
    RequestRecord record = telemetry.begin(requestId, null);
    record.call(format, null, false);
    record.outcome(error.status(), error.code());
    telemetry.finish(record);
    TransportResponse.Builder response =
        TransportResponse.builder()
            .status(Status.create(error.status()))
            .header(HeaderNames.CONTENT_TYPE, "application/json")
            .header(HeaderNames.create("x-request-id"), requestId)
            .keepAlive(false);
    response.header(HeaderValues.CONNECTION_CLOSE);
    if (error.kind() == ErrorKind.UNAVAILABLE) {
      response.header(HeaderNames.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
    }
    try {
      return response
          .entity(Jackson.MAPPER.writeValueAsBytes(Endpoints.clientFamily(format).errorBody(error)))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ApiError describe(TransportRequest request, int status) {
    ServerRequestHeaders headers = request.headers();
    return switch (status) {
      case 503 ->
          ApiError.of(
              ErrorKind.UNAVAILABLE,
              "overloaded",
              "The gateway is at its limit of concurrent requests; retry shortly.");
      case 413 ->
          ApiError.of(
              ErrorKind.PAYLOAD_TOO_LARGE,
              "request_too_large",
              "The request body is larger than the gateway's limit.");
      case 414 -> invalidHttp("The request line is longer than the gateway's limit.");
      case 431 -> headersTooLarge();
      case 501 ->
          ApiError.of(
              ErrorKind.NOT_IMPLEMENTED,
              "unsupported_transfer_encoding",
              "Only 'Transfer-Encoding: chunked' is supported for request bodies.");
      case 505 ->
          ApiError.of(
              ErrorKind.HTTP_VERSION_NOT_SUPPORTED,
              "http_version_not_supported",
              "The gateway speaks HTTP/1.1 (and HTTP/1.0) on this port.");
      default -> {
        if (status >= 500) {
          yield ApiError.of(
              ErrorKind.INTERNAL,
              "internal_error",
              "The gateway could not process this request's HTTP framing.");
        }
        yield badRequest(request, headers);
      }
    };
  }

  private ApiError badRequest(TransportRequest request, ServerRequestHeaders headers) {
    boolean lengthGiven = headers.contains(HeaderNames.CONTENT_LENGTH);
    if (headers.contains(HeaderNames.TRANSFER_ENCODING) && lengthGiven) {
      return invalidHttp(
          "Content-Length and Transfer-Encoding must not both be sent: the body's framing is"
              + " ambiguous.");
    }
    if (headers.contains(HeaderNames.CONTENT_ENCODING)) {
      return ApiError.of(
          ErrorKind.UNSUPPORTED_MEDIA_TYPE,
          "unsupported_content_encoding",
          "Content-Encoding is not supported: send the body uncompressed.");
    }
    if (lengthGiven) {
      return invalidHttp("Content-Length must be a single non-negative decimal number.");
    }
    if (request.path().isEmpty()) {
      return invalidHttp("The request line is not valid HTTP/1.1.");
    }
    if (headers.size() == 0) {
      return invalidHttp(
          "The request headers are malformed (a control character such as NUL, a missing colon, a"
              + " bare line feed) or larger than the gateway's limit of "
              + maxHeaderBytes
              + " bytes.");
    }
    return invalidHttp(
        "The request is not valid HTTP/1.1 (its target, query escapes or Host header).");
  }

  private ApiError headersTooLarge() {
    return ApiError.of(
        ErrorKind.HEADERS_TOO_LARGE,
        "headers_too_large",
        "The request headers are larger than the gateway's limit of " + maxHeaderBytes + " bytes.");
  }

  private static ApiError invalidHttp(String message) {
    return ApiError.of(ErrorKind.BAD_REQUEST, "invalid_http", message);
  }
}
