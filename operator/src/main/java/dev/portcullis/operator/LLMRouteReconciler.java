package dev.portcullis.operator;

import dev.portcullis.api.FleetStatus;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.api.route.LLMRouteStatus;

/** Status of LLMRoutes: conditions, the snapshot version that carries the route, fleet rollout. */
final class LLMRouteReconciler extends StatusReconciler<LLMRoute, LLMRouteStatus> {
  LLMRouteReconciler(OperatorContext operator) {
    super(operator, Kinds.ROUTE);
  }

  @Override
  protected LLMRouteStatus newStatus(LLMRouteStatus previous) {
    return new LLMRouteStatus();
  }

  @Override
  protected void fill(
      LLMRouteStatus status, LLMRouteStatus previous, ResourceReport report, LLMRoute route) {
    status.setConfigVersion(report.configVersion());
    if (report.inSnapshot()) {
      FleetStatus fleet = new FleetStatus();
      fleet.setSynced(report.synced());
      fleet.setTotal(report.total());
      status.setFleet(fleet);
    }
  }
}
