package dev.portcullis.gateway.endpoint;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.GptBytePairEncodingParams;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

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
   * limits or budgets never loads it. It is jtokkit's o200k_base BPE with a pattern that takes the
   * whole text as one piece: the split into pieces is {@link O200kPieces}' (the same pieces as
   * jtokkit's own regex, at a fifteenth of its cost), and each piece is encoded on its own, as
   * jtokkit does for each match of its regex. So the counts are jtokkit's o200k_base counts ({@code
   * LocalTokenCounterTest}).
   */
  private static final class O200k {
    static final Encoding PIECE = load();

    private static Encoding load() {
      Map<byte[], Integer> ranks = new LinkedHashMap<>(); // jtokkit keeps the file's order too
      String file =
          "/com/knuddels/jtokkit/o200k_base.tiktoken"; // o200k_base's vocabulary, in jtokkit
      try (InputStream in = Encoding.class.getResourceAsStream(file)) {
        if (in == null) {
          throw new IllegalStateException(file + " is not in jtokkit's jar");
        }
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null; ) {
          int space = line.indexOf(' ');
          ranks.put(
              Base64.getDecoder().decode(line.substring(0, space)),
              Integer.parseInt(line.substring(space + 1)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
      String name = "o200k_base_piece";
      registry.registerGptBytePairEncoding(
          new GptBytePairEncodingParams(
              name, Pattern.compile(".+", Pattern.DOTALL), ranks, Map.of()));
      return registry.getEncoding(name).orElseThrow();
    }
  }

  public int count(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    if (piecesOnly) {
      return O200kPieces.count(text);
    }
    int tokens = 0;
    for (int i = 0, end; i < text.length(); i = end) {
      end = O200kPieces.end(text, i);
      tokens += O200k.PIECE.countTokensOrdinary(text.substring(i, end));
    }
    return tokens;
  }
}
