package dev.portcullis.gateway.prompt;

import dev.portcullis.api.snapshot.PromptTemplateConfig.RolloutEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;

/**
 * Picks a template version from its rollout.
 *
 * <p>With a sticky value (the caller's {@code stickyOn} attribute) the pick is weighted rendezvous
 * hashing: each version scores {@code weight / -ln(u)}, where {@code u} in (0, 1) is a hash of the
 * template, the version and the sticky value, and the highest score wins. The scores are
 * exponential variables scaled by the weights, so a version wins with probability {@code weight /
 * total}; and because a caller's {@code u} per version never changes, a weight change only moves
 * the callers whose winner it flips: raising v2 from 10 to 20 at v1's expense moves callers from v1
 * to v2 only, about 10% of them, and never one from v2 to v1. The template's name is part of the
 * hash so a caller's versions of different templates are independent.
 *
 * <p>Without a sticky value each request is drawn at random by weight.
 */
final class RolloutPicker {
  private final IntUnaryOperator random;

  /** Draws random picks from {@link ThreadLocalRandom}. */
  RolloutPicker() {
    this(bound -> ThreadLocalRandom.current().nextInt(bound));
  }

  /**
   * @param random returns a uniform int in {@code [0, bound)}; a seeded one makes tests repeatable
   */
  RolloutPicker(IntUnaryOperator random) {
    this.random = random;
  }

  /**
   * The version for one request.
   *
   * @param template the template's {@code namespace/name}
   * @param rollout the weighted versions; entries of weight 0 are never picked unless all are 0,
   *     then the last one is
   * @param stickyValue the caller's sticky attribute, or null to draw at random
   */
  String pick(String template, List<RolloutEntry> rollout, String stickyValue) {
    int total = 0;
    for (RolloutEntry entry : rollout) {
      total += Math.max(0, entry.weight());
    }
    if (total == 0) {
      return rollout.getLast().version();
    }
    return stickyValue == null ? drawn(rollout, total) : rendezvous(template, rollout, stickyValue);
  }

  private String drawn(List<RolloutEntry> rollout, int total) {
    int ticket = random.applyAsInt(total);
    for (RolloutEntry entry : rollout) {
      ticket -= Math.max(0, entry.weight());
      if (ticket < 0) {
        return entry.version();
      }
    }
    return rollout.getLast().version();
  }

  private static String rendezvous(String template, List<RolloutEntry> rollout, String sticky) {
    String best = null;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (RolloutEntry entry : rollout) {
      if (entry.weight() <= 0) {
        continue;
      }
      double score = entry.weight() / -Math.log(unitHash(template, entry.version(), sticky));
      if (score > bestScore) {
        bestScore = score;
        best = entry.version();
      }
    }
    return best;
  }

  /**
   * A uniform value in the open interval (0, 1) from the top 53 bits of a SHA-256 digest: stable
   * across processes and JVMs, so every gateway of a fleet puts a caller on the same version.
   */
  static double unitHash(String template, String version, String sticky) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-256", e);
    }
    // Lengths before each part keep ("a", "bc") and ("ab", "c") apart.
    for (String part : new String[] {template, version, sticky}) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      digest.update(
          new byte[] {
            (byte) (bytes.length >>> 24),
            (byte) (bytes.length >>> 16),
            (byte) (bytes.length >>> 8),
            (byte) bytes.length
          });
      digest.update(bytes);
    }
    byte[] hash = digest.digest();
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (hash[i] & 0xff);
    }
    return ((bits >>> 11) + 0.5) / (double) (1L << 53);
  }
}
