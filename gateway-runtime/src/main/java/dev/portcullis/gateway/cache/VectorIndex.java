package dev.portcullis.gateway.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;

/**
 * The semantic cache's vectors in this gateway's memory: per context key, the last user messages of
 * stored answers as unit vectors, each pointing at its entry's exact key. Searching is brute force
 * (a dot product per vector, 384 multiply-adds): with at most {@code maxPerContext} vectors in a
 * context this is microseconds, cheaper than any index structure at that size.
 *
 * <p>Bounded twice: at most {@code maxContexts} contexts (least recently used dropped) and {@code
 * maxPerContext} vectors in each (oldest dropped). A vector past its entry's expiry is skipped and
 * dropped.
 */
public final class VectorIndex {
  private final Cache<String, ContextVectors> contexts;
  private final int maxPerContext;
  private final Clock clock;

  /** A stored question close enough to the one asked. */
  public record Match(CacheKey entry, double similarity) {}

  private record Vector(float[] unit, String question, CacheKey entry, long expiresAtMillis) {}

  /** One context's vectors, and how far this gateway has read the fleet's log of it. */
  static final class ContextVectors {
    private final ArrayDeque<Vector> vectors = new ArrayDeque<>();
    private long sharedOffset;

    synchronized long sharedOffset() {
      return sharedOffset;
    }

    synchronized void sharedOffset(long offset) {
      sharedOffset = offset;
    }
  }

  public VectorIndex(int maxContexts, int maxPerContext, Clock clock) {
    this.contexts = Caffeine.newBuilder().maximumSize(maxContexts).executor(Runnable::run).build();
    this.maxPerContext = maxPerContext;
    this.clock = clock;
  }

  ContextVectors context(CacheKey context) {
    return contexts.get(context.value(), k -> new ContextVectors());
  }

  /**
   * The closest vector at or above {@code threshold} whose question passes {@link
   * NearMissGuard#compatible} with {@code question}, if any.
   */
  public Optional<Match> nearest(
      CacheKey context, float[] unit, String question, double threshold) {
    ContextVectors vectors = contexts.getIfPresent(context.value());
    if (vectors == null) {
      return Optional.empty();
    }
    long now = clock.millis();
    Match best = null;
    synchronized (vectors) {
      Iterator<Vector> it = vectors.vectors.iterator();
      while (it.hasNext()) {
        Vector v = it.next();
        if (v.expiresAtMillis() <= now) {
          it.remove();
          continue;
        }
        double similarity = dot(unit, v.unit());
        if (similarity >= threshold
            && (best == null || similarity > best.similarity())
            && NearMissGuard.compatible(v.question(), question)) {
          best = new Match(v.entry(), similarity);
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** Adds a vector for {@code entry}, replacing an older one for the same entry. */
  public void add(
      CacheKey context, float[] unit, String question, CacheKey entry, long expiresAtMillis) {
    ContextVectors vectors = context(context);
    synchronized (vectors) {
      vectors.vectors.removeIf(v -> v.entry().equals(entry));
      while (vectors.vectors.size() >= maxPerContext) {
        vectors.vectors.removeFirst();
      }
      vectors.vectors.addLast(new Vector(unit, question, entry, expiresAtMillis));
    }
  }

  /** Adds a vector that lives for {@code ttl} from now. */
  public void add(CacheKey context, float[] unit, String question, CacheKey entry, Duration ttl) {
    add(context, unit, question, entry, clock.millis() + ttl.toMillis());
  }

  static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      return -1; // a vector of another model (a rolling upgrade) is never similar
    }
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  /** {@code v} scaled to length 1 (a copy); a zero vector stays zero. */
  public static float[] normalized(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[v.length];
    if (norm == 0) {
      return out;
    }
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }
}
