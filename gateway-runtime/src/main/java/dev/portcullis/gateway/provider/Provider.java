package dev.portcullis.gateway.provider;

import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.TargetConfig;
import java.util.Optional;

/**
 * One upstream provider (openai, azure-openai, anthropic, gemini, openai-compatible, echo). It
 * knows its wire format, its URLs and how it authenticates; translating bodies between formats is
 * the job of {@link Translator}s. Register new providers in {@link ProviderRegistry}.
 */
public interface Provider {
  /** The id used in {@code LLMRoute.spec.targets[].provider}. */
  String id();

  WireFormat format();

  /**
   * The format this provider is spoken to in for a client of {@code clientFormat}: its own {@link
   * #format()}, unless it also speaks the client's format natively (OpenAI and Azure OpenAI speak
   * the Responses API), in which case the request passes through untranslated.
   */
  default WireFormat formatFor(WireFormat clientFormat) {
    return format();
  }

  /** Whether this provider can serve the operation at all (e.g. Anthropic has no embeddings). */
  boolean supports(Operation operation);

  /**
   * Builds the upstream request.
   *
   * @param body the request body, already in this provider's wire format, model already rewritten
   *     to {@code upstreamModel} where the format carries the model in the body
   * @param credential the API key to use (the route's or the virtual key's own), may be null
   */
  UpstreamRequest request(
      Operation operation,
      TargetConfig target,
      String upstreamModel,
      boolean stream,
      SecretValue credential,
      byte[] body);

  /** An in-process transport (echo); empty = send over HTTP. */
  default Optional<UpstreamTransport> transport() {
    return Optional.empty();
  }
}
