package dev.portcullis.gateway.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in list prices of common OpenAI, Anthropic and Gemini models ({@code prices.json} in
 * this package, dated). A model name matches its entry exactly or as a dated or suffixed variant:
 * {@code gpt-4o-2024-08-06} and {@code claude-sonnet-4-20250514} find {@code gpt-4o} and {@code
 * claude-sonnet-4}; the longest entry wins, so {@code gpt-4o-mini} is not priced as {@code gpt-4o}.
 */
public final class PriceTable {
  private final LocalDate asOf;
  private final Map<String, Price> prices;

  /**
   * Variant names already matched (or not) against the table: the match scans every entry, and it
   * is asked several times per request. Bounded, since clients choose model names.
   */
  private final Map<String, Optional<Price>> matched = new ConcurrentHashMap<>();

  private static final int MAX_MATCHED = 4096;

  PriceTable(LocalDate asOf, Map<String, Price> prices) {
    this.asOf = asOf;
    this.prices = Map.copyOf(prices);
  }

  /** The table shipped with the gateway. */
  public static PriceTable builtIn() {
    try (InputStream in = PriceTable.class.getResourceAsStream("prices.json")) {
      if (in == null) {
        throw new IllegalStateException("prices.json is missing from the gateway jar");
      }
      return parse(new ObjectMapper().readTree(in));
    } catch (IOException e) {
      throw new IllegalStateException("prices.json cannot be read", e);
    }
  }

  static PriceTable parse(JsonNode root) {
    Map<String, Price> prices = new HashMap<>();
    root.path("models")
        .properties()
        .forEach(
            e -> {
              JsonNode m = e.getValue();
              BigDecimal input = new BigDecimal(m.path("input").asText());
              BigDecimal output = new BigDecimal(m.path("output").asText("0"));
              BigDecimal cached =
                  m.hasNonNull("cachedInput")
                      ? new BigDecimal(m.get("cachedInput").asText())
                      : input;
              prices.put(e.getKey(), new Price(input, output, cached));
            });
    return new PriceTable(LocalDate.parse(root.path("asOf").asText()), prices);
  }

  /** The date the prices were taken from the providers' price pages. */
  public LocalDate asOf() {
    return asOf;
  }

  public Optional<Price> lookup(String model) {
    if (model == null) {
      return Optional.empty();
    }
    Price exact = prices.get(model);
    if (exact != null) {
      return Optional.of(exact);
    }
    Optional<Price> known = matched.get(model);
    if (known != null) {
      return known;
    }
    Optional<Price> found = longestPrefixMatch(model);
    if (matched.size() < MAX_MATCHED) {
      matched.put(model, found);
    }
    return found;
  }

  private Optional<Price> longestPrefixMatch(String model) {
    String best = null;
    for (String name : prices.keySet()) {
      if (model.length() > name.length()
          && model.startsWith(name)
          && isBoundary(model.charAt(name.length()))
          && (best == null || name.length() > best.length())) {
        best = name;
      }
    }
    return best == null ? Optional.empty() : Optional.of(prices.get(best));
  }

  /**
   * A variant continues after a separator: {@code gpt-4o-…} or {@code …@2024}, not {@code gpt-4.1}.
   */
  private static boolean isBoundary(char c) {
    return c == '-' || c == '@' || c == ':';
  }
}
