package dev.portcullis.gateway.fake;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Serves the provider APIs. One request, top to bottom: record it, work out its behaviour (server
 * default, model options, headers), wait the latency, check the key, inject the fault if any, then
 * answer in the endpoint's format, streamed and paced if asked.
 */
final class FakeApiHandler implements Handler {
  /** With {@code reset=during} and no {@code reset-after}: tokens sent before the drop. */
  static final int DEFAULT_RESET_AFTER = 2;

  /** {@code retry-after} of a 429/503 when the behaviour sets none. */
  static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  private static final byte[] EMPTY = new byte[0];
  private static final byte[] SSE_COMMENT =
      ": fake upstream, first token follows\n\n".getBytes(StandardCharsets.UTF_8);
  private static final Header JSON =
      HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");
  private static final Header NO_CACHE =
      HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-cache");

  private static final OpenAiChatFormat OPENAI_CHAT = new OpenAiChatFormat();
  private static final OpenAiCompletionFormat OPENAI_COMPLETIONS = new OpenAiCompletionFormat();
  private static final OpenAiResponsesFormat OPENAI_RESPONSES = new OpenAiResponsesFormat();
  private static final AnthropicMessagesFormat ANTHROPIC = new AnthropicMessagesFormat();
  private static final GeminiGenerateFormat GEMINI_SSE = new GeminiGenerateFormat(true);
  private static final GeminiGenerateFormat GEMINI_ARRAY = new GeminiGenerateFormat(false);

  private final FakeUpstream fake;

  FakeApiHandler(FakeUpstream fake) {
    this.fake = fake;
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    TrafficCounters counters = fake.counters();
    counters.requestStarted();
    try {
      serve(req, res);
    } finally {
      counters.requestFinished();
    }
  }

  private void serve(ServerRequest req, ServerResponse res) {
    String method = req.prologue().method().text();
    String path = decodedPath(req);
    byte[] body = req.content().hasEntity() ? req.content().as(byte[].class) : EMPTY;
    Map<String, List<String>> headers = headers(req);
    String apiKey = apiKey(headers, req.query());
    fake.log()
        .add(
            new RecordedRequest(
                Instant.now(), method, path, req.query().rawValue(), headers, body, apiKey));

    Endpoint.Match match = Endpoint.match(method, path);
    Protocol protocol = match != null ? match.endpoint().protocol() : Endpoint.protocolOf(path);
    if (protocol.requestIdHeader() != null) {
      res.header(protocol.requestIdHeader(), "req_" + ReplyPlanner.randomId());
    }

    JsonNode json = null;
    String bodyError = null;
    if (body.length > 0) {
      try {
        json = JsonText.MAPPER.readTree(body);
      } catch (IOException e) {
        bodyError = "the request body is not valid JSON";
      }
    }
    if (json != null && !json.isObject()) {
      bodyError = "the request body must be a JSON object";
    }

    ModelName model;
    Behaviour behaviour;
    try {
      JsonNode modelField = json == null ? null : json.get("model");
      String rawModel =
          modelField != null && modelField.isTextual()
              ? modelField.textValue()
              : match == null ? null : match.pathModel();
      model = ModelName.parse(rawModel);
      behaviour =
          fake.defaultBehaviour()
              .overriddenBy(model.behaviour())
              .overriddenBy(Behaviour.fromHeaders(name -> first(headers, name)));
    } catch (IllegalArgumentException e) {
      error(res, protocol, 400, e.getMessage(), null);
      return;
    }

    pause(behaviour.latency());

    String requiredKey = fake.requiredApiKey();
    if (requiredKey != null
        && (apiKey == null
            || !MessageDigest.isEqual(
                requiredKey.getBytes(StandardCharsets.UTF_8),
                apiKey.getBytes(StandardCharsets.UTF_8)))) {
      error(res, protocol, 401, "Incorrect API key provided to the fake upstream.", null);
      return;
    }
    if (match == null) {
      error(res, protocol, 404, "The fake upstream does not serve " + method + " " + path, null);
      return;
    }
    if (bodyError == null && json == null && method.equals("POST")) {
      bodyError = "a JSON request body is required";
    }
    if (bodyError != null) {
      error(res, protocol, 400, bodyError, null);
      return;
    }

    Behaviour.Reset reset = null;
    boolean fault = behaviour.hasFault() || behaviour.failTimes() != null;
    if (fault && behaviour.failTimes() != null) {
      fault = fake.failureBudget().shouldFail(behaviour.scenario(), behaviour.failTimes());
    }
    if (fault) {
      if (behaviour.reset() == Behaviour.Reset.BEFORE && behaviour.status() == null) {
        throw new CloseConnectionException("fake upstream: reset=before");
      }
      if (behaviour.status() != null || behaviour.reset() == null) {
        int status = behaviour.status() != null ? behaviour.status() : 503;
        error(res, protocol, status, "Fake upstream injected status " + status + ".", behaviour);
        return;
      }
      reset = behaviour.reset();
    }

    try {
      respond(req, res, match, json, model, behaviour, reset);
    } catch (IllegalArgumentException e) {
      error(res, protocol, 400, e.getMessage(), null);
    }
  }

