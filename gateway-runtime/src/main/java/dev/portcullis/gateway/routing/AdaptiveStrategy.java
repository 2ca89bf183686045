package dev.portcullis.gateway.routing;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.AdaptiveWeights;
import dev.portcullis.api.snapshot.TargetConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * {@code Adaptive}: scores each target from its recent time to first byte, error rate and price
 * (each normalised to 0..1 among the candidates and weighted by {@code strategy.adaptive}; lower is
 * better), then picks by power of two choices: two random candidates, the better one wins. With
 * probability {@code explore} it picks uniformly instead, so a target that recovered is noticed. A
 * target with no latency sample yet counts as fast, so new targets get tried. The rest follow by
 * score, as fallbacks.
 */
final class AdaptiveStrategy implements RoutingStrategy {
  static final AdaptiveWeights DEFAULT_WEIGHTS = new AdaptiveWeights(0.5, 0.3, 0.2, 0.01);

  @Override
  public List<TargetConfig> order(
      RouteConfig route, List<TargetConfig> candidates, RoutingContext context) {
    if (candidates.size() < 2) {
      return candidates;
    }
    AdaptiveWeights weights =
        route.strategy().adaptive() != null ? route.strategy().adaptive() : DEFAULT_WEIGHTS;
    Map<TargetConfig, Double> scores = scores(route, candidates, weights, context.scoreboard());
    RandomGenerator random = context.random();
    TargetConfig pick;
    if (random.nextDouble() < weights.explore()) {
      pick = candidates.get(random.nextInt(candidates.size()));
    } else {
      int a = random.nextInt(candidates.size());
      int b = random.nextInt(candidates.size() - 1);
      if (b >= a) {
        b++;
      }
      TargetConfig first = candidates.get(a);
      TargetConfig second = candidates.get(b);
      pick = scores.get(first) <= scores.get(second) ? first : second;
    }
    List<TargetConfig> rest = new ArrayList<>(candidates);
    rest.remove(pick);
    rest.sort(Comparator.comparingDouble(scores::get));
    List<TargetConfig> out = new ArrayList<>(candidates.size());
    out.add(pick);
    out.addAll(rest);
    return out;
  }

  static Map<TargetConfig, Double> scores(
      RouteConfig route,
      List<TargetConfig> candidates,
      AdaptiveWeights weights,
      Scoreboard scoreboard) {
    double maxLatency = 0;
    double maxPrice = 0;
    Map<TargetConfig, TargetStats> stats = new HashMap<>();
    for (TargetConfig t : candidates) {
      TargetStats s = scoreboard.of(TargetKey.of(route, t));
      stats.put(t, s);
      double latency = s.latencyMillis();
      if (!Double.isNaN(latency)) {
        maxLatency = Math.max(maxLatency, latency);
      }
      maxPrice = Math.max(maxPrice, price(t));
    }
    Map<TargetConfig, Double> scores = new HashMap<>();
    for (TargetConfig t : candidates) {
      TargetStats s = stats.get(t);
      double latency = Double.isNaN(s.latencyMillis()) ? 0 : s.latencyMillis();
      double score =
          weights.latencyWeight() * (maxLatency > 0 ? latency / maxLatency : 0)
              + weights.errorWeight() * s.errorRate()
              + weights.costWeight() * (maxPrice > 0 ? price(t) / maxPrice : 0);
      scores.put(t, score);
    }
    return scores;
  }

  /** USD per million tokens, input and output together; 0 when the target states no price. */
  private static double price(TargetConfig target) {
    if (target.pricing() == null) {
      return 0;
    }
    BigDecimal in = target.pricing().inputPerMTok();
    BigDecimal out = target.pricing().outputPerMTok();
    return (in == null ? 0 : in.doubleValue()) + (out == null ? 0 : out.doubleValue());
  }
}
