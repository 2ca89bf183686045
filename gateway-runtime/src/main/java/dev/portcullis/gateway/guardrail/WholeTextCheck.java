package dev.portcullis.gateway.guardrail;

/**
 * A check that judges complete text (a length, a JSON document, a prompt-injection score, a
 * webhook's opinion, a {@code regex} that must match somewhere). It cannot mask part of a text, and
 * on a stream it runs once, at the end.
 */
public non-sealed interface WholeTextCheck extends ContentCheck {

  /**
   * Whether the check fires on the complete {@code text} (for a webhook, a failure already turned
   * into its failure mode's answer).
   */
  boolean fires(String text, CheckContext context);
}
