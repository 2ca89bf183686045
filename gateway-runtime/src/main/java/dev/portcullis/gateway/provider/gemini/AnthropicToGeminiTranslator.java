package dev.portcullis.gateway.provider.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.ComposedTranslator;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.provider.Translator;
import dev.portcullis.gateway.provider.WireFormat;

/**
 * Anthropic clients in front of Gemini, by way of the OpenAI format: Anthropic → OpenAI with the
 * given translator, then OpenAI → Gemini, and back the same way. Two hops cost a little CPU but
 * keep each mapping written (and tested) once.
 */
public final class AnthropicToGeminiTranslator implements Translator {
  private final Translator composed;

  /**
   * @param anthropicToOpenAi the translator for Anthropic clients in front of OpenAI upstreams
   */
  public AnthropicToGeminiTranslator(Translator anthropicToOpenAi) {
    if (anthropicToOpenAi.client() != WireFormat.ANTHROPIC
        || anthropicToOpenAi.upstream() != WireFormat.OPENAI) {
      throw new IllegalArgumentException(
          "expected an ANTHROPIC→OPENAI translator, got "
              + anthropicToOpenAi.client()
              + "→"
              + anthropicToOpenAi.upstream());
    }
    this.composed = new ComposedTranslator(anthropicToOpenAi, new OpenAiToGeminiTranslator());
  }

  @Override
  public WireFormat client() {
    return WireFormat.ANTHROPIC;
  }

  @Override
  public WireFormat upstream() {
    return WireFormat.GEMINI;
  }

  @Override
  public ObjectNode request(Operation operation, ObjectNode clientRequest) {
    return composed.request(operation, clientRequest);
  }

  @Override
  public ObjectNode response(Operation operation, ObjectNode upstreamResponse, String clientModel) {
    return composed.response(operation, upstreamResponse, clientModel);
  }

  @Override
  public StreamTranslator stream(Operation operation, String clientModel) {
    return composed.stream(operation, clientModel);
  }

  @Override
  public StreamTranslator stream(
      Operation operation, String clientModel, ObjectNode clientRequest) {
    return composed.stream(operation, clientModel, clientRequest);
  }

  @Override
  public ObjectNode error(int status, ObjectNode upstreamError) {
    return composed.error(status, upstreamError);
  }
}
