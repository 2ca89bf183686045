package dev.portcullis.gateway.provider.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.provider.Translator;
import dev.portcullis.gateway.provider.WireFormat;

/**
 * OpenAI clients in front of Gemini: the facade the pipeline calls, composed of one mapper per part
 * ({@link OpenAiToGeminiRequestMapper}, {@link OpenAiToGeminiResponseMapper}, {@link
 * OpenAiToGeminiStreamMapper}, {@link OpenAiToGeminiErrorMapper}) over the terms in {@link
 * OpenAiGeminiVocabulary} and the content pieces in {@link OpenAiGeminiContent}. Chat completions,
 * legacy completions and embeddings are served; token counting is not.
 */
public final class OpenAiToGeminiTranslator implements Translator {

  @Override
  public WireFormat client() {
    return WireFormat.OPENAI;
  }

  @Override
  public WireFormat upstream() {
    return WireFormat.GEMINI;
  }

  @Override
  public ObjectNode request(Operation operation, ObjectNode clientRequest) {
    return OpenAiToGeminiRequestMapper.map(operation, clientRequest);
  }

  @Override
  public ObjectNode response(Operation operation, ObjectNode upstreamResponse, String clientModel) {
    return OpenAiToGeminiResponseMapper.map(operation, upstreamResponse, clientModel);
  }

  @Override
  public StreamTranslator stream(Operation operation, String clientModel) {
    if (operation != Operation.CHAT && operation != Operation.COMPLETIONS) {
      throw new IllegalArgumentException(operation + " cannot be streamed");
    }
    return new OpenAiToGeminiStreamMapper(operation, clientModel);
  }

  @Override
  public ObjectNode error(int status, ObjectNode upstreamError) {
    return OpenAiToGeminiErrorMapper.body(status, upstreamError);
  }
}
