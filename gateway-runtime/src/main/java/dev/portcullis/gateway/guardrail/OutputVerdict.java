package dev.portcullis.gateway.guardrail;

import java.util.List;

/**
 * The output checks' answer for a whole (non-streamed) answer.
 *
 * @param text the assistant text to deliver, redacted where a check said so
 * @param toolArguments each tool call's arguments to deliver, in the order given, redacted likewise
 * @param denial why the answer is withheld (answer with {@code content_filter} / {@code refusal}),
 *     or null
 * @param verdicts the request's verdicts (input and output), for {@code x-portcullis-guardrails}
 */
public record OutputVerdict(
    String text, List<String> toolArguments, GuardrailDenial denial, List<String> verdicts) {
  public OutputVerdict {
    toolArguments = List.copyOf(toolArguments);
    verdicts = List.copyOf(verdicts);
  }

  public boolean denied() {
    return denial != null;
  }
}
