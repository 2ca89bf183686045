package dev.portcullis.api.snapshot;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * One target of a resolved route: either a provider endpoint or another route ({@link #route()}
 * non-null, every provider field null).
 *
 * @param provider provider id as in the CRD: openai, azure-openai, anthropic, gemini,
 *     openai-compatible, bedrock, echo; null when this target is another route
 * @param model upstream model name (null = the client's model)
 * @param baseUrl upstream base URL, null = the provider's default
 * @param apiKey resolved credential, null when the provider needs none (echo)
 * @param weight LoadBalance weight, at least 1
 * @param timeouts never null; fields may be null (= no limit beyond the route's)
 * @param params forced request parameters (JSON object), possibly empty
 * @param route qualified name of the nested route, or null
 */
public record TargetConfig(
    String name,
    String provider,
    String model,
    String baseUrl,
    SecretValue apiKey,
    int weight,
    Timeouts timeouts,
    JsonTree params,
    Azure azure,
    Pricing pricing,
    Limits limits,
    String route) {

  public boolean isRoute() {
    return route != null;
  }

  public record Timeouts(Duration connect, Duration firstByte, Duration total) {
    public static final Timeouts NONE = new Timeouts(null, null, null);
  }

  public record Azure(String deployment, String apiVersion) {}

  /** USD per million tokens; any may be null (then the built-in price table applies). */
  public record Pricing(
      BigDecimal inputPerMTok, BigDecimal outputPerMTok, BigDecimal cachedInputPerMTok) {}

  /** The upstream's own quota, fleet-wide; null = unlimited. */
  public record Limits(Integer requestsPerMinute, Integer tokensPerMinute) {}
}
