package dev.portcullis.gateway.fake;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Locale;

/**
 * Deterministic unit-length embeddings by feature hashing: every word of the text adds ±1 at a few
 * positions chosen by its hash. The same text always gives the same vector, and texts that share
 * words have a high cosine similarity, which is what semantic-cache tests need.
 */
final class HashedEmbedding {
  private static final int POSITIONS_PER_WORD = 4;

  private HashedEmbedding() {}

  static float[] of(String text, int dimensions) {
    float[] vector = new float[dimensions];
    String lower = text.toLowerCase(Locale.ROOT);
    int start = -1;
    boolean anyWord = false;
    for (int i = 0; i <= lower.length(); i++) {
      boolean wordChar = i < lower.length() && Character.isLetterOrDigit(lower.charAt(i));
      if (wordChar && start < 0) {
        start = i;
      } else if (!wordChar && start >= 0) {
        add(vector, lower.substring(start, i));
        anyWord = true;
        start = -1;
      }
    }
    if (!anyWord) {
      add(vector, lower); // no words (empty or punctuation): still a stable, non-zero vector
    }
    double norm = 0;
    for (float v : vector) {
      norm += v * v;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dimensions; i++) {
      vector[i] *= scale;
    }
    return vector;
  }

  private static void add(float[] vector, String word) {
    long h = mix(word.hashCode() * 0x9E3779B97F4A7C15L + word.length());
    for (int k = 0; k < POSITIONS_PER_WORD; k++) {
      h = mix(h + k);
      int position = (int) Math.floorMod(h, (long) vector.length);
      vector[position] += (h & (1L << 40)) == 0 ? 1f : -1f;
    }
  }

  /** SplitMix64 finaliser: spreads the bits of a weak hash such as String.hashCode. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** As a JSON array of numbers. */
  static void appendJson(StringBuilder out, float[] vector) {
    out.append('[');
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(vector[i]);
    }
    out.append(']');
  }

  /** OpenAI's {@code encoding_format: base64}: little-endian float32s, base64-encoded. */
  static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : vector) {
      bytes.putFloat(v);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
