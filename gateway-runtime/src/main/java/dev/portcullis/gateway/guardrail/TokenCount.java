package dev.portcullis.gateway.guardrail;

/**
 * A token count the caller already has, or can count once and share: on input, the prompt's tokens
 * as the gateway counts them for its limits and budgets, so the {@code length} check and admission
 * tokenize the prompt once between them.
 */
public interface TokenCount {
  /** A cheap upper bound of {@link #count()}: at or under the limit, no counting is needed. */
  long atMost();

  /**
   * A cheap lower bound of {@link #count()} (the count itself once it is made): over the limit, no
   * counting is needed.
   */
  long atLeast();

  /** The count (computed at most once). */
  int count();
}
