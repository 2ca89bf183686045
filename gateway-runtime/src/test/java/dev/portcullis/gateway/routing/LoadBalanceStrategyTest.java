package dev.portcullis.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LoadBalanceStrategyTest {
  private static TargetConfig target(String name, int weight) {
    return TestSnapshots.withWeight(TestSnapshots.echo(name), weight);
  }

  private static Map<String, Integer> firstPicks(List<TargetConfig> targets, int picks) {
    Random random = new Random(42);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      String first = LoadBalanceStrategy.weightedOrder(targets, random).getFirst().name();
      counts.merge(first, 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void tenThousandPicksFollowTheWeightsWithinTwoPercent() {
    List<TargetConfig> targets = List.of(target("a", 5), target("b", 3), target("c", 2));
    Map<String, Integer> counts = firstPicks(targets, 10_000);
    assertThat(counts.get("a") / 10_000.0).isCloseTo(0.5, within(0.02));
    assertThat(counts.get("b") / 10_000.0).isCloseTo(0.3, within(0.02));
    assertThat(counts.get("c") / 10_000.0).isCloseTo(0.2, within(0.02));
  }

  @Test
  void aThreeToOneSplitIsThreeToOne() {
    Map<String, Integer> counts = firstPicks(List.of(target("big", 3), target("small", 1)), 10_000);
    assertThat(counts.get("big") / 10_000.0).isCloseTo(0.75, within(0.02));
  }

  @Test
  void everyTargetFollowsThePickAsAFallback() {
    List<TargetConfig> targets = List.of(target("a", 1), target("b", 1), target("c", 1));
    List<TargetConfig> order = LoadBalanceStrategy.weightedOrder(targets, new Random(1));
    assertThat(order).containsExactlyInAnyOrderElementsOf(targets);
  }
}
