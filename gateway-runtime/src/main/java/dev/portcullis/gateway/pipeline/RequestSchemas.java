package dev.portcullis.gateway.pipeline;

import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.ARRAY;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.BOOLEAN;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.INTEGER;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.NUMBER;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.OBJECT;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.STRING;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.STRING_OR_ARRAY;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.STRING_OR_OBJECT;

import dev.portcullis.gateway.pipeline.RequestBody.FieldType;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.List;
import java.util.Map;

/**
 * The top-level fields each endpoint checks before routing: their JSON types and which are
 * required. Deeper validation is the upstream's job; the gateway only needs enough to route and to
 * fail fast with a message naming the field.
 */
final class RequestSchemas {
  private RequestSchemas() {}

  record Schema(Map<String, FieldType> types, List<String> required) {}

  private static final Map<String, FieldType> OPENAI_COMMON =
      Map.ofEntries(
          Map.entry("model", STRING),
          Map.entry("stream", BOOLEAN),
          Map.entry("stream_options", OBJECT),
          Map.entry("temperature", NUMBER),
          Map.entry("top_p", NUMBER),
          Map.entry("n", INTEGER),
          Map.entry("max_tokens", INTEGER),
          Map.entry("max_completion_tokens", INTEGER),
          Map.entry("presence_penalty", NUMBER),
          Map.entry("frequency_penalty", NUMBER),
          Map.entry("stop", STRING_OR_ARRAY),
          Map.entry("user", STRING),
          Map.entry("seed", INTEGER),
          Map.entry("logit_bias", OBJECT),
          Map.entry("metadata", OBJECT),
          Map.entry("messages", ARRAY),
          Map.entry("tools", ARRAY),
          Map.entry("tool_choice", STRING_OR_OBJECT),
          Map.entry("parallel_tool_calls", BOOLEAN),
          Map.entry("response_format", OBJECT),
          Map.entry("prompt", STRING_OR_ARRAY),
          Map.entry("input", STRING_OR_ARRAY),
          Map.entry("dimensions", INTEGER),
          Map.entry("encoding_format", STRING));

  private static final Map<String, FieldType> ANTHROPIC =
      Map.ofEntries(
          Map.entry("model", STRING),
          Map.entry("stream", BOOLEAN),
          Map.entry("max_tokens", INTEGER),
          Map.entry("messages", ARRAY),
          Map.entry("system", STRING_OR_ARRAY),
          Map.entry("temperature", NUMBER),
          Map.entry("top_p", NUMBER),
          Map.entry("top_k", INTEGER),
          Map.entry("stop_sequences", ARRAY),
          Map.entry("tools", ARRAY),
          Map.entry("tool_choice", OBJECT),
          Map.entry("metadata", OBJECT),
          Map.entry("thinking", OBJECT));

  static Schema of(WireFormat format, Operation operation) {
    if (format == WireFormat.ANTHROPIC) {
      return switch (operation) {
        case COUNT_TOKENS -> new Schema(ANTHROPIC, List.of("model", "messages"));
        default -> new Schema(ANTHROPIC, List.of("model", "messages", "max_tokens"));
      };
    }
    return switch (operation) {
      case CHAT -> new Schema(OPENAI_COMMON, List.of("model", "messages"));
      case COMPLETIONS -> new Schema(OPENAI_COMMON, List.of("model", "prompt"));
      case EMBEDDINGS -> new Schema(OPENAI_COMMON, List.of("model", "input"));
      case COUNT_TOKENS -> new Schema(OPENAI_COMMON, List.of("model"));
    };
  }
}
