package dev.portcullis.gateway.pipeline;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig.CacheScope;
import dev.portcullis.gateway.cache.CacheDirective;
import dev.portcullis.gateway.cache.CacheLookup;
import dev.portcullis.gateway.cache.CachePolicy;
import dev.portcullis.gateway.cache.CacheSubject;
import dev.portcullis.gateway.cache.CachedAnswer;
import dev.portcullis.gateway.cache.CachedOperation;
import dev.portcullis.gateway.cache.ResponseCache;
import dev.portcullis.gateway.cache.SemanticCache;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.pipeline.ResponseObserver.Outcome;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.sse.SseEvent;
import dev.portcullis.gateway.sse.SseWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The response cache on the request path (issue 15), for routes with {@code cache.mode: Exact} or
 * {@code Semantic}. Runs after admission, so a hit still counts as a request against the key's
 * request rate. A hit answers here from the stored entry (the stored body, or the entry replayed as
 * the caller's event stream) with {@code x-portcullis-cache: HIT} (the exact request) or {@code
 * SEMANTIC_HIT} (a reworded last user message, semantic routes only), {@code age} and {@code
 * x-portcullis-cost-usd: 0}, and settles the reservation as served with no tokens and no cost. A
 * miss sets the header (MISS, BYPASS or REFRESH) and registers a {@link CacheStoreObserver} that
 * stores what the client got once it is complete.
 *
 * <p>Entries are per namespace, or per VirtualKey with {@code scope: Key}. The last user message is
 * embedded only on semantic routes (after the exact lookup missed); exact routes never embed.
 */
final class CacheStage implements Stage {
  static final String CACHE_HEADER = "x-portcullis-cache";

  private final ResponseCache cache;
  private final Clock clock;

  CacheStage(ResponseCache cache, Clock clock) {
    this.cache = cache;
    this.clock = clock;
  }

  @Override
  public Flow apply(RequestContext request) {
    RouteConfig route = request.route();
    CachePolicy policy = policy(route);
    if (policy == null) {
      return Flow.CONTINUE;
    }
    ClientCall call = request.call();
    CachedOperation operation = cachedOperation(call);
    if (operation == null) {
      return Flow.CONTINUE;
    }
    CacheDirective directive;
    try {
      directive =
          CacheDirective.parse(
              call.headers().get(CACHE_HEADER), call.headers().get("cache-control"));
    } catch (IllegalArgumentException e) {
      throw new GatewayException(ErrorKind.BAD_REQUEST, "invalid_cache_directive", e.getMessage());
    }
    CacheSubject subject = subject(request, route, operation);
    CacheLookup lookup = cache.lookup(subject, request.body().tree(), policy, directive);
    request.header(CACHE_HEADER, lookup.status().headerValue());
    request.cacheStatus(lookup.status().headerValue());
    if (!lookup.hit()) {
      if (lookup.write()) {
        request.observe(new CacheStoreObserver(request, cache, lookup, operation));
      }
      return Flow.CONTINUE;
    }
    answerFromCache(request, operation, lookup.answer().get());
    return Flow.ANSWERED;
  }

  /** The route's cache policy, or null when the route does not cache. */
  static CachePolicy policy(RouteConfig route) {
    if (route == null || route.cache() == null) {
      return null;
    }
    CacheConfig config = route.cache();
    return switch (config.mode()) {
      case EXACT -> CachePolicy.exact(config.ttl());
      case SEMANTIC ->
          CachePolicy.semantic(
              config.ttl(),
              config.threshold() > 0 ? config.threshold() : SemanticCache.DEFAULT_THRESHOLD);
      case DISABLED -> null;
    };
  }

  /**
   * Who shares the entries: the caller key's namespace, or with {@code scope: Key} the key alone.
   * Never the body: isolation comes from the authenticated key, not from what a caller writes.
   */
  static CacheSubject subject(
      RequestContext request, RouteConfig route, CachedOperation operation) {
    KeyConfig key = request.key();
    String routeId = route.id().qualifiedName();
    if (route.cache().scope() == CacheScope.KEY) {
      return CacheSubject.keyScope(key.id().namespace(), key.id().name(), routeId, operation);
    }
    return CacheSubject.namespaceScope(key.id().namespace(), routeId, operation);
  }

  private void answerFromCache(
      RequestContext request, CachedOperation operation, CachedAnswer answer) {
    request.header("age", Long.toString(answer.ageSeconds(clock.instant())));
    request.cacheSaved(answer.costUsd(), answer.inputTokens(), answer.outputTokens());
    // Counted against the request rate, but no tokens or budget: see Admission#settleCacheHit.
    Admission admission = request.admission();
    if (admission != null) {
      admission.settleCacheHit();
    }
    if (!request.body().stream()) {
      request.send(200, answer.body());
      return;
    }
    List<SseEvent> events = ResponseCache.replay(operation, answer, request.body().tree());
    OutputStream out = request.startStream();
    try {
      for (SseEvent event : events) {
        SseWriter.write(out, event);
        request.streamed(event);
      }
      request.complete(Optional.empty(), Outcome.ANSWERED);
      out.close();
    } catch (IOException e) {
      // The client left mid-replay; nothing upstream to settle.
      request.complete(Optional.empty(), Outcome.CUT_SHORT);
      throw new UncheckedIOException(e);
    }
  }

  /** The cached operation the call asks for, or null when its answers are not cached. */
  static CachedOperation cachedOperation(ClientCall call) {
    Operation operation = call.operation();
    WireFormat format = call.format();
    if (format == WireFormat.OPENAI && operation == Operation.CHAT) {
      return CachedOperation.OPENAI_CHAT_COMPLETIONS;
    }
    if (format == WireFormat.OPENAI && operation == Operation.COMPLETIONS) {
      return CachedOperation.OPENAI_COMPLETIONS;
    }
    if (format == WireFormat.ANTHROPIC && operation == Operation.CHAT) {
      return CachedOperation.ANTHROPIC_MESSAGES;
    }
    return null;
  }
}
