package dev.portcullis.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.RouteConfig.CooldownConfig;
import dev.portcullis.gateway.routing.CircuitBreaker.State;
import dev.portcullis.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  private final CooldownConfig config =
      new CooldownConfig(3, Duration.ofSeconds(60), Duration.ofSeconds(30));
  private final CircuitBreaker breaker =
      new CircuitBreaker(new TargetKey("team-a/chat", "primary"), clock);

  private void fail(int times) {
    for (int i = 0; i < times; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.failure(config);
    }
  }

  @Test
  void opensAfterTheConfiguredFailuresWithinTheWindow() {
    fail(2);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    fail(1);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.available()).isFalse();
    assertThat(breaker.tryAcquire()).isFalse();
  }

  @Test
  void failuresOlderThanTheWindowDoNotCount() {
    fail(2);
    clock.advance(Duration.ofSeconds(61));
    fail(2);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void letsExactlyOneProbeThroughAfterTheCooldown() {
    fail(3);
    clock.advance(Duration.ofSeconds(29));
    assertThat(breaker.tryAcquire()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker.available()).isTrue();
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.state()).isEqualTo(State.PROBING);
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.available()).isFalse();
  }

  @Test
  void aSuccessfulProbeClosesTheBreaker() {
    fail(3);
    clock.advance(Duration.ofSeconds(30));
    breaker.tryAcquire();
    breaker.success();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
    fail(2);
    assertThat(breaker.state()).as("the failure count started over").isEqualTo(State.CLOSED);
  }

  @Test
  void aFailedProbeOpensItForAnotherCooldown() {
    fail(3);
    clock.advance(Duration.ofSeconds(30));
    breaker.tryAcquire();
    breaker.failure(config);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.millisUntilAvailable()).isEqualTo(30_000);
  }

  @Test
  void anUnusedProbePermitGoesBackForTheNextRequest() {
    fail(3);
    clock.advance(Duration.ofSeconds(30));
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.release();
    assertThat(breaker.tryAcquire()).isTrue();
  }
}
