package dev.portcullis.gateway.limits;

/**
 * The answer to a {@link Demand}: admitted with a ticket to settle, or refused with the reason.
 *
 * @param ticket null when refused
 * @param budgetReached spent plus reserved had reached the budget before this request (for a Warn
 *     budget the request is still admitted and flagged)
 */
public record Decision(Refusal refusal, Ticket ticket, Quota quota, boolean budgetReached) {

  /** Why a demand was refused; {@code NONE} when admitted. */
  public enum Refusal {
    NONE,
    REQUESTS_PER_MINUTE,
    TOKENS_PER_MINUTE,
    CONCURRENCY,
    BUDGET
  }

  public boolean admitted() {
    return refusal == Refusal.NONE;
  }
}
