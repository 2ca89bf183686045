package dev.portcullis.gateway.endpoint;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens locally with a real BPE tokenizer (o200k_base): for Anthropic's count_tokens when
 * the upstream has no count endpoint of its own, and for the token and cost reservations the limits
 * make before a call. Exact for OpenAI models, a close estimate for others. What to count in a
 * request is each {@link Endpoint}'s {@link Endpoint#promptTokens}.
 *
 * <p>{@link #LOWER_BOUND} counts the o200k pre-tokenizer's pieces instead ({@link O200kPieces}):
 * the BPE encodes each piece into at least one token, so every count it gives is at most the exact
 * one, and an endpoint's prompt count (a sum of text counts and fixed overheads) made with it is a
 * lower bound of the exact prompt count. The split is most of the tokenizer's cost in {@code
 * java.util.regex}; written out it costs a fraction, so "over a limit or not" is often settled
 * without the BPE (the {@code length} guardrail).
 */
public final class LocalTokenCounter {
  /** Counts pieces, not tokens: a lower bound of every count, without loading the vocabulary. */
  public static final LocalTokenCounter LOWER_BOUND = new LocalTokenCounter(true);

  private final boolean piecesOnly;

  public LocalTokenCounter() {
    this(false);
  }

  private LocalTokenCounter(boolean piecesOnly) {
    this.piecesOnly = piecesOnly;
  }

  /**
   * The o200k vocabulary takes about 35 MB of heap, so it is loaded once per process (shared by
   * every counter) and only when something first needs a count: a gateway whose keys have no token
   * limits or budgets never loads it.
   */
  private static final class O200k {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  public int count(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    return piecesOnly ? O200kPieces.count(text) : O200k.ENCODING.countTokensOrdinary(text);
  }
}
