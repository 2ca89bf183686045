package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The input checks' answer for one request.
 *
 * @param body the request body to send on: the caller's own tree when nothing was redacted, else a
 *     rewritten copy
 * @param rewritten whether {@code body} differs from the caller's (something was redacted)
 * @param denial why the request is refused (answer 400 in the caller's format, no upstream call,
 *     nothing spent), or null
 * @param verdicts the verdicts so far, for {@code x-portcullis-guardrails}
 */
public record InputVerdict(
    JsonNode body, boolean rewritten, GuardrailDenial denial, List<String> verdicts) {
  public InputVerdict {
    verdicts = List.copyOf(verdicts);
  }

  public boolean denied() {
    return denial != null;
  }
}
