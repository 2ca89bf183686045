package dev.portcullis.gateway.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.Translator;
import dev.portcullis.gateway.provider.WireFormat;

/**
 * OpenAI upstreams report a stream's usage only when asked ({@code stream_options.include_usage});
 * the limits need it to settle tokens and cost. When an OpenAI client streams from an OpenAI-format
 * upstream without asking, the gateway asks for it and drops the usage chunk on the way back.
 * (Translators that need it ask on their own.)
 */
final class StreamUsage {
  private StreamUsage() {}

  /** Whether the gateway must add {@code include_usage} to this same-format request. */
  static boolean mustAsk(ClientCall call, RequestBody body, Translator translator) {
    return translator == null
        && call.format() == WireFormat.OPENAI
        && body.stream()
        && !body.includeUsage()
        && (call.operation() == Operation.CHAT || call.operation() == Operation.COMPLETIONS);
  }

  static void ask(ObjectNode request) {
    ObjectNode options =
        request.get("stream_options") instanceof ObjectNode o
            ? o
            : request.putObject("stream_options");
    options.put("include_usage", true);
  }
}
