package dev.portcullis.gateway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.sse.SseEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The response cache as the request pipeline sees it: {@link #lookup} before the strategy, {@link
 * #storeAnswer} or {@link #storeStream} after output guardrails on a miss. One instance per
 * gateway; thread-safe.
 */
public final class ResponseCache {
  private final CacheStore store;
  private final SemanticCache semantic;
  private final Clock clock;
  private final LookupCounters lookups = new LookupCounters();

  /**
   * @param store the exact store (Redis when configured, else in process)
   * @param semantic the semantic lookups, or null when no route is semantic (the model is then
   *     never loaded)
   */
  public ResponseCache(CacheStore store, SemanticCache semantic, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.semantic = semantic;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The exact store, e.g. for its counters. */
  public CacheStore store() {
    return store;
  }

  /** What lookups answered, by mode and status. */
  public LookupCounters lookups() {
    return lookups;
  }

  /** The semantic lookups, or null when this cache has none. */
  public SemanticCache semantic() {
    return semantic;
  }

  /**
   * Looks the request up: the exact key first, then (semantic routes) the closest stored question
   * of the same context. Never throws for a store failure (that is a miss).
   *
   * @param body the request body as the client sent it (after input guardrails)
   */
  public CacheLookup lookup(
      CacheSubject subject, ObjectNode body, CachePolicy policy, CacheDirective directive) {
    CacheLookup lookup = find(subject, body, policy, directive);
    lookups.count(LookupCounters.Mode.of(policy), lookup.status());
    return lookup;
  }

  /**
   * The unit vector of a question, or null when the model failed or its queue was full (counted;
   * exact only then).
   */
  private float[] embed(String text) {
    try {
      return semantic.embed(text);
    } catch (EmbeddingPool.Overloaded e) {
      lookups.embeddingShed();
      return null;
    } catch (RuntimeException e) {
      lookups.embeddingFailed();
      return null;
    }
  }

  private CacheLookup find(
      CacheSubject subject, ObjectNode body, CachePolicy policy, CacheDirective directive) {
    if (!directive.read() && !directive.write()) {
      return new CacheLookup(
          directive.statusWithoutRead(), Optional.empty(), null, null, null, null, policy, false);
    }
    CacheKey exact = CacheKey.exact(subject, body);
    // A semantic route whose last user message is not plain text is cached exactly only.
    Optional<LastUserMessage> last =
        policy.semantic() && semantic != null
            ? LastUserMessage.of(subject.operation(), body)
            : Optional.empty();
    if (last.isPresent()) {
      CacheKey context = CacheKey.semanticContext(subject, last.get().contextBody());
      String text = last.get().text();
      if (!directive.read()) {
        // refresh: nothing is read, but the new answer's question joins the index.
        float[] question = embed(text);
        return new CacheLookup(
            directive.statusWithoutRead(),
            Optional.empty(),
            exact,
            question == null ? null : context,
            question,
            question == null ? null : text,
            policy,
            true);
      }
      Optional<CachedAnswer> hit = store.get(exact);
      if (hit.isPresent()) {
        return new CacheLookup(CacheStatus.HIT, hit, exact, context, null, null, policy, false);
      }
      // Only now, on a semantic route whose exact lookup missed: one embedding (~10-20 ms).
      float[] question = embed(text);
      if (question == null) {
        return new CacheLookup(
            CacheStatus.MISS, Optional.empty(), exact, null, null, null, policy, directive.write());
      }
      Optional<VectorIndex.Match> match =
          semantic.find(context, question, text, policy.threshold());
      if (match.isPresent()) {
        Optional<CachedAnswer> similar = store.get(match.get().entry());
        if (similar.isPresent()) {
          return new CacheLookup(
              CacheStatus.SEMANTIC_HIT, similar, exact, context, question, text, policy, false);
        }
      }
      return new CacheLookup(
          CacheStatus.MISS,
          Optional.empty(),
          exact,
          context,
          question,
          text,
          policy,
          directive.write());
    }
    if (!directive.read()) {
      return new CacheLookup(
          directive.statusWithoutRead(), Optional.empty(), exact, null, null, null, policy, true);
    }
    Optional<CachedAnswer> hit = store.get(exact);
    return new CacheLookup(
        hit.isPresent() ? CacheStatus.HIT : CacheStatus.MISS,
        hit,
        exact,
        null,
        null,
        null,
        policy,
        directive.write() && hit.isEmpty());
  }

  /**
   * Stores a non-stream answer on a miss, if it is storable: the same bytes the client got, after
   * output guardrails.
   *
   * @return whether it was stored
   */
  public boolean storeAnswer(
      CacheLookup lookup,
      CachedOperation operation,
      int status,
      byte[] answerBytes,
      BigDecimal costUsd) {
    if (!lookup.write() || lookup.exactKey() == null || status != 200) {
      return false;
    }
    ObjectNode answer;
    try {
      if (!(Jackson.MAPPER.readTree(answerBytes) instanceof ObjectNode object)) {
        return false;
      }
      answer = object;
    } catch (IOException e) {
      return false;
    }
    return store(lookup, operation, status, answer, answerBytes, costUsd);
  }

  /**
   * Stores a streamed answer on a miss: the events the client got, assembled into the non-stream
   * answer. A stream that did not end properly is not stored.
   *
   * @return whether it was stored
   */
  public boolean storeStream(
      CacheLookup lookup,
      CachedOperation operation,
      int status,
      List<SseEvent> events,
      BigDecimal costUsd) {
    if (!lookup.write() || lookup.exactKey() == null || status != 200) {
      return false;
    }
    Optional<ObjectNode> answer = StreamAssembler.assemble(operation, events);
    if (answer.isEmpty()) {
      return false;
    }
    byte[] bytes;
    try {
      bytes = Jackson.MAPPER.writeValueAsBytes(answer.get());
    } catch (IOException e) {
      return false;
    }
    return store(lookup, operation, status, answer.get(), bytes, costUsd);
  }

  private boolean store(
      CacheLookup lookup,
      CachedOperation operation,
      int status,
      ObjectNode answer,
      byte[] bytes,
      BigDecimal costUsd) {
    if (!Storability.isStorable(operation, status, answer)) {
      return false;
    }
    JsonNode usage = answer.path("usage");
    long input =
        usage.has("input_tokens")
            ? usage.path("input_tokens").asLong()
            : usage.path("prompt_tokens").asLong();
    long output =
        usage.has("output_tokens")
            ? usage.path("output_tokens").asLong()
            : usage.path("completion_tokens").asLong();
    CachedAnswer entry =
        new CachedAnswer(
            bytes, answer.path("model").asText(""), input, output, costUsd, clock.instant());
    store.put(lookup.exactKey(), entry, lookup.policy().ttl());
    if (semantic != null && lookup.semanticContext() != null && lookup.question() != null) {
      semantic.remember(
          lookup.semanticContext(),
          lookup.question(),
          lookup.questionText(),
          lookup.exactKey(),
          lookup.policy().ttl());
    }
    return true;
  }

  /**
   * The answer to send on a hit, in the caller's shape: the stored JSON for a non-stream request,
   * the replayed events for a stream request.
   */
  public static List<SseEvent> replay(
      CachedOperation operation, CachedAnswer answer, ObjectNode request) {
    try {
      ObjectNode stored = (ObjectNode) Jackson.MAPPER.readTree(answer.body());
      return StreamReplayer.replay(operation, stored, StreamReplayer.includeUsage(request));
    } catch (IOException e) {
      throw new IllegalStateException("a stored answer is JSON", e);
    }
  }
}
