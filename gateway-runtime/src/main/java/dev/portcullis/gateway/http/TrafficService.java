package dev.portcullis.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.gateway.endpoint.Endpoint;
import dev.portcullis.gateway.endpoint.Endpoints;
import dev.portcullis.gateway.endpoint.ModelList;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.pipeline.ClientCall;
import dev.portcullis.gateway.pipeline.ProxyPipeline;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.state.Authenticator;
import dev.portcullis.gateway.state.GatewayState;
import dev.portcullis.gateway.telemetry.GenAiOperation;
import dev.portcullis.gateway.telemetry.RequestRecord;
import dev.portcullis.gateway.telemetry.Telemetry;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The traffic port: OpenAI- and Anthropic-compatible endpoints, as {@link Endpoints} lists them.
 * Decides the client's endpoint (so its format) from the path (and, for shared paths such as {@code
 * /v1/models}, from Anthropic's headers), reads the body within the size limit and hands the call
 * to the pipeline.
 */
public final class TrafficService implements HttpService {
  private static final ObjectMapper JSON = Jackson.MAPPER;

  /**
   * The path the admin port's liveness check asks on this listener (in-process, over loopback): it
   * proves the listener's threads answer, and is no client's request — answered 204, neither
   * counted in the metrics nor logged.
   */
  public static final String LIVENESS_PATH = "/.portcullis/liveness";

  /** How far past the body limit a refused body is still read before the connection closes. */
  private static final int LINGER_FACTOR = 4;

  private final ProxyPipeline pipeline;
  private final Supplier<GatewayState> state;
  private final Authenticator authenticator;
  private final long maxBodyBytes;
  private final int maxHeaderBytes;
  private final Duration bodyReadTimeout;
  private final ReadWatchdog watchdog;
  private final Lifecycle lifecycle;
  private final Telemetry telemetry;
  private final Endpoints endpoints = Endpoints.builtIn();

  public TrafficService(
      ProxyPipeline pipeline,
      Supplier<GatewayState> state,
      Authenticator authenticator,
      long maxBodyBytes,
      int maxHeaderBytes,
      Duration bodyReadTimeout,
      Lifecycle lifecycle,
      Telemetry telemetry) {
    this.pipeline = pipeline;
    this.state = state;
    this.authenticator = authenticator;
    this.maxBodyBytes = maxBodyBytes;
    this.maxHeaderBytes = maxHeaderBytes;
    this.bodyReadTimeout = bodyReadTimeout;
    this.watchdog = new ReadWatchdog(bodyReadTimeout.plus(STALL_GRACE));
    this.lifecycle = lifecycle;
    this.telemetry = telemetry == null ? Telemetry.disabled() : telemetry;
  }

  @Override
  public void routing(HttpRules rules) {
    for (Endpoint endpoint : endpoints.all()) {
      rules.post(endpoint.path(), proxy(endpoint));
    }
    rules
        .get(ModelList.PATH, this::models)
        .head(ModelList.PATH, this::models)
        .get(LIVENESS_PATH, TrafficService::liveness)
        .any(this::notFound);
  }

  /**
   * Closes the connection after an answer that says {@code Connection: close} (the client asked, or
   * the body could not be drained); Helidon would otherwise read on, and what it read next would be
   * the rest of a body taken for a request.
   */
  public static void closeWhenAnnounced(
      FilterChain chain, RoutingRequest req, RoutingResponse res) {
    chain.proceed();
    if (res.headers().containsToken(HeaderValues.CONNECTION_CLOSE)) {
      throw new CloseConnectionException("answered with Connection: close");
    }
  }

  /** Whether a request may start. */
  public enum Entry {
    ADMITTED,
    /** The gateway is shutting down. */
    DRAINING,
    /** The gateway is at its concurrency bound. */
    OVERLOADED
  }

  /** The request-handling lifecycle the server shares with graceful shutdown. */
  public interface Lifecycle {
    /**
     * Registers a request, or says why it must be refused (then nothing is registered and {@link
     * #exit} is not called).
     */
    Entry enter();

