package dev.portcullis.gateway.state;

import dev.portcullis.api.fleet.GatewayCapabilities;
import dev.portcullis.api.fleet.NotEnforced;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of one state that this gateway cannot enforce, and why, by route: the request path
 * asks {@link GatewayState#requireEnforced} of every route it resolves, and a route listed here is
 * refused there with {@link #refusal}.
 *
 * @param entries every entry this gateway cannot enforce (policies, templates, routes)
 * @param reasons route name to why it is not enforced (its own needs and those of its policies,
 *     template and target routes)
 */
record FailClosed(List<NotEnforced> entries, Map<String, NotEnforced> reasons) {
  private static final FailClosed NONE = new FailClosed(List.of(), Map.of());

  static FailClosed of(Snapshot snapshot, GatewayCapabilities capabilities) {
    List<NotEnforced> entries = capabilities.notEnforced(snapshot);
    if (entries.isEmpty()) {
      return NONE;
    }
    Map<String, NotEnforced> reasons = new HashMap<>();
    for (NotEnforced entry : entries) {
      if ("LLMRoute".equals(entry.kind())) {
        reasons.put(entry.name(), entry);
      }
    }
    return new FailClosed(List.copyOf(entries), Map.copyOf(reasons));
  }

  /** The answer to a request for {@code route}: 503, naming what this gateway lacks. */
  GatewayException refusal(String route) {
    NotEnforced entry = reasons.get(route);
    String missing = entry == null ? "a capability" : String.join(", ", entry.missing());
    return new GatewayException(
        ErrorKind.UNAVAILABLE,
        "capability_missing",
        "Route "
            + route
            + " needs "
            + missing
            + ", which this gateway does not enforce"
            + (entry == null ? "" : " (" + entry.reason() + ")")
            + "; it refuses the request rather than serve the route without it. Retry on a"
            + " gateway that enforces it.");
  }
}
