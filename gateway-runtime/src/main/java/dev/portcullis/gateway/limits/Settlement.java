package dev.portcullis.gateway.limits;

/**
 * What a request really used, or that it was never served.
 *
 * @param served false: the upstream failed or nothing was sent; every reservation is released and
 *     the request does not count against the requests-per-minute limit
 */
public record Settlement(
    boolean served, long inputTokens, long outputTokens, long costNanos, long nowMillis) {

  public static Settlement released(long nowMillis) {
    return new Settlement(false, 0, 0, 0, nowMillis);
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}