    void exit();
  }

  private io.helidon.webserver.http.Handler proxy(Endpoint endpoint) {
    WireFormat format = endpoint.format();
    return (req, res) -> {
      String requestId = requestId(req);
      GenAiOperation operation = GenAiOperation.of(endpoint.operation());
      Entry entry = lifecycle.enter();
      if (entry != Entry.ADMITTED) {
        RequestRecord record = begin(req, requestId);
        refuse(req, res, format, requestId, entry);
        answered(record, format, operation, null, res, entryError(entry));
        return;
      }
      try {
        byte[] body;
        try {
          checkHeaderSize(req);
          checkContentType(req);
          body = readBody(req);
        } catch (GatewayException e) {
          RequestRecord record = begin(req, requestId);
          sendError(req, res, format, requestId, e.error());
          answered(record, format, operation, null, res, e.error().code());
          return;
        }
        pipeline.handle(
            new ClientCall(
                endpoint, apiKey(req), body, headers(req), requestId, pathParameters(req)),
            new HelidonResponder(res));
      } finally {
        lifecycle.exit();
      }
    };
  }

  private void models(ServerRequest req, ServerResponse res) {
    WireFormat format = guessFormat(req);
    String requestId = requestId(req);
    RequestRecord record = begin(req, requestId);
    Entry entry = lifecycle.enter();
    if (entry != Entry.ADMITTED) {
      refuse(req, res, format, requestId, entry);
      answered(record, format, null, null, res, entryError(entry));
      return;
    }
    KeyConfig key = null;
    String error = null;
    try {
      checkHeaderSize(req);
      GatewayState current = state.get();
      if (current == null) {
        error = "not_ready";
        sendError(
            req,
            res,
            format,
            requestId,
            ApiError.of(ErrorKind.UNAVAILABLE, "not_ready", "The gateway is not ready yet."));
        return;
      }
      key = authenticator.authenticate(current, apiKey(req));
      // Each name once, owned by the first route (in the key's order) that serves it.
      SequencedMap<String, String> namespaceById = new LinkedHashMap<>();
      for (RouteConfig route : current.routesVisibleTo(key)) {
        for (String id : names(route)) {
          namespaceById.putIfAbsent(id, route.id().namespace());
        }
      }
      ObjectNode body = endpoints.models(format).render(namespaceById);
      res.header(HeaderNames.create("x-request-id"), requestId);
      res.header(HeaderNames.CONTENT_TYPE, "application/json");
      send(req, res, JSON.writeValueAsBytes(body));
    } catch (GatewayException e) {
      error = e.error().code();
      sendError(req, res, format, requestId, e.error());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      lifecycle.exit();
      answered(record, format, null, key, res, error);
    }
  }

  private static Iterable<String> names(RouteConfig route) {
    Set<String> names = new LinkedHashSet<>();
    names.add(route.model());
    names.addAll(route.aliases());
    return names;
  }

  /** Retrieving, deleting or cancelling a stored response: {@code /v1/responses/{id}…}. */
  private static final String STORED_RESPONSES = "/v1/responses/";

  private static void liveness(ServerRequest req, ServerResponse res) {
    res.status(Status.NO_CONTENT_204).send();
  }

  private void notFound(ServerRequest req, ServerResponse res) {
    String requestId = requestId(req);
    RequestRecord record = begin(req, requestId);
    String path = req.path().path();
    List<String> known = endpoints.paths();
    ApiError error =
        headersTooLarge(req)
            ? headersTooLargeError()
            : path.startsWith(STORED_RESPONSES)
                ? new ApiError(
                    ErrorKind.BAD_REQUEST,
                    "stored_responses_unsupported",
                    "The gateway keeps no stored responses, so "
                        + req.prologue().method().text()
                        + " "
                        + path
                        + " cannot be served: send the conversation as input items with each"
                        + " POST /v1/responses (and store: false).",
                    null)
                : known.contains(path)
                    ? new ApiError(
                        ErrorKind.METHOD_NOT_ALLOWED,
                        "method_not_allowed",
                        "Method "
                            + req.prologue().method().text()
                            + " is not allowed on "
                            + path
                            + ".",
                        null)
                    : new ApiError(
                        ErrorKind.NOT_FOUND,
                        "unknown_url",
                        "Unknown request URL: "
                            + req.prologue().method().text()
                            + " "
                            + path
                            + ". The gateway serves "
                            + String.join(", ", known.subList(0, known.size() - 1))
                            + " and "
                            + known.getLast()
                            + ".",
                        null);
    WireFormat format = guessFormat(req);
    sendError(req, res, format, requestId, error);
    answered(record, format, null, null, res, error.code());
  }

