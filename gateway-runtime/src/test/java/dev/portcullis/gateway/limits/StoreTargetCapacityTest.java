package dev.portcullis.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.routing.TargetCapacity.Reservation;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreTargetCapacityTest {
  final StoreTargetCapacity capacity =
      new StoreTargetCapacity(new InProcessLimitStore(), Clock.systemUTC());

  static TargetConfig limited(int rpm, Integer tpm) {
    TargetConfig t = TestSnapshots.provider("primary", "openai", "gpt-4o", null);
    return new TargetConfig(
        t.name(),
        t.provider(),
        t.model(),
        t.baseUrl(),
        t.apiKey(),
        t.weight(),
        t.timeouts(),
        t.params(),
        t.azure(),
        t.pricing(),
        new TargetConfig.Limits(rpm, tpm),
        t.route());
  }

  static RouteConfig route(TargetConfig t) {
    Snapshot s = TestSnapshots.builder().route("team-a", "chat", "chat", Mode.SINGLE, t).build();
    return s.routes().getFirst();
  }

  @Test
  void aTargetAtItsRequestLimitHasNoCapacity() {
    TargetConfig t = limited(2, null);
    RouteConfig r = route(t);
    assertThat(capacity.tryReserve(r, t, 10)).isPresent();
    assertThat(capacity.tryReserve(r, t, 10)).isPresent();
    assertThat(capacity.tryReserve(r, t, 10)).isEmpty();
  }

  @Test
  void aReleasedReservationGivesItsRequestBack() {
    TargetConfig t = limited(1, null);
    RouteConfig r = route(t);
    Optional<Reservation> first = capacity.tryReserve(r, t, 10);
    first.orElseThrow().release();
    assertThat(capacity.tryReserve(r, t, 10)).isPresent();
  }

  @Test
  void settledTokensCountAgainstTheTokenLimit() {
    TargetConfig t = limited(100, 1000);
    RouteConfig r = route(t);
    capacity.tryReserve(r, t, 10).orElseThrow().settle(1000);
    assertThat(capacity.tryReserve(r, t, 10)).isEmpty();
  }

  @Test
  void aTargetWithoutLimitsAlwaysHasCapacity() {
    TargetConfig t = TestSnapshots.provider("free", "openai", "gpt-4o", null);
    RouteConfig r = route(t);
    for (int i = 0; i < 100; i++) {
      assertThat(capacity.tryReserve(r, t, 1_000_000)).isPresent();
    }
  }
}