  private void respond(
      ServerRequest req,
      ServerResponse res,
      Endpoint.Match match,
      JsonNode json,
      ModelName model,
      Behaviour behaviour,
      Behaviour.Reset reset) {
    switch (match.endpoint()) {
      case OPENAI_CHAT -> generate(res, OPENAI_CHAT, json, match, model, behaviour, reset);
      case OPENAI_COMPLETIONS ->
          generate(res, OPENAI_COMPLETIONS, json, match, model, behaviour, reset);
      case OPENAI_RESPONSES ->
          generate(res, OPENAI_RESPONSES, json, match, model, behaviour, reset);
      case ANTHROPIC_MESSAGES -> generate(res, ANTHROPIC, json, match, model, behaviour, reset);
      case GEMINI_GENERATE -> generate(res, GEMINI_SSE, json, match, model, behaviour, reset);
      case GEMINI_STREAM -> {
        boolean sse = "sse".equals(req.query().first("alt").orElse(""));
        generate(res, sse ? GEMINI_SSE : GEMINI_ARRAY, json, match, model, behaviour, reset);
      }
      case OPENAI_EMBEDDINGS ->
          send(
              res,
              OpenAiEmbeddingsFormat.respond(
                  json, model.name() == null ? "text-embedding-3-small" : model.name()),
              reset);
      case GEMINI_EMBED -> send(res, GeminiEmbeddingsFormat.embed(json), reset);
      case GEMINI_BATCH_EMBED -> send(res, GeminiEmbeddingsFormat.batch(json), reset);
      case ANTHROPIC_COUNT_TOKENS ->
          send(
              res,
              OpenAiChatFormat.utf8(
                  "{\"input_tokens\":" + AnthropicMessagesFormat.inputTokens(json) + "}"),
              reset);
      case GEMINI_COUNT_TOKENS ->
          send(
              res,
              OpenAiChatFormat.utf8(
                  "{\"totalTokens\":" + GeminiGenerateFormat.inputTokens(json) + "}"),
              reset);
      case MODELS ->
          send(
              res,
              req.headers().contains(HeaderNames.create("anthropic-version"))
                  ? ModelListFormat.anthropic(fake.models())
                  : ModelListFormat.openAi(fake.models()),
              reset);
      case GEMINI_MODELS -> send(res, ModelListFormat.gemini(fake.models()), reset);
    }
  }

  private void generate(
      ServerResponse res,
      ChatFormat format,
      JsonNode json,
      Endpoint.Match match,
      ModelName model,
      Behaviour behaviour,
      Behaviour.Reset reset) {
    RequestFacts facts =
        format.read(json, match.pathModel(), match.endpoint() == Endpoint.GEMINI_STREAM);
    String modelName = model.name() != null ? model.name() : "fake-model";
    Reply reply =
        ReplyPlanner.plan(facts, behaviour, modelName, format.idPrefix(), format.toolIdPrefix());
    if (facts.stream()) {
      stream(res, format, reply, behaviour, reset == Behaviour.Reset.DURING);
    } else {
      send(res, format.body(reply), reset);
    }
  }

  /** A whole JSON body; with {@code reset=during}, only its first half before the drop. */
  private static void send(ServerResponse res, byte[] body, Behaviour.Reset reset) {
    res.header(JSON);
    if (reset != Behaviour.Reset.DURING) {
      res.send(body);
      return;
    }
    res.contentLength(body.length);
    try {
      OutputStream out = res.outputStream();
      out.write(body, 0, body.length / 2);
      out.flush();
    } catch (IOException | UncheckedIOException | ServerConnectionException e) {
      throw new CloseConnectionException("fake upstream: client went away", e);
    }
    throw new CloseConnectionException("fake upstream: reset=during");
  }

