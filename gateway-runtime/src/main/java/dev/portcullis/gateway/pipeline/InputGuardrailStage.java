package dev.portcullis.gateway.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.gateway.endpoint.LocalTokenCounter;
import dev.portcullis.gateway.guardrail.CompiledPoliciesCache;
import dev.portcullis.gateway.guardrail.GuardrailDenial;
import dev.portcullis.gateway.guardrail.GuardrailRequest;
import dev.portcullis.gateway.guardrail.InputVerdict;
import dev.portcullis.gateway.guardrail.RequestGuardrails;
import dev.portcullis.gateway.guardrail.TokenCount;
import dev.portcullis.gateway.guardrail.TokenCounter;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Runs the route's input guardrail policies on the parsed body, in the caller's format, after
 * routing and before admission (so a denied prompt spends no quota, budget or upstream call), and
 * arms the output policies for the relay.
 *
 * <p>Deny answers 400 {@code guardrail_denied} in the caller's format with the policy's message and
 * the policy and check names, never the matched text. Redact replaces the body every later stage
 * sends on (the same-format fast path rewrites the model bytes of the redacted body). Flag only
 * records a verdict. Verdicts go to {@code x-portcullis-guardrails} and {@link
 * RequestContext#guardrailVerdicts()}.
 *
 * <p>Policies are compiled once per snapshot version ({@link CompiledPoliciesCache#forSnapshot}: a
 * request pays one version comparison). A policy that does not compile, or that the snapshot does
 * not hold, fails its routes closed: 503 {@code guardrail_unavailable}, never served unchecked.
 */
final class InputGuardrailStage implements Stage {
  static final String HEADER = "x-portcullis-guardrails";

  private final CompiledPoliciesCache policies;
  private final LocalTokenCounter tokenCounter = new LocalTokenCounter();

  InputGuardrailStage() {
    this(
        new CompiledPoliciesCache(
            TokenCounter.of(new LocalTokenCounter()::count, LocalTokenCounter.LOWER_BOUND::count)));
  }

  InputGuardrailStage(CompiledPoliciesCache policies) {
    this.policies = policies;
  }

  @Override
  public Flow apply(RequestContext request) {
    RouteConfig route = request.route();
    if (route.inputGuardrails().isEmpty() && route.outputGuardrails().isEmpty()) {
      return Flow.CONTINUE;
    }
    KeyConfig key = request.key();
    ClientCall call = request.call();
    RequestGuardrails guardrails =
        policies
            .forSnapshot(request.state().snapshot())
            .forRequest(
                route.inputGuardrails(),
                route.outputGuardrails(),
                new GuardrailRequest(
                    call.requestId(),
                    route.id().qualifiedName(),
                    request.body().model(),
                    key.keyId(),
                    key.id().namespace(),
                    key.metadata()));
    request.guardrails(guardrails);
    if (guardrails.hasInputChecks()) {
      // The body that goes on (the redacted copy, if any) is counted at most once, for the length
      // check and admission's reservation together.
      Map<JsonNode, RequestBody> bodies = new IdentityHashMap<>(2);
      bodies.put(request.body().tree(), request.body());
      InputVerdict verdict =
          guardrails.checkInput(
              call.format(),
              call.operation(),
              request.body().tree(),
              tree -> promptTokens(bodies.computeIfAbsent(tree, RequestBody::of), call));
      report(request, guardrails);
      if (verdict.denied()) {
        throw refusal(verdict.denial());
      }
      if (verdict.rewritten()) {
        request.body(bodies.computeIfAbsent(verdict.body(), RequestBody::of));
      }
    }
    if (guardrails.hasOutputChecks()) {
      request.rewriteAnswers(new AnswerGuardrails(request, guardrails)::rewrite);
    }
    return Flow.CONTINUE;
  }

  private TokenCount promptTokens(RequestBody body, ClientCall call) {
    return new TokenCount() {
      @Override
      public long atMost() {
        return body.promptTokensAtMost();
      }

      @Override
      public long atLeast() {
        return body.promptTokensAtLeast(call.endpoint());
      }

      @Override
      public int count() {
        return body.promptTokens(call.endpoint(), tokenCounter);
      }
    };
  }

  /** Copies the verdicts so far to the header (while it can still be set) and the context. */
  static void report(RequestContext request, RequestGuardrails guardrails) {
    request.guardrailVerdicts().clear();
    request.guardrailVerdicts().addAll(guardrails.verdicts());
    String header = guardrails.verdictHeader();
    if (header != null && !request.committed()) {
      request.header(HEADER, header);
    }
  }

  private static GatewayException refusal(GuardrailDenial denial) {
    if (denial.check().equals("(policy)")) {
      // A policy the gateway could not compile (or does not have): the route fails closed.
      return new GatewayException(ErrorKind.UNAVAILABLE, "guardrail_unavailable", denial.message());
    }
    return new GatewayException(ErrorKind.BAD_REQUEST, "guardrail_denied", denial.message());
  }
}
