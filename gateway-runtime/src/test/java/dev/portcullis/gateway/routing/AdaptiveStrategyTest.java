package dev.portcullis.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdaptiveStrategyTest {
  private final TargetConfig fast = TestSnapshots.echo("fast");
  private final TargetConfig slow = TestSnapshots.echo("slow");
  private final TargetConfig cheap =
      TestSnapshots.withPricing(TestSnapshots.echo("cheap"), "0.1", "0.4");
  private final TargetConfig dear =
      TestSnapshots.withPricing(TestSnapshots.echo("dear"), "5", "15");
  private final Scoreboard scoreboard = new Scoreboard();

  private static RouteConfig route(double explore, TargetConfig... targets) {
    Snapshot s =
        TestSnapshots.builder()
            .route(
                TestSnapshots.routeSpec("chat", Mode.ADAPTIVE, targets)
                    .adaptive(0.5, 0.3, 0.2, explore))
            .build();
    return s.routes().getFirst();
  }

  private int picks(RouteConfig route, String name, int n) {
    Random random = new Random(3);
    RoutingContext context = new RoutingContext(RequestAttributes.none(), scoreboard, random);
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (new AdaptiveStrategy()
          .order(route, route.targets(), context)
          .getFirst()
          .name()
          .equals(name)) {
        count++;
      }
    }
    return count;
  }

  @Test
  void prefersTheTargetWithTheShorterTimeToFirstByte() {
    RouteConfig route = route(0, fast, slow);
    for (int i = 0; i < 5; i++) {
      scoreboard.of(TargetKey.of(route, fast)).success(50);
      scoreboard.of(TargetKey.of(route, slow)).success(900);
    }
    assertThat(picks(route, "fast", 1000)).isEqualTo(1000);
  }

  @Test
  void aTargetThatFailsFastStillRanksBehindAHealthyOneWhoseLatencySpiked() {
    TargetConfig failing = TestSnapshots.echo("failing");
    TargetConfig healthy = TestSnapshots.echo("healthy");
    RouteConfig route = route(0, failing, healthy);
    scoreboard.of(TargetKey.of(route, failing)).success(1);
    for (int i = 0; i < 10; i++) {
      scoreboard.of(TargetKey.of(route, failing)).failure(0, false);
    }
    scoreboard.of(TargetKey.of(route, healthy)).success(2);
    scoreboard.of(TargetKey.of(route, healthy)).success(400);
    assertThat(picks(route, "healthy", 1000)).isEqualTo(1000);
  }

  @Test
  void avoidsATargetThatFails() {
    RouteConfig route = route(0, fast, slow);
    for (int i = 0; i < 5; i++) {
      scoreboard.of(TargetKey.of(route, fast)).failure(10, false);
      scoreboard.of(TargetKey.of(route, slow)).success(10);
    }
    assertThat(picks(route, "slow", 1000)).isEqualTo(1000);
  }

  @Test
  void prefersTheCheaperTargetWhenBothAreEquallyFast() {
    RouteConfig route = route(0, cheap, dear);
    scoreboard.of(TargetKey.of(route, cheap)).success(100);
    scoreboard.of(TargetKey.of(route, dear)).success(100);
    assertThat(picks(route, "cheap", 1000)).isEqualTo(1000);
  }

  @Test
  void exploresTheOthersAtTheConfiguredRate() {
    RouteConfig route = route(0.1, fast, slow);
    for (int i = 0; i < 5; i++) {
      scoreboard.of(TargetKey.of(route, fast)).success(50);
      scoreboard.of(TargetKey.of(route, slow)).success(900);
    }
    // Exploring picks uniformly, so about half of the 10% lands on the slow target.
    assertThat(picks(route, "slow", 10_000)).isBetween(350, 650);
  }

  @Test
  void powerOfTwoChoicesNeverPicksTheWorstOfThree() {
    TargetConfig middle = TestSnapshots.echo("middle");
    RouteConfig route = route(0, fast, middle, slow);
    scoreboard.of(TargetKey.of(route, fast)).success(50);
    scoreboard.of(TargetKey.of(route, middle)).success(300);
    scoreboard.of(TargetKey.of(route, slow)).success(900);
    assertThat(picks(route, "slow", 1000)).isZero();
    assertThat(picks(route, "fast", 3000)).isBetween(1800, 2200);
  }

  @Test
  void theOtherTargetsFollowByScore() {
    TargetConfig middle = TestSnapshots.echo("middle");
    RouteConfig route = route(0, slow, middle, fast);
    scoreboard.of(TargetKey.of(route, fast)).success(50);
    scoreboard.of(TargetKey.of(route, middle)).success(300);
    scoreboard.of(TargetKey.of(route, slow)).success(900);
    List<TargetConfig> order =
        new AdaptiveStrategy()
            .order(
                route,
                route.targets(),
                new RoutingContext(RequestAttributes.none(), scoreboard, new Random(1)));
    assertThat(order.getLast()).isEqualTo(slow);
  }
}
