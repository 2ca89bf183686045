package dev.portcullis.gateway.guardrail;

import java.util.ArrayList;
import java.util.List;

/**
 * One streamed answer (an OpenAI choice, an Anthropic message, a Responses API response) and its
 * channels: text (one per OpenAI choice, Anthropic text block, Responses text part) and tool-call
 * arguments (one per OpenAI tool call, Anthropic {@code tool_use} block, Responses function call).
 * Each channel is an {@link OutputStreamScanner} running the span checks as it flows; {@link
 * #finish} runs the whole-text checks once, at the answer's end, over what the channels released —
 * the text and the arguments as {@link RequestGuardrails#checkOutput} judges them on a whole
 * answer. The released text is kept only when the policy has whole-text checks. Not thread-safe (a
 * stream is read by one thread).
 */
public final class StreamedAnswer {
  private final RequestGuardrails request;
  private final boolean keep;
  private final List<StringBuilder> texts = new ArrayList<>();
  private final List<StringBuilder> arguments = new ArrayList<>();
  private boolean finished;

  StreamedAnswer(RequestGuardrails request, boolean judgesWholeText) {
    this.request = request;
    this.keep = judgesWholeText;
  }

  /** A scanner for the next text channel; texts are judged joined in the order they were opened. */
  public OutputStreamScanner text() {
    return request.spanScanner(channel(texts));
  }

  /** A scanner for the next tool call's arguments, judged in the order they were opened. */
  public OutputStreamScanner arguments() {
    return request.spanScanner(channel(arguments));
  }

  private StringBuilder channel(List<StringBuilder> kind) {
    if (!keep) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    kind.add(b);
    return b;
  }

  /**
   * The answer ended (its channels finished): runs the whole-text checks over the released text and
   * arguments. Returns the denial (end the stream with the refusal signal instead of its normal
   * end), or null. Runs once; later calls return null.
   */
  public GuardrailDenial finish() {
    if (!keep || finished) {
      return null;
    }
    finished = true;
    StringBuilder text = new StringBuilder();
    texts.forEach(text::append);
    List<String> args = new ArrayList<>(arguments.size());
    arguments.forEach(a -> args.add(a.toString()));
    return request.judgeAnswer(text.toString(), args);
  }
}
