package dev.portcullis.gateway.endpoint.anthropic;

import static dev.portcullis.gateway.endpoint.UsageExtractors.count;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.ARRAY;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.BOOLEAN;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.INTEGER;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.NUMBER;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.OBJECT;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.STRING;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.STRING_OR_ARRAY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.endpoint.ClientFormatFamily;
import dev.portcullis.gateway.endpoint.LocalTokenCounter;
import dev.portcullis.gateway.http.ApiError;
import dev.portcullis.gateway.pipeline.RequestBody.FieldType;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.Map;
import java.util.Optional;

/**
 * What the Anthropic endpoints (messages, count_tokens) share: the error body {@code
 * {"type":"error","error":{type,message}}}, a broken stream ending in a named {@code error} event,
 * usage in {@code usage} with cache reads and writes outside {@code input_tokens}, and the request
 * fields.
 */
public final class AnthropicFamily implements ClientFormatFamily {
  public static final AnthropicFamily INSTANCE = new AnthropicFamily();

  /** Per-message framing overhead of a local count (OpenAI's documented figure, as an estimate). */
  private static final int PER_MESSAGE = 3;

  /** The top-level fields the Anthropic endpoints check, with their types. */
  public static final Map<String, FieldType> FIELDS =
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

  private AnthropicFamily() {}

  @Override
  public WireFormat format() {
    return WireFormat.ANTHROPIC;
  }

  @Override
  public ObjectNode errorBody(ApiError error) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("type", "error");
    ObjectNode e = root.putObject("error");
    e.put("type", error.kind().anthropicType());
    e.put("message", error.message());
    return root;
  }

  @Override
  public SseEvent streamErrorEvent(ApiError error) {
    return SseEvent.named("error", errorBody(error).toString());
  }

  @Override
  public String usageField() {
    return "usage";
  }

  /**
   * Message body: {@code usage.input_tokens} excludes cache reads and writes, so they are added
   * back to get every prompt token.
   */
  @Override
  public Optional<Usage> usage(ObjectNode answer) {
    JsonNode u = answer.get("usage");
    if (u == null || !u.isObject()) {
      return Optional.empty();
    }
    long cacheRead = count(u, "cache_read_input_tokens");
    return Optional.of(
        new Usage(
            count(u, "input_tokens") + cacheRead + count(u, "cache_creation_input_tokens"),
            count(u, "output_tokens"),
            cacheRead));
  }

  /**
   * {@code message_start.message.usage} gives input and cache counts; each {@code
   * message_delta.usage} carries the cumulative output count and may restate input counts.
   */
  @Override
  public StreamUsageReader streamUsage() {
    return new StreamUsageReader() {
      private boolean seen;
      private long input;
      private long cacheRead;
      private long cacheCreation;
      private long output;

      @Override
      public void accept(JsonNode node) {
        String type = node.path("type").asText();
        JsonNode u =
            switch (type) {
              case "message_start" -> node.path("message").get("usage");
              case "message_delta" -> node.get("usage");
              default -> null;
            };
        if (u == null || !u.isObject()) {
          return;
        }
        seen = true;
        // Later events restate counts cumulatively; a field absent from one keeps its value.
        input = restated(u, "input_tokens", input);
        cacheRead = restated(u, "cache_read_input_tokens", cacheRead);
        cacheCreation = restated(u, "cache_creation_input_tokens", cacheCreation);
        output = restated(u, "output_tokens", output);
      }

      @Override
      public Optional<Usage> usage() {
        return seen
            ? Optional.of(new Usage(input + cacheRead + cacheCreation, output, cacheRead))
            : Optional.empty();
      }
    };
  }

  private static long restated(JsonNode usage, String field, long previous) {
    JsonNode value = usage.get(field);
    return value != null && value.canConvertToLong() ? Math.max(0, value.asLong()) : previous;
  }

  /** Tokens of a messages request: system, messages, tool definitions. */
  public static int promptTokens(JsonNode request, LocalTokenCounter tokens) {
    int total = contentTokens(request.get("system"), tokens);
    JsonNode messages = request.get("messages");
    if (messages != null) {
      for (JsonNode m : messages) {
        total += PER_MESSAGE + contentTokens(m.get("content"), tokens);
      }
    }
    JsonNode tools = request.get("tools");
    if (tools != null) {
      total += tokens.count(tools.toString());
    }
    return total;
  }

  private static int contentTokens(JsonNode content, LocalTokenCounter tokens) {
    if (content == null || content.isNull()) {
      return 0;
    }
    if (content.isTextual()) {
      return tokens.count(content.asText());
    }
    int total = 0;
    for (JsonNode block : content) {
      if (block.has("text")) {
        total += tokens.count(block.get("text").asText());
      } else if (block.has("input")) {
        total += tokens.count(block.get("input").toString());
      } else if (block.has("content")) {
        total += contentTokens(block.get("content"), tokens);
      } else if ("image".equals(block.path("type").asText())) {
        total += 1_600; // Anthropic's documented upper estimate for one image
      }
    }
    return total;
  }
}
