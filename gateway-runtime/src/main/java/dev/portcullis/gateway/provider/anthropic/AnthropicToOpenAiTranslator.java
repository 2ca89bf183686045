package dev.portcullis.gateway.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.endpoint.LocalTokenCounter;
import dev.portcullis.gateway.endpoint.anthropic.AnthropicFamily;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.provider.Translator;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.concurrent.CompletableFuture;

/**
 * Anthropic Messages clients served by an OpenAI chat-completions upstream: the facade the pipeline
 * calls, composed of one mapper per part ({@link AnthropicToOpenAiRequestMapper}, {@link
 * AnthropicToOpenAiResponseMapper}, {@link AnthropicToOpenAiStreamMapper}, {@link
 * AnthropicToOpenAiErrorMapper}). The terms both formats share are in {@link
 * OpenAiAnthropicVocabulary} and the content pieces in {@link OpenAiAnthropicContent}, written once
 * for this translator and its reverse, {@link OpenAiToAnthropicTranslator}. {@code count_tokens}
 * has no OpenAI endpoint.
 */
public final class AnthropicToOpenAiTranslator implements Translator {
  private final LocalTokenCounter tokenCounter = new LocalTokenCounter();

  @Override
  public WireFormat client() {
    return WireFormat.ANTHROPIC;
  }

  @Override
  public WireFormat upstream() {
    return WireFormat.OPENAI;
  }

  @Override
  public ObjectNode request(Operation operation, ObjectNode clientRequest) {
    requireChat(operation);
    return AnthropicToOpenAiRequestMapper.map(clientRequest);
  }

  @Override
  public ObjectNode response(Operation operation, ObjectNode upstreamResponse, String clientModel) {
    requireChat(operation);
    return AnthropicToOpenAiResponseMapper.map(upstreamResponse, clientModel);
  }

  /** Without the client's request, {@code message_start} reports zero input tokens. */
  @Override
  public StreamTranslator stream(Operation operation, String clientModel) {
    requireChat(operation);
    return new AnthropicToOpenAiStreamMapper(clientModel, () -> 0);
  }

  /**
   * {@code message_start} reports the request's input tokens counted locally (o200k BPE, as for the
   * limits' reservations); the upstream's count replaces it in {@code message_delta}. The count
   * runs on a virtual thread from the moment the stream opens, so it overlaps the upstream's time
   * to first token instead of adding to it; {@code message_start} waits for it if it is not done.
   */
  @Override
  public StreamTranslator stream(
      Operation operation, String clientModel, ObjectNode clientRequest) {
    requireChat(operation);
    if (clientRequest == null) {
      return stream(operation, clientModel);
    }
    CompletableFuture<Integer> count =
        CompletableFuture.supplyAsync(
            () -> AnthropicFamily.promptTokens(clientRequest, tokenCounter),
            task -> Thread.ofVirtual().name("input-token-count").start(task));
    // A count that fails (it should not) leaves the estimate at 0, as before it existed.
    return new AnthropicToOpenAiStreamMapper(clientModel, () -> count.exceptionally(e -> 0).join());
  }

  @Override
  public ObjectNode error(int status, ObjectNode upstreamError) {
    return AnthropicToOpenAiErrorMapper.body(status, upstreamError);
  }

  private static void requireChat(Operation operation) {
    if (operation != Operation.CHAT) {
      throw new IllegalArgumentException(
          operation + " cannot be served by an OpenAI target; only messages can");
    }
  }
}
