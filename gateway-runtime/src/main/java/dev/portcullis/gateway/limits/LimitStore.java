package dev.portcullis.gateway.limits;

/**
 * Counters behind rate limits, concurrency caps and budgets. Implementations have the same
 * semantics: {@link InProcessLimitStore} (one gateway) and {@link RedisLimitStore} (the fleet).
 *
 * <p>Windows are sliding: the requests and tokens of the last 60 one-second buckets count. A demand
 * is admitted while the window is below the limit, so tokens overshoot by at most one reservation.
 * A Block budget admits while spent + reserved is below the amount.
 */
public interface LimitStore extends AutoCloseable {
  /**
   * Checks every limit of the demand and, only if all pass, reserves against all of them, in one
   * atomic step.
   *
   * @throws StoreUnavailableException when the store cannot be reached
   */
  Decision reserve(Demand demand);

  /**
   * Replaces the ticket's reservation with what was really used (or releases it). Called exactly
   * once per admitted ticket.
   *
   * @throws StoreUnavailableException when the store cannot be reached
   */
  void settle(Ticket ticket, Settlement settlement);

  /**
   * Records usage of a request that reserved nothing (its subject has no limits), for the ledger.
   */
  void record(Demand demand, Settlement settlement);

  /**
   * Adds usage counted elsewhere (by a gateway's local counters while this store was unreachable)
   * to the subject's ledger for the period: spend, requests and tokens; nothing is reserved and no
   * rate window changes (those windows have long moved on).
   */
  void addUsage(String subject, BudgetPeriod period, CountedUsage usage, long nowMillis);

  /** The subject's usage in one period. */
  KeyUsage usage(String subject, BudgetPeriod period);

  /** Whether every gateway of the fleet sees the same counters in this store (Redis). */
  default boolean sharedAcrossGateways() {
    return false;
  }

  @Override
  void close();
}
