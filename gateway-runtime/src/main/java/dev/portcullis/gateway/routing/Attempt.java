package dev.portcullis.gateway.routing;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.TargetConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A provider target to try, with the chain of routes that led to it: the requested route first, a
 * nested route (a target that is another route) after it, the route owning {@link #target()} last.
 *
 * @param via every route from the requested one to the one owning the target, never empty
 * @param hops for each route in {@code via} but the last, the target that led into the next route
 */
public record Attempt(List<RouteConfig> via, List<TargetConfig> hops, TargetConfig target) {
  public Attempt {
    via = List.copyOf(via);
    hops = List.copyOf(hops);
  }

  /** An attempt at a target of the requested route itself. */
  public static Attempt direct(RouteConfig route, TargetConfig target) {
    return new Attempt(List.of(route), List.of(), target);
  }

  /** The route that owns the target: its retry and cooldown settings apply. */
  public RouteConfig route() {
    return via.getLast();
  }

  public TargetKey key() {
    return TargetKey.of(route(), target);
  }

  /** This target and every nested-route target that led to it, outermost first. */
  public List<TargetKey> keys() {
    List<TargetKey> out = new ArrayList<>(via.size());
    for (int i = 0; i < hops.size(); i++) {
      out.add(TargetKey.of(via.get(i), hops.get(i)));
    }
    out.add(key());
    return out;
  }

  /**
   * The innermost route that holds both this attempt and {@code next}: its strategy decides whether
   * a failure here may move on to {@code next}, and whether to hedge between them.
   */
  public RouteConfig sharedRoute(Attempt next) {
    int shared = 0;
    int max = Math.min(via.size(), next.via.size());
    while (shared + 1 < max
        && via.get(shared + 1).id().equals(next.via.get(shared + 1).id())
        && hops.get(shared).name().equals(next.hops.get(shared).name())) {
      shared++;
    }
    return via.get(shared);
  }
}