  /**
   * Writes a stream: headers at once, the first event after {@code ttft}, then one token event
   * every {@code 1/tokens-per-second}, each flushed as it is written. A failed write means the
   * client went away: it is counted as cancelled and the connection is dropped.
   */
  private void stream(
      ServerResponse res,
      ChatFormat format,
      Reply reply,
      Behaviour behaviour,
      boolean resetDuring) {
    res.header(HeaderNames.CONTENT_TYPE, format.streamContentType());
    res.header(NO_CACHE);
    OutputStream out = res.outputStream();
    ChatFormat.StreamEvents events = format.stream(reply);
    int count = reply.pieces().size();
    int resetAfter = behaviour.resetAfter() != null ? behaviour.resetAfter() : DEFAULT_RESET_AFTER;
    Double tps = behaviour.tokensPerSecond();
    long intervalNanos = tps == null || tps <= 0 ? 0 : (long) (1_000_000_000L / tps);

    // Headers and the preamble (OpenAI role chunk, Anthropic message_start, Gemini '[') go out
    // now; tokens start after ttft. Helidon sends headers only together with body bytes, so a
    // format without a preamble sends an SSE comment, which clients ignore.
    byte[] begin = events.begin();
    if (begin.length == 0 && behaviour.ttft() != null && !behaviour.ttft().isZero()) {
      begin = SSE_COMMENT;
    }
    emit(out, begin);
    pause(behaviour.ttft());
    long firstTokenAt = System.nanoTime();
    for (int i = 0; i < count; i++) {
      if (resetDuring && i == resetAfter) {
        emit(out, null);
        throw new CloseConnectionException("fake upstream: reset=during");
      }
      if (intervalNanos > 0 && i > 0) {
        pauseUntil(firstTokenAt + i * intervalNanos);
      }
      byte[] event = events.piece(i);
      if (event != null) {
        emit(out, event);
      }
    }
    if (resetDuring) {
      emit(out, null);
      throw new CloseConnectionException("fake upstream: reset=during");
    }
    emit(out, events.end());
    try {
      out.close();
    } catch (IOException | UncheckedIOException | ServerConnectionException e) {
      cancelled(e);
    }
  }

  /** Writes (if {@code bytes} is not null) and flushes. */
  private void emit(OutputStream out, byte[] bytes) {
    try {
      if (bytes != null && bytes.length > 0) {
        out.write(bytes);
      }
      out.flush();
    } catch (IOException | UncheckedIOException | ServerConnectionException e) {
      cancelled(e);
    }
  }

  private void cancelled(Exception e) {
    fake.counters().streamCancelled();
    throw new CloseConnectionException("fake upstream: client closed the stream", e);
  }

  /** An error in the protocol's format, with {@code retry-after} for 429 and 503. */
  private static void error(
      ServerResponse res, Protocol protocol, int status, String message, Behaviour behaviour) {
    res.status(Status.create(status));
    Duration retryAfter = behaviour == null ? null : behaviour.retryAfter();
    if (retryAfter == null && (status == 429 || status == 503 || status == 529)) {
      retryAfter = DEFAULT_RETRY_AFTER;
    }
    if (retryAfter != null) {
      long millis = retryAfter.toMillis();
      res.header("retry-after", Long.toString((millis + 999) / 1000));
      res.header("retry-after-ms", Long.toString(millis));
    }
    res.header(JSON);
    res.send(protocol.errorBody(status, message));
  }

  private static void pause(Duration duration) {
    if (duration != null && !duration.isZero()) {
      pauseUntil(System.nanoTime() + duration.toNanos());
    }
  }

  private static void pauseUntil(long deadlineNanos) {
    long remaining;
    while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(remaining);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new CloseConnectionException("fake upstream: stopping");
      }
    }
  }

  /** The path with percent-escapes decoded; matrix parameters kept (model options use ';'). */
  private static String decodedPath(ServerRequest req) {
    String raw = req.path().rawPath();
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> headers(ServerRequest req) {
    Map<String, List<String>> headers = new HashMap<>();
    for (Header header : req.headers()) {
      headers.put(header.name().toLowerCase(Locale.ROOT), header.allValues());
    }
    return Map.copyOf(headers);
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The credential in whichever place the client's protocol puts it. */
  private static String apiKey(Map<String, List<String>> headers, UriQuery query) {
    String authorization = first(headers, "authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).strip();
    }
    for (String name : new String[] {"x-api-key", "api-key", "x-goog-api-key"}) {
      String value = first(headers, name);
      if (value != null) {
        return value;
      }
    }
    return query.first("key").orElse(null);
  }
}
