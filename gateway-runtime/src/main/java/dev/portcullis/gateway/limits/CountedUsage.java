package dev.portcullis.gateway.limits;

/**
 * Usage of served requests summed for one subject and period: what a gateway counted locally while
 * the shared store was unreachable, added to the shared ledger once it answers again.
 */
public record CountedUsage(long requests, long inputTokens, long outputTokens, long costNanos) {
  public static final CountedUsage NONE = new CountedUsage(0, 0, 0, 0);

  /** Both sums together. */
  public CountedUsage plus(CountedUsage other) {
    return new CountedUsage(
        requests + other.requests,
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        costNanos + other.costNanos);
  }

  /** This plus one served request. */
  public CountedUsage plus(Settlement s) {
    return new CountedUsage(
        requests + 1,
        inputTokens + s.inputTokens(),
        outputTokens + s.outputTokens(),
        costNanos + s.costNanos());
  }
}
