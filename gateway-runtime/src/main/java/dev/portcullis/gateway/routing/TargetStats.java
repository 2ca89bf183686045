package dev.portcullis.gateway.routing;

/**
 * What one target's recent answers looked like: exponentially weighted moving averages of the time
 * to first byte and of the error rate. Count-weighted with a large smoothing factor so that a few
 * slow or failed answers move the averages, which is what lets Adaptive routing react within a
 * handful of requests.
 */
public final class TargetStats {
  static final double ALPHA = 0.3;

  private double latencyMillis = Double.NaN;
  private double errorRate;
  private long samples;

  /** A successful attempt whose first byte came after {@code millis}. */
  public synchronized void success(long millis) {
    latencyMillis = Double.isNaN(latencyMillis) ? millis : blend(latencyMillis, millis);
    errorRate = blend(errorRate, 0);
    samples++;
  }

  /**
   * A failed attempt. A timeout also counts as a slow answer ({@code slowMillis} = how long it
   * waited); a quick error says nothing about latency.
   */
  public synchronized void failure(long slowMillis, boolean timedOut) {
    if (timedOut) {
      latencyMillis = Double.isNaN(latencyMillis) ? slowMillis : blend(latencyMillis, slowMillis);
    }
    errorRate = blend(errorRate, 1);
    samples++;
  }

  /**
   * An attempt abandoned after {@code millis} without an answer (a hedge that lost the race): it
   * was at least that slow, which is not an error.
   */
  public synchronized void slow(long millis) {
    if (Double.isNaN(latencyMillis) || millis > latencyMillis) {
      latencyMillis = Double.isNaN(latencyMillis) ? millis : blend(latencyMillis, millis);
    }
  }

  private static double blend(double average, double sample) {
    return average + ALPHA * (sample - average);
  }

  /** Average time to first byte in milliseconds; NaN before the first successful answer. */
  public synchronized double latencyMillis() {
    return latencyMillis;
  }

  /** Share of recent attempts that failed, 0 to 1. */
  public synchronized double errorRate() {
    return errorRate;
  }

  public synchronized long samples() {
    return samples;
  }
}
