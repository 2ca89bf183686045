package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.cache.CacheLookup;
import dev.portcullis.gateway.cache.CachedOperation;
import dev.portcullis.gateway.cache.ResponseCache;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.sse.SseEvent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stores a missed request's answer once it is complete: exactly the body or the events the client
 * got (after output guardrails), and only when the engine finds it storable (a complete, successful
 * answer). Registered after accounting, so the settled cost is known and kept with the entry.
 */
final class CacheStoreObserver implements ResponseObserver {
  /** A stream whose events exceed this many characters is not kept for the cache. */
  static final long MAX_STREAM_CHARS = 8L * 1024 * 1024;

  private final RequestContext request;
  private final ResponseCache cache;
  private final CacheLookup lookup;
  private final CachedOperation operation;

  private int status;
  private byte[] body;
  private List<SseEvent> events;
  private long streamChars;
  private boolean tooLarge;

  CacheStoreObserver(
      RequestContext request, ResponseCache cache, CacheLookup lookup, CachedOperation operation) {
    this.request = request;
    this.cache = cache;
    this.lookup = lookup;
    this.operation = operation;
  }

  @Override
  public void onHeaders(int status, boolean streamed) {
    this.status = status;
    if (streamed) {
      events = new ArrayList<>();
    }
  }

  @Override
  public void onBody(byte[] body) {
    this.body = body;
  }

  @Override
  public void onStreamEvent(SseEvent event) {
    if (events == null || tooLarge) {
      return;
    }
    streamChars += event.data() == null ? 0 : event.data().length();
    if (streamChars > MAX_STREAM_CHARS) {
      tooLarge = true;
      events = null;
      return;
    }
    events.add(event);
  }

  @Override
  public void onComplete(Optional<Usage> usage, Outcome outcome) {
    // Only a target's complete answer: errors, local answers and cut streams are never stored.
    if (outcome != Outcome.ANSWERED || request.servedAttempt() == null) {
      return;
    }
    BigDecimal cost =
        request.costUsd() == null ? BigDecimal.ZERO : new BigDecimal(request.costUsd());
    if (body != null) {
      cache.storeAnswer(lookup, operation, status, body, cost);
    } else if (events != null) {
      cache.storeStream(lookup, operation, status, events, cost);
    }
  }
}
