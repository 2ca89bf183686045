package dev.portcullis.gateway.routing;

import dev.portcullis.api.Durations;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import java.time.Clock;
import java.time.Duration;

/**
 * The whole-request deadline: the route's {@code timeout}, shortened (never lengthened) by the
 * caller's {@code x-portcullis-timeout} header. Null limit = no deadline.
 */
public final class RequestDeadline {
  public static final String HEADER = "x-portcullis-timeout";

  private final Clock clock;
  private final Duration limit;
  private final long endMillis;

  private RequestDeadline(Clock clock, Duration limit) {
    this.clock = clock;
    this.limit = limit;
    this.endMillis = limit == null ? Long.MAX_VALUE : clock.millis() + limit.toMillis();
  }

  /**
   * @param callerTimeout the header's value, or null
   * @throws GatewayException 400 when the header is not a positive duration
   */
  public static RequestDeadline start(Clock clock, Duration routeTimeout, String callerTimeout) {
    Duration limit = routeTimeout;
    if (callerTimeout != null) {
      Duration asked;
      try {
        asked = Durations.parse(callerTimeout);
      } catch (IllegalArgumentException e) {
        throw new GatewayException(
            ErrorKind.BAD_REQUEST, "invalid_timeout", "Header " + HEADER + ": " + e.getMessage());
      }
      if (asked.isZero()) {
        throw new GatewayException(
            ErrorKind.BAD_REQUEST, "invalid_timeout", "Header " + HEADER + " must be above 0.");
      }
      if (limit == null || asked.compareTo(limit) < 0) {
        limit = asked;
      }
    }
    return new RequestDeadline(clock, limit);
  }

  public static RequestDeadline none(Clock clock) {
    return new RequestDeadline(clock, null);
  }

  /** The configured limit, or null. */
  public Duration limit() {
    return limit;
  }

  /** Time left, or null when there is no deadline; never negative. */
  public Duration remaining() {
    if (limit == null) {
      return null;
    }
    return Duration.ofMillis(Math.max(0, endMillis - clock.millis()));
  }

  public boolean expired() {
    return limit != null && clock.millis() >= endMillis;
  }

  /** The shorter of {@code d} and the time left; null only when both are unbounded. */
  public Duration cap(Duration d) {
    Duration left = remaining();
    if (left == null) {
      return d;
    }
    return d == null || left.compareTo(d) < 0 ? left : d;
  }
}
