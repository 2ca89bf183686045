package dev.portcullis.gateway.routing;

import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import java.util.EnumMap;
import java.util.Map;

/** The one place strategies are registered: one per {@code strategy.mode}. */
public final class RoutingStrategies {
  private final Map<Mode, RoutingStrategy> byMode = new EnumMap<>(Mode.class);

  private RoutingStrategies() {}

  public static RoutingStrategies builtIn() {
    RoutingStrategies s = new RoutingStrategies();
    s.byMode.put(Mode.SINGLE, new SingleStrategy());
    s.byMode.put(Mode.LOAD_BALANCE, new LoadBalanceStrategy());
    s.byMode.put(Mode.FALLBACK, new FallbackStrategy());
    s.byMode.put(Mode.CONDITIONAL, new ConditionalStrategy());
    s.byMode.put(Mode.ADAPTIVE, new AdaptiveStrategy());
    return s;
  }

  public RoutingStrategy forMode(Mode mode) {
    RoutingStrategy strategy = byMode.get(mode);
    if (strategy == null) {
      throw new IllegalStateException("no routing strategy registered for mode " + mode);
    }
    return strategy;
  }
}
