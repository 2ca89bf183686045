package dev.portcullis.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestDeadlineTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

  @Test
  void theCallerMayShortenTheRoutesDeadline() {
    assertThat(RequestDeadline.start(clock, Duration.ofSeconds(30), "2s").limit())
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void theCallerCannotLengthenIt() {
    assertThat(RequestDeadline.start(clock, Duration.ofSeconds(30), "5m").limit())
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theCallerMaySetOneWhereTheRouteHasNone() {
    assertThat(RequestDeadline.start(clock, null, "1500ms").limit())
        .isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void expiresWhenTheTimeIsUp() {
    RequestDeadline deadline = RequestDeadline.start(clock, Duration.ofSeconds(2), null);
    clock.advance(Duration.ofMillis(1500));
    assertThat(deadline.remaining()).isEqualTo(Duration.ofMillis(500));
    assertThat(deadline.cap(Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(500));
    clock.advance(Duration.ofMillis(500));
    assertThat(deadline.expired()).isTrue();
  }

  @Test
  void anUnreadableHeaderIsABadRequest() {
    assertThatThrownBy(() -> RequestDeadline.start(clock, null, "soon"))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("x-portcullis-timeout");
  }
}
