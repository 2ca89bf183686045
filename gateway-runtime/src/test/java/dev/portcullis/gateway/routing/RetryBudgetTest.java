package dev.portcullis.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final RetryBudget budget = new RetryBudget(clock, Duration.ofSeconds(10), 0.2, 3);

  private int retriesGranted(int requests) {
    int granted = 0;
    for (int i = 0; i < requests; i++) {
      budget.request();
      if (budget.tryRetry()) {
        granted++;
      }
    }
    return granted;
  }

  @Test
  void retriesStayWithinTheRatioOfRequests() {
    assertThat(retriesGranted(100)).isEqualTo(20);
  }

  @Test
  void aQuietRouteMayStillRetryUpToTheFloor() {
    budget.request();
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isFalse();
  }

  @Test
  void spentBudgetComesBackAsTheWindowSlides() {
    retriesGranted(100);
    assertThat(budget.tryRetry()).isFalse();
    clock.advance(Duration.ofSeconds(11));
    assertThat(budget.tryRetry()).isTrue();
  }
}
