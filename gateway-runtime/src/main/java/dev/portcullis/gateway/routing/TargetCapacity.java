package dev.portcullis.gateway.routing;

import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.TargetConfig;
import java.util.Optional;

/**
 * A target's own upstream quota ({@code targets[].limits}: requests and tokens per minute,
 * fleet-wide). The router asks before it sends to a target and skips a target at its limit as it
 * skips an unhealthy one. Implementations live with the limits (in-process or Redis).
 */
public interface TargetCapacity {
  /**
   * Reserves one request and {@code estimatedTokens} on the target's quota.
   *
   * @return empty when the target is at its limit (skip it)
   */
  Optional<Reservation> tryReserve(RouteConfig route, TargetConfig target, long estimatedTokens);

  /** What was reserved; settled once with the real usage, or released when nothing was sent. */
  interface Reservation {
    void settle(long actualTokens);

    void release();
  }

  /** No quotas: every target always has capacity. */
  TargetCapacity UNLIMITED =
      (route, target, tokens) ->
          Optional.of(
              new Reservation() {
                @Override
                public void settle(long actualTokens) {}

                @Override
                public void release() {}
              });
}
