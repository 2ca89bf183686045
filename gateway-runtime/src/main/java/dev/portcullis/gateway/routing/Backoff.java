package dev.portcullis.gateway.routing;

import java.time.Duration;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * How long to wait before a retry: exponential backoff with full jitter (a uniformly random wait
 * between 0 and {@code min(max, base * 2^retry)}), which spreads retries of many clients apart; and
 * what an upstream's {@code retry-after-ms} / {@code retry-after} asks for.
 */
public final class Backoff {
  private Backoff() {}

  /**
   * @param retry 0 for the first retry
   */
  public static Duration fullJitter(
      Duration base, Duration max, int retry, RandomGenerator random) {
    long cap = max.toMillis();
    long ceiling = base.toMillis();
    for (int i = 0; i < retry && ceiling < cap; i++) {
      ceiling *= 2;
    }
    ceiling = Math.min(ceiling, cap);
    return ceiling <= 0 ? Duration.ZERO : Duration.ofMillis(random.nextLong(ceiling + 1));
  }

  /**
   * The wait an upstream asked for: {@code retry-after-ms} (milliseconds, as OpenAI sends it) or
   * {@code retry-after} in seconds; null when neither is present or readable. HTTP-date values are
   * not honoured (providers send seconds).
   *
   * @param header looks up a response header by lower-case name
   */
  public static Duration retryAfter(java.util.function.Function<String, String> header) {
    String ms = header.apply("retry-after-ms");
    if (ms != null) {
      try {
        double value = Double.parseDouble(ms.strip());
        if (value >= 0) {
          return Duration.ofMillis((long) Math.ceil(value));
        }
      } catch (NumberFormatException e) {
        // fall through to retry-after
      }
    }
    String seconds = header.apply("retry-after");
    if (seconds != null) {
      try {
        double value = Double.parseDouble(seconds.strip().toLowerCase(Locale.ROOT));
        if (value >= 0) {
          return Duration.ofMillis((long) Math.ceil(value * 1000));
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
