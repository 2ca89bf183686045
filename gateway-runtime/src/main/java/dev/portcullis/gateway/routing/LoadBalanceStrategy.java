package dev.portcullis.gateway.routing;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.TargetConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * {@code LoadBalance}: weighted random. The whole order is a weighted random permutation (each
 * target keyed by {@code u^(1/weight)}, largest first), so the first pick follows the weights and a
 * failure moves on to the others in weighted order too. Stateless, so it needs no coordination
 * between requests or gateways, and targets that are cooling down simply drop out of the draw.
 */
final class LoadBalanceStrategy implements RoutingStrategy {
  @Override
  public List<TargetConfig> order(
      RouteConfig route, List<TargetConfig> candidates, RoutingContext context) {
    return weightedOrder(candidates, context.random());
  }

  static List<TargetConfig> weightedOrder(List<TargetConfig> targets, RandomGenerator random) {
    record Keyed(TargetConfig target, double key) {}
    List<Keyed> keyed = new ArrayList<>(targets.size());
    for (TargetConfig t : targets) {
      double u = 1.0 - random.nextDouble(); // (0, 1]
      keyed.add(new Keyed(t, Math.log(u) / Math.max(1, t.weight())));
    }
    keyed.sort(Comparator.comparingDouble(Keyed::key).reversed());
    return keyed.stream().map(Keyed::target).toList();
  }
}
