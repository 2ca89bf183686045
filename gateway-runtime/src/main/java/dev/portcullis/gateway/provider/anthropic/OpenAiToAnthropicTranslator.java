package dev.portcullis.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.provider.Translator;
import dev.portcullis.gateway.provider.WireFormat;
import java.time.Clock;

/**
 * OpenAI chat-completions clients served by the Anthropic Messages API: the facade the pipeline
 * calls, composed of one mapper per part ({@link OpenAiToAnthropicRequestMapper}, {@link
 * OpenAiToAnthropicResponseMapper}, {@link OpenAiToAnthropicStreamMapper}, {@link
 * OpenAiToAnthropicErrorMapper}). The terms both formats share are in {@link
 * OpenAiAnthropicVocabulary} and the content pieces in {@link OpenAiAnthropicContent}, written once
 * for this translator and its reverse, {@link AnthropicToOpenAiTranslator}. Only chat completions
 * can be served.
 */
public final class OpenAiToAnthropicTranslator implements Translator {
  /** Used when the client sets neither {@code max_completion_tokens} nor {@code max_tokens}. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  private final OpenAiToAnthropicRequestMapper requests;
  private final OpenAiToAnthropicResponseMapper responses;
  private final Clock clock;

  public OpenAiToAnthropicTranslator() {
    this(DEFAULT_MAX_TOKENS, Clock.systemUTC());
  }

  public OpenAiToAnthropicTranslator(int defaultMaxTokens, Clock clock) {
    if (defaultMaxTokens < 1) {
      throw new IllegalArgumentException("defaultMaxTokens must be positive");
    }
    this.requests = new OpenAiToAnthropicRequestMapper(defaultMaxTokens);
    this.responses = new OpenAiToAnthropicResponseMapper(clock);
    this.clock = clock;
  }

  @Override
  public WireFormat client() {
    return WireFormat.OPENAI;
  }

  @Override
  public WireFormat upstream() {
    return WireFormat.ANTHROPIC;
  }

  @Override
  public ObjectNode request(Operation operation, ObjectNode clientRequest) {
    requireChat(operation);
    return requests.map(clientRequest);
  }

  @Override
  public ObjectNode response(Operation operation, ObjectNode upstreamResponse, String clientModel) {
    requireChat(operation);
    return responses.map(upstreamResponse, clientModel);
  }

  @Override
  public StreamTranslator stream(Operation operation, String clientModel) {
    requireChat(operation);
    return new OpenAiToAnthropicStreamMapper(clientModel, false, clock);
  }

  /** The client's {@code stream_options.include_usage} decides whether a usage chunk is sent. */
  @Override
  public StreamTranslator stream(
      Operation operation, String clientModel, ObjectNode clientRequest) {
    requireChat(operation);
    boolean includeUsage =
        clientRequest != null
            && clientRequest.path("stream_options").path("include_usage").asBoolean(false);
    return new OpenAiToAnthropicStreamMapper(clientModel, includeUsage, clock);
  }

  @Override
  public ObjectNode error(int status, ObjectNode upstreamError) {
    return OpenAiToAnthropicErrorMapper.body(status, upstreamError);
  }

  private static void requireChat(Operation operation) {
    if (operation != Operation.CHAT) {
      throw new IllegalArgumentException(
          operation + " cannot be served by an Anthropic target; only chat completions can");
    }
  }
}
