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
  private static final double MIN_SUCCESS_RATE = 0.01;
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

  /** Above this recent error rate a target counts as failing rather than slow. */
  static final double UNHEALTHY_ERROR_RATE = 0.5;

  static Map<TargetConfig, Double> scores(
      RouteConfig route,
      List<TargetConfig> candidates,
      AdaptiveWeights weights,
      Scoreboard scoreboard) {
    Map<TargetConfig, TargetStats> stats = new HashMap<>();
    double knownSum = 0;
    int known = 0;
    double maxPrice = 0;
    for (TargetConfig t : candidates) {
      TargetStats s = scoreboard.of(TargetKey.of(route, t));
      stats.put(t, s);
      if (!Double.isNaN(s.latencyMillis())) {
        knownSum += s.latencyMillis();
        known++;
      }
      maxPrice = Math.max(maxPrice, price(t));
    }
    // A target without a latency sample yet counts as average: neither favoured nor avoided.
    double neutral = known == 0 ? 1 : knownSum / known;
    Map<TargetConfig, Double> expected = new HashMap<>();
    double maxExpected = 0;
    for (TargetConfig t : candidates) {
      TargetStats s = stats.get(t);
      double latency = Double.isNaN(s.latencyMillis()) ? neutral : s.latencyMillis();
      // Expected time until a successful answer: a target failing half the time takes on
      // average two tries. This keeps a target that fails fast from looking fast.
      double e = latency / Math.max(MIN_SUCCESS_RATE, 1 - s.errorRate());
      expected.put(t, e);
      maxExpected = Math.max(maxExpected, e);
    }
    Map<TargetConfig, Double> scores = new HashMap<>();
    for (TargetConfig t : candidates) {
      double errorRate = stats.get(t).errorRate();
      double score =
          weights.latencyWeight() * (maxExpected > 0 ? expected.get(t) / maxExpected : 0)
              + weights.errorWeight() * errorRate
              + weights.costWeight() * (maxPrice > 0 ? price(t) / maxPrice : 0)
              // A target failing most of its calls ranks behind every healthy one, however fast
              // it fails: otherwise a fast 500 beats a healthy target whose latency just spiked.
              + (errorRate > UNHEALTHY_ERROR_RATE ? 1 : 0);
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
