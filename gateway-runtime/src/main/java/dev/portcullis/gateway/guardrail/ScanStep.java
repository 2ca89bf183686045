package dev.portcullis.gateway.guardrail;

/**
 * What a streamed answer's scanner lets through after a delta (or at the end).
 *
 * @param release text to forward now (possibly empty; redacted where a check said so)
 * @param denial when not null: forward {@code release}, then end the stream with the refusal signal
 *     and cancel the upstream; the scanner releases nothing more
 */
public record ScanStep(String release, GuardrailDenial denial) {
  public boolean denied() {
    return denial != null;
  }
}