  /**
   * The telemetry record of a request the HTTP layer answers itself (refused, unreadable, not an
   * endpoint, the model list), begun when its answer is decided; {@link #answered} finishes it.
   */
  private RequestRecord begin(ServerRequest req, String requestId) {
    return telemetry.begin(requestId, req.headers().first(TRACEPARENT).orElse(null));
  }

  /**
   * Finishes the record of a request answered here: the status sent and the error code, and only
   * what is known without the pipeline (the endpoint's operation, the key that listed the models);
   * no route, target or model, so the metrics count it under {@code none}.
   *
   * @param operation null: not a GenAI operation (the model list, an unknown URL)
   */
  private void answered(
      RequestRecord record,
      WireFormat format,
      GenAiOperation operation,
      KeyConfig key,
      ServerResponse res,
      String error) {
    record.call(format, operation, false);
    if (key != null) {
      record.key(key);
    }
    record.outcome(res.status().code(), error);
    telemetry.finish(record);
  }

  private static String entryError(Entry entry) {
    return entry == Entry.DRAINING ? "shutting_down" : "overloaded";
  }

  private static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");

  private void refuse(
      ServerRequest req, ServerResponse res, WireFormat format, String requestId, Entry entry) {
    res.header(HeaderNames.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()));
    sendError(req, res, format, requestId, entry == Entry.DRAINING ? draining() : overloaded());
  }

  /** What a client refused for overload or shutdown is told to wait before retrying. */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private static ApiError overloaded() {
    return ApiError.of(
        ErrorKind.UNAVAILABLE,
        "overloaded",
        "The gateway is at its limit of concurrent requests; retry shortly.");
  }

  private static ApiError draining() {
    return ApiError.of(
        ErrorKind.UNAVAILABLE, "shutting_down", "The gateway is shutting down; retry elsewhere.");
  }

  /**
   * The server refuses headers beyond a hard limit (four times this one) before any route runs;
   * headers between the two get this 431 in the caller's format.
   */
  private void checkHeaderSize(ServerRequest req) {
    if (headersTooLarge(req)) {
      throw new GatewayException(headersTooLargeError());
    }
  }

  private boolean headersTooLarge(ServerRequest req) {
    long size = 0;
    for (Header h : req.headers()) {
      // "name: value\r\n" per value, as they came on the wire
      for (String value : h.allValues()) {
        size += h.name().length() + value.length() + 4;
      }
    }
    return size > maxHeaderBytes;
  }

  private ApiError headersTooLargeError() {
    return ApiError.of(
        ErrorKind.HEADERS_TOO_LARGE,
        "headers_too_large",
        "The request headers are larger than the gateway's limit of " + maxHeaderBytes + " bytes.");
  }

  private static void checkContentType(ServerRequest req) {
    Optional<HttpMediaType> type = req.headers().contentType();
    if (type.isPresent()
        && !type.get().mediaType().subtype().toLowerCase(Locale.ROOT).contains("json")) {
      throw new GatewayException(
          ErrorKind.UNSUPPORTED_MEDIA_TYPE,
          "unsupported_media_type",
          "Unsupported Content-Type '"
              + type.get().text()
              + "': send the body as application/json.");
    }
  }

  /**
   * A body that stalls is cut this long after the read timeout, so that one trickled slowly is
   * still told so with a 408 first.
   */
  private static final Duration STALL_GRACE = Duration.ofSeconds(1);

  private byte[] readBody(ServerRequest req) {
    try (ReadWatchdog.Armed deadline = watchdog.arm()) {
      try {
        return readBodyWithin(req);
      } catch (GatewayException e) {
        if (deadline.fired()) {
          throw new CloseConnectionException("the request body stalled past the read timeout");
        }
        throw e;
      }
    }
  }

  private byte[] readBodyWithin(ServerRequest req) {
    var length = req.headers().contentLength();
    if (length.isPresent() && length.getAsLong() > maxBodyBytes) {
      throw tooLarge();
    }
    // A body trickled in must still arrive within the read timeout as a whole; a stalled one is
    // cut by the socket's read timeout between reads.
    long deadline = System.nanoTime() + bodyReadTimeout.toNanos();
    try (InputStream in = req.content().inputStream()) {
      // With a Content-Length (within the limit) the body is read into one array of that size;
      // without, up to one byte past the limit, in growing chunks.
      byte[] body = new byte[length.isPresent() ? (int) length.getAsLong() : 8192];
      int filled = 0;
      while (true) {
        if (filled == body.length) {
          if (length.isPresent()) {
            in.read(); // reach the end, so the server knows the entity was consumed
            break;
          }
          if (filled > maxBodyBytes) {
            throw tooLarge();
          }
          body = Arrays.copyOf(body, (int) Math.min(maxBodyBytes + 1, body.length * 2L));
        }
        int n = in.read(body, filled, Math.min(body.length - filled, 64 * 1024));
        if (n < 0) {
          break;
        }
        filled += n;
        if (System.nanoTime() - deadline > 0) {
          throw new GatewayException(
              ErrorKind.REQUEST_TIMEOUT,
              "request_timeout",
              "The request body did not arrive within "
                  + bodyReadTimeout.toSeconds()
                  + " seconds.");
        }
      }
      if (filled > maxBodyBytes) {
        throw tooLarge();
      }
      return filled == body.length ? body : Arrays.copyOf(body, filled);
    } catch (IOException | RuntimeException e) {
      if (e instanceof GatewayException refusal) {
        throw refusal;
      }
      if (stalled(e)) {
        throw new GatewayException(
            ErrorKind.REQUEST_TIMEOUT,
            "request_timeout",
            "The request body stalled for longer than the read timeout of "
                + bodyReadTimeout.toSeconds()
                + " seconds.");
      }
      // Broken chunked framing, a body shorter than announced, or a stall past the socket's read
      // timeout surface here, part way through the body.
      throw new GatewayException(
          ErrorKind.BAD_REQUEST,
          "invalid_body",
          "Could not read the request body: its chunked framing or length is invalid, or it"
              + " stalled.");
    }
  }

  private static boolean stalled(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private GatewayException tooLarge() {
    return new GatewayException(
        ErrorKind.PAYLOAD_TOO_LARGE,
        "request_too_large",
        "The request body is larger than the gateway's limit of " + maxBodyBytes + " bytes.");
  }

  static String apiKey(ServerRequest req) {
    Optional<String> auth = req.headers().first(HeaderNames.AUTHORIZATION);
    if (auth.isPresent()) {
      String value = auth.get().strip();
      if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return value.substring(7).strip();
      }
    }
    return req.headers().first(HeaderNames.create("x-api-key")).orElse(null);
  }

  /** The values of the path's {@code {name}} segments (none for a fixed path). */
  private static Map<String, String> pathParameters(ServerRequest req) {
    var parameters = req.path().pathParameters();
    Map<String, String> out = new HashMap<>();
    for (String name : parameters.names()) {
      out.put(name, parameters.get(name));
    }
    return out;
  }

  private static Map<String, String> headers(ServerRequest req) {
    Map<String, String> out = new HashMap<>();
    for (Header h : req.headers()) {
      String name = h.name().toLowerCase(Locale.ROOT);
      if (name.equals("authorization") || name.equals("x-api-key")) {
        continue; // credentials stay out of everything downstream
      }
      out.putIfAbsent(name, h.get());
    }
    return out;
  }

  static String requestId(ServerRequest req) {
    Optional<String> given = req.headers().first(HeaderNames.create("x-request-id"));
    if (given.isPresent() && !given.get().isBlank() && given.get().length() <= 128) {
      return given.get();
    }
    return newRequestId();
  }

  /** A fresh request id, for requests that brought none. */
  static String newRequestId() {
    byte[] random = new byte[12];
    ThreadLocalRandom.current().nextBytes(random);
    return "req_" + HexFormat.of().formatHex(random);
  }

  /** Anthropic clients send {@code anthropic-version} or {@code x-api-key}; others are OpenAI. */
  static WireFormat guessFormat(ServerRequest req) {
    return guessFormat(req.path().path(), req.headers());
  }

  /** The caller's format from what the server parsed of a request (path may be empty). */
  static WireFormat guessFormat(String path, ServerRequestHeaders headers) {
    if (headers.contains(ANTHROPIC_VERSION)
        || headers.contains(X_API_KEY)
        || path.startsWith("/v1/messages")) {
      return WireFormat.ANTHROPIC;
    }
    return WireFormat.OPENAI;
  }

  private static final HeaderName ANTHROPIC_VERSION = HeaderNames.create("anthropic-version");
  private static final HeaderName X_API_KEY = HeaderNames.create("x-api-key");

  void sendError(
      ServerRequest req, ServerResponse res, WireFormat format, String requestId, ApiError error) {
    try {
      res.status(Status.create(error.status()));
      res.header(HeaderNames.create("x-request-id"), requestId);
      res.header(HeaderNames.CONTENT_TYPE, "application/json");
      send(req, res, JSON.writeValueAsBytes(Endpoints.clientFamily(format).errorBody(error)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the request announced a body that no one has read to its end. */
  static boolean hasUnreadBody(ServerRequest req) {
    ServerRequestHeaders headers = req.headers();
    boolean announced =
        headers.contains(HeaderNames.TRANSFER_ENCODING)
            || headers
                .first(HeaderNames.CONTENT_LENGTH)
                .map(v -> !v.strip().equals("0"))
                .orElse(false);
    return announced && !req.content().consumed();
  }

  /** Sends a whole body; a HEAD request gets the headers only (RFC 9110, section 9.3.2). */
  void send(ServerRequest req, ServerResponse res, byte[] body) {
    if (hasUnreadBody(req) && !drainBody(req, res.status().code())) {
      // Answered before the body was read and it could not be drained: close rather than read
      // it as the next request.
      res.header(HeaderValues.CONNECTION_CLOSE);
    }
    if (isHead(req)) {
      res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
      res.send();
      return;
    }
    res.send(body);
  }

  /**
   * Reads and discards a body the answer did not need, so the connection can serve the next
   * request: at most the body limit, within the read timeout. A body too large for that, or one
   * whose framing breaks, is not drained; the connection closes instead.
   *
   * <p>A 413 always closes, but first reads what the client is still sending, up to {@link
   * #LINGER_FACTOR} times the limit and within the read timeout (nginx's lingering close): closing
   * a socket with unread bytes resets it, and the reset can destroy the answer before the client
   * has read it — the client then sees a dropped connection instead of the 413.
   *
   * @return whether the body was read to its end (a 413 never counts as drained)
   */
  private boolean drainBody(ServerRequest req, int status) {
    boolean refused = status == 413;
    long budget = refused ? maxBodyBytes * LINGER_FACTOR : maxBodyBytes;
    var length = req.headers().contentLength();
    if (length.isPresent() && length.getAsLong() > budget) {
      return false;
    }
    long deadline = System.nanoTime() + bodyReadTimeout.toNanos();
    byte[] sink = new byte[8192];
    long total = 0;
    try (InputStream in = req.content().inputStream()) {
      int n;
      while ((n = in.read(sink)) >= 0) {
        total += n;
        if (total > budget || System.nanoTime() - deadline > 0) {
          return false;
        }
      }
      return !refused;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static boolean isHead(ServerRequest req) {
    return req.prologue().method() == Method.HEAD;
  }
}
