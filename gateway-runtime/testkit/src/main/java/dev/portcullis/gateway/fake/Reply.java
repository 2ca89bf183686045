package dev.portcullis.gateway.fake;

import java.util.List;

/**
 * The answer the fake will give, before it is written in a protocol's format.
 *
 * @param id the response id (with the protocol's prefix)
 * @param model the model name to echo
 * @param created epoch seconds
 * @param pieces the output tokens: words of the text, or fragments of the tool-call arguments
 * @param finish why generation stopped
 * @param toolCall the tool call, or {@code null} for a text reply
 * @param promptTokens input tokens reported in usage
 * @param includeUsage OpenAI streams: send the final usage chunk
 */
record Reply(
    String id,
    String model,
    long created,
    List<String> pieces,
    Finish finish,
    ToolCall toolCall,
    int promptTokens,
    boolean includeUsage) {

  /** Why the reply ended. */
  enum Finish {
    STOP,
    LENGTH,
    TOOL_CALL
  }

  /**
   * @param id call id ({@code call_…} / {@code toolu_…})
   * @param name function name
   * @param arguments arguments as a JSON object text
   */
  record ToolCall(String id, String name, String arguments) {}

  int completionTokens() {
    return pieces.size();
  }

  String text() {
    return String.join("", pieces);
  }
}
