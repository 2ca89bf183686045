package dev.portcullis.operator.controller;

import dev.portcullis.api.FleetStatus;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.api.route.LLMRouteStatus;
import dev.portcullis.api.route.StrategyMode;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.operator.snapshot.Kinds;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Status of LLMRoutes: conditions, the snapshot version that carries the route, fleet rollout, and
 * the strategy and target names as the fleet serves them (for the printer columns).
 */
public final class LLMRouteReconciler extends StatusReconciler<LLMRoute, LLMRouteStatus, Void> {
  public LLMRouteReconciler(OperatorContext operator) {
    super(operator, Kinds.ROUTE);
  }

  @Override
  protected LLMRouteStatus newStatus(LLMRouteStatus previous) {
    return new LLMRouteStatus();
  }

  @Override
  protected void fill(
      LLMRouteStatus status,
      LLMRouteStatus previous,
      ResourceReport report,
      LLMRoute route,
      Optional<Void> acted) {
    status.setConfigVersion(report.configVersion());
    if (report.record() instanceof RouteConfig config) {
      status.setStrategy(StrategyMode.valueOf(config.strategy().mode().name()).wireName());
      status.setTargets(
          config.targets().stream().map(TargetConfig::name).collect(Collectors.joining(",")));
      FleetStatus fleet = new FleetStatus();
      fleet.setSynced(report.synced());
      fleet.setTotal(report.total());
      status.setFleet(fleet);
    }
  }
}
