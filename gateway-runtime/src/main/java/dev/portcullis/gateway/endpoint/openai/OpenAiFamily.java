package dev.portcullis.gateway.endpoint.openai;

import static dev.portcullis.gateway.endpoint.UsageExtractors.count;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.ARRAY;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.BOOLEAN;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.INTEGER;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.NUMBER;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.OBJECT;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.STRING;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.STRING_OR_ARRAY;
import static dev.portcullis.gateway.pipeline.RequestBody.FieldType.STRING_OR_OBJECT;

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
 * What the OpenAI endpoints (chat, completions, embeddings; also Azure OpenAI and compatible
 * servers upstream) share: the error body {@code {"error":{message,type,param,code}}}, a broken
 * stream ending in a data event carrying that body, usage in {@code usage}, and the common request
 * fields.
 */
public final class OpenAiFamily implements ClientFormatFamily {
  public static final OpenAiFamily INSTANCE = new OpenAiFamily();

  /** The top-level fields the OpenAI endpoints check, with their types. */
  public static final Map<String, FieldType> COMMON_FIELDS =
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

  private OpenAiFamily() {}

  @Override
  public WireFormat format() {
    return WireFormat.OPENAI;
  }

  @Override
  public ObjectNode errorBody(ApiError error) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ObjectNode e = root.putObject("error");
    e.put("message", error.message());
    e.put("type", error.kind().openAiType());
    if (error.param() != null) {
      e.put("param", error.param());
    } else {
      e.putNull("param");
    }
    if (error.code() != null) {
      e.put("code", error.code());
    } else {
      e.putNull("code");
    }
    return root;
  }

  @Override
  public SseEvent streamErrorEvent(ApiError error) {
    return SseEvent.data(errorBody(error).toString());
  }

  @Override
  public boolean isUsageOnlyEvent(SseEvent e) {
    String data = e.data();
    return data != null && data.contains("\"choices\":[]") && data.contains("\"usage\"");
  }

  @Override
  public String usageField() {
    return "usage";
  }

  /**
   * Chat completion, legacy completion or embeddings body: {@code usage.prompt_tokens}, {@code
   * usage.completion_tokens} (absent for embeddings), {@code
   * usage.prompt_tokens_details.cached_tokens}.
   */
  @Override
  public Optional<Usage> usage(ObjectNode answer) {
    return usageObject(answer.get("usage"));
  }

  /**
   * The chunk with a non-null {@code usage} (sent last when {@code stream_options.include_usage} is
   * set; some compatible servers repeat it, the last wins).
   */
  @Override
  public StreamUsageReader streamUsage() {
    return new StreamUsageReader() {
      private Usage last;

      @Override
      public void accept(JsonNode event) {
        usageObject(event.get("usage")).ifPresent(u -> last = u);
      }

      @Override
      public Optional<Usage> usage() {
        return Optional.ofNullable(last);
      }
    };
  }

  private static Optional<Usage> usageObject(JsonNode u) {
    if (u == null || !u.isObject()) {
      return Optional.empty();
    }
    return Optional.of(
        new Usage(
            count(u, "prompt_tokens"),
            count(u, "completion_tokens"),
            count(u.path("prompt_tokens_details"), "cached_tokens")));
  }

  /**
   * OpenAI upstreams report a stream's usage only when asked ({@code
   * stream_options.include_usage}); the limits need it to settle tokens and cost.
   */
  public static void askStreamUsage(ObjectNode request) {
    ObjectNode options =
        request.get("stream_options") instanceof ObjectNode o
            ? o
            : request.putObject("stream_options");
    options.put("include_usage", true);
  }

  /** A prompt or embeddings input: a string, strings, or pre-tokenized arrays of integers. */
  public static int inputTokens(JsonNode input, LocalTokenCounter tokens) {
    if (input == null || input.isNull()) {
      return 0;
    }
    if (input.isTextual()) {
      return tokens.count(input.asText());
    }
    int total = 0;
    for (JsonNode item : input) {
      total += item.isTextual() ? tokens.count(item.asText()) : item.isArray() ? item.size() : 1;
    }
    return total;
  }
}
