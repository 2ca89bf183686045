package dev.portcullis.gateway.cache;

import java.time.Duration;
import java.util.Optional;

/**
 * Semantic lookups: embeds the last user message, finds the closest stored one of the same context
 * key in the {@link VectorIndex} (catching up with the fleet's {@link SharedVectorLog} when the
 * local vectors have no match), and remembers the vectors of stored answers.
 */
public final class SemanticCache {
  /**
   * The default similarity threshold for the built-in model (all-MiniLM-L6-v2, quantized) with the
   * {@link NearMissGuard}, calibrated on {@code src/test/resources/cache/semantic-pairs.tsv}: no
   * false hit on the set's near misses, with a wide margin over the highest near miss the guard
   * lets through. See the package README for the figures.
   */
  public static final double DEFAULT_THRESHOLD = 0.88;

  private final SentenceEmbedder embedder;
  private final VectorIndex index;
  private final SharedVectorLog shared;

  /**
   * @param shared the fleet's log, or null for a gateway without Redis
   */
  public SemanticCache(SentenceEmbedder embedder, VectorIndex index, SharedVectorLog shared) {
    this.embedder = embedder;
    this.index = index;
    this.shared = shared;
  }

  /** The unit vector of a message (one model inference, a few milliseconds). */
  public float[] embed(String text) {
    return embedder.embed(text);
  }

  /**
   * The closest stored question of {@code context} at or above {@code threshold} that the {@link
   * NearMissGuard} lets through.
   */
  public Optional<VectorIndex.Match> find(
      CacheKey context, float[] unit, String question, double threshold) {
    Optional<VectorIndex.Match> local = index.nearest(context, unit, question, threshold);
    if (local.isPresent() || shared == null) {
      return local;
    }
    if (shared.catchUp(context, index) <= 0) {
      return Optional.empty();
    }
    return index.nearest(context, unit, question, threshold);
  }

  /** Remembers a stored answer's question here and, with Redis, in the whole fleet. */
  public void remember(
      CacheKey context, float[] unit, String question, CacheKey entry, Duration ttl) {
    index.add(context, unit, question, entry, ttl);
    if (shared != null) {
      shared.append(context, unit, question, entry, ttl);
    }
  }
}
