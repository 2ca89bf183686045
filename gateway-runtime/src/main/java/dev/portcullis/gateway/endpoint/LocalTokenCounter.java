package dev.portcullis.gateway.endpoint;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens locally with a real BPE tokenizer (o200k_base): for Anthropic's count_tokens when
 * the upstream has no count endpoint of its own, and for the token and cost reservations the limits
 * make before a call. Exact for OpenAI models, a close estimate for others. What to count in a
 * request is each {@link Endpoint}'s {@link Endpoint#promptTokens}.
 */
public final class LocalTokenCounter {
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
    return text == null || text.isEmpty() ? 0 : O200k.ENCODING.countTokensOrdinary(text);
  }
}
