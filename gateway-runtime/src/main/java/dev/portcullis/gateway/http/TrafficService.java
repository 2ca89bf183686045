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
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
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

  private final ProxyPipeline pipeline;
  private final Supplier<GatewayState> state;
  private final Authenticator authenticator;
  private final long maxBodyBytes;
  private final Lifecycle lifecycle;
  private final Endpoints endpoints = Endpoints.builtIn();

  public TrafficService(
      ProxyPipeline pipeline,
      Supplier<GatewayState> state,
      Authenticator authenticator,
      long maxBodyBytes,
      Lifecycle lifecycle) {
    this.pipeline = pipeline;
    this.state = state;
    this.authenticator = authenticator;
    this.maxBodyBytes = maxBodyBytes;
    this.lifecycle = lifecycle;
  }

  @Override
  public void routing(HttpRules rules) {
    for (Endpoint endpoint : endpoints.all()) {
      rules.post(endpoint.path(), proxy(endpoint));
    }
    rules.get(ModelList.PATH, this::models).any(this::notFound);
  }

  /** The request-handling lifecycle the server shares with graceful shutdown. */
  public interface Lifecycle {
    /** Registers a request; false when the gateway is draining and must refuse it. */
    boolean enter();

    void exit();
  }

  private io.helidon.webserver.http.Handler proxy(Endpoint endpoint) {
    WireFormat format = endpoint.format();
    return (req, res) -> {
      String requestId = requestId(req);
      if (!lifecycle.enter()) {
        sendError(res, format, requestId, draining());
        return;
      }
      try {
        byte[] body;
        try {
          checkContentType(req);
          body = readBody(req);
        } catch (GatewayException e) {
          sendError(res, format, requestId, e.error());
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
    if (!lifecycle.enter()) {
      sendError(res, format, requestId, draining());
      return;
    }
    try {
      GatewayState current = state.get();
      if (current == null) {
        sendError(
            res,
            format,
            requestId,
            ApiError.of(ErrorKind.UNAVAILABLE, "not_ready", "The gateway is not ready yet."));
        return;
      }
      KeyConfig key = authenticator.authenticate(current, apiKey(req));
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
      res.send(JSON.writeValueAsBytes(body));
    } catch (GatewayException e) {
      sendError(res, format, requestId, e.error());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      lifecycle.exit();
    }
  }

  private static Iterable<String> names(RouteConfig route) {
    Set<String> names = new LinkedHashSet<>();
    names.add(route.model());
    names.addAll(route.aliases());
    return names;
  }

  private void notFound(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    List<String> known = endpoints.paths();
    ApiError error =
        known.contains(path)
            ? new ApiError(
                ErrorKind.METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "Method " + req.prologue().method().text() + " is not allowed on " + path + ".",
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
    sendError(res, guessFormat(req), requestId(req), error);
  }

  private static ApiError draining() {
    return ApiError.of(
        ErrorKind.UNAVAILABLE, "shutting_down", "The gateway is shutting down; retry elsewhere.");
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

  private byte[] readBody(ServerRequest req) {
    var length = req.headers().contentLength();
    if (length.isPresent() && length.getAsLong() > maxBodyBytes) {
      throw tooLarge();
    }
    try (InputStream in = req.content().inputStream()) {
      // With a Content-Length (within the limit) the body is read into one array of that size;
      // without, up to one byte past the limit, in chunks.
      int toRead =
          length.isPresent()
              ? (int) Math.min(length.getAsLong(), Integer.MAX_VALUE - 8)
              : (int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1);
      byte[] body = in.readNBytes(toRead);
      if (body.length > maxBodyBytes) {
        throw tooLarge();
      }
      if (length.isPresent()) {
        in.read(); // reach the end, so the server knows the entity was consumed
      }
      return body;
    } catch (IOException e) {
      throw new GatewayException(
          ErrorKind.BAD_REQUEST, "invalid_body", "Could not read the request body.");
    }
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
    byte[] random = new byte[12];
    ThreadLocalRandom.current().nextBytes(random);
    return "req_" + HexFormat.of().formatHex(random);
  }

  /** Anthropic clients send {@code anthropic-version} or {@code x-api-key}; others are OpenAI. */
  static WireFormat guessFormat(ServerRequest req) {
    if (req.headers().contains(HeaderNames.create("anthropic-version"))
        || req.headers().contains(HeaderNames.create("x-api-key"))
        || req.path().path().startsWith("/v1/messages")) {
      return WireFormat.ANTHROPIC;
    }
    return WireFormat.OPENAI;
  }

  static void sendError(ServerResponse res, WireFormat format, String requestId, ApiError error) {
    try {
      res.status(Status.create(error.status()));
      res.header(HeaderNames.create("x-request-id"), requestId);
      res.header(HeaderNames.CONTENT_TYPE, "application/json");
      res.send(JSON.writeValueAsBytes(Endpoints.clientFamily(format).errorBody(error)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
