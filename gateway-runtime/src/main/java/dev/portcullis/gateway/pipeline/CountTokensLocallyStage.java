package dev.portcullis.gateway.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.endpoint.LocalTokenCounter;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.ProviderRegistry;
import dev.portcullis.gateway.routing.Attempt;

/**
 * Answers Anthropic's {@code count_tokens} in the gateway when the first planned target's provider
 * has no count endpoint of its own: the count is local (o200k), costs nothing and takes no limit.
 */
final class CountTokensLocallyStage implements Stage {
  private final ProviderRegistry providers;
  private final LocalTokenCounter tokenCounter = new LocalTokenCounter();

  CountTokensLocallyStage(ProviderRegistry providers) {
    this.providers = providers;
  }

  @Override
  public Flow apply(RequestContext request) {
    if (request.call().operation() != Operation.COUNT_TOKENS
        || canForward(request.plan().getFirst())) {
      return Flow.CONTINUE;
    }
    int tokens = request.call().endpoint().promptTokens(request.body().tree(), tokenCounter);
    ObjectNode result = RequestBody.JSON.createObjectNode().put("input_tokens", tokens);
    request.send(200, RequestBody.serialize(result));
    return Flow.ANSWERED;
  }

  private boolean canForward(Attempt attempt) {
    return providers
        .find(attempt.target().provider())
        .map(p -> p.supports(Operation.COUNT_TOKENS))
        .orElse(false);
  }
}
