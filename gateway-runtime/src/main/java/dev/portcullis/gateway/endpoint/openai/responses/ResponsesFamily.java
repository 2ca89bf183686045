package dev.portcullis.gateway.endpoint.openai.responses;

import static dev.portcullis.gateway.endpoint.UsageExtractors.count;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.endpoint.ClientFormatFamily;
import dev.portcullis.gateway.endpoint.openai.OpenAiFamily;
import dev.portcullis.gateway.http.ApiError;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.Optional;

/**
 * The OpenAI Responses API as a format: OpenAI's error body, a broken stream ended by an {@code
 * error} event, usage as {@code input_tokens}/{@code output_tokens} in the response object (whole)
 * or in the {@code response.completed} event's response (streamed).
 */
public final class ResponsesFamily implements ClientFormatFamily {
  public static final ResponsesFamily INSTANCE = new ResponsesFamily();

  private ResponsesFamily() {}

  @Override
  public WireFormat format() {
    return WireFormat.OPENAI_RESPONSES;
  }

  /** The same body as every OpenAI endpoint: {@code {"error":{message,type,param,code}}}. */
  @Override
  public ObjectNode errorBody(ApiError error) {
    return OpenAiFamily.INSTANCE.errorBody(error);
  }

  /** The Responses API's {@code error} stream event (what the SDKs surface as an error event). */
  @Override
  public SseEvent streamErrorEvent(ApiError error) {
    ObjectNode event = JsonNodeFactory.instance.objectNode();
    event.put("type", "error");
    event.put("code", error.code() != null ? error.code() : error.kind().openAiType());
    event.put("message", error.message());
    if (error.param() != null) {
      event.put("param", error.param());
    } else {
      event.putNull("param");
    }
    event.put("sequence_number", 0);
    return SseEvent.named("error", event.toString());
  }

  @Override
  public String usageField() {
    return "usage";
  }

  /**
   * {@code usage.input_tokens} (cached included), {@code usage.output_tokens}, {@code
   * usage.input_tokens_details.cached_tokens}.
   */
  @Override
  public Optional<Usage> usage(ObjectNode answer) {
    return usageObject(answer.get("usage"));
  }

  /** The response carried by the terminal event ({@code response.completed} and its siblings). */
  @Override
  public StreamUsageReader streamUsage() {
    return new StreamUsageReader() {
      private Usage last;

      @Override
      public void accept(JsonNode event) {
        JsonNode response = event.get("response");
        if (response != null) {
          usageObject(response.get("usage")).ifPresent(u -> last = u);
        }
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
            count(u, "input_tokens"),
            count(u, "output_tokens"),
            count(u.path("input_tokens_details"), "cached_tokens")));
  }
}
