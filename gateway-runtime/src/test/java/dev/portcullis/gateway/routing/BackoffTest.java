package dev.portcullis.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Duration BASE = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofMillis(1000);

  @Test
  void fullJitterStaysBelowTheExponentialCeiling() {
    Random random = new Random(7);
    for (int retry = 0; retry < 6; retry++) {
      long ceiling = Math.min(1000, 100L << retry);
      long longest = 0;
      for (int i = 0; i < 2000; i++) {
        long wait = Backoff.fullJitter(BASE, MAX, retry, random).toMillis();
        assertThat(wait).isBetween(0L, ceiling);
        longest = Math.max(longest, wait);
      }
      assertThat(longest)
          .as("retry %d uses its whole range", retry)
          .isGreaterThan(ceiling * 9 / 10);
    }
  }

  @Test
  void retryAfterMsWinsOverRetryAfter() {
    assertThat(Backoff.retryAfter(Map.of("retry-after-ms", "1500", "retry-after", "2")::get))
        .isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void retryAfterIsInSeconds() {
    assertThat(Backoff.retryAfter(Map.of("retry-after", "7")::get))
        .isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void unreadableOrMissingRetryAfterIsNoHint() {
    assertThat(Backoff.retryAfter(Map.of("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")::get))
        .isNull();
    assertThat(Backoff.retryAfter(Map.<String, String>of()::get)).isNull();
  }
}
