package dev.portcullis.gateway.pipeline;

import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.routing.Attempt;
import java.util.Optional;

/**
 * Usage and cost accounting, the one place a request's reservation ends: settled to the reported
 * usage (or the estimate) once a target's answer reached the client, in full or cut short, and to
 * the reported usage of an answer the gateway failed to relay; released otherwise. Tells the client
 * the cost in {@code x-portcullis-cost-usd}: for a whole body as a header, for a stream the
 * estimate as a header and the real cost as a final SSE comment.
 */
final class AccountingObserver implements ResponseObserver {
  static final String COST_HEADER = "x-portcullis-cost-usd";

  private final RequestContext request;
  private final Admission admission;

  AccountingObserver(RequestContext request, Admission admission) {
    this.request = request;
    this.admission = admission;
  }

  @Override
  public boolean observesStreamEvents() {
    return false; // the usage comes from the relay; the events add nothing to a settlement
  }

  @Override
  public void onHeaders(int status, boolean streamed) {
    Attempt attempt = request.servedAttempt();
    if (streamed && attempt != null) {
      // Headers leave before the usage is known: a stream carries the estimate.
      request.header(COST_HEADER, admission.estimatedCostUsd(attempt, request.body()));
    }
  }

  @Override
  public void onComplete(Optional<Usage> usage, Outcome outcome) {
    Attempt attempt = request.servedAttempt();
    if (attempt == null || (outcome == Outcome.FAILED && usage.isEmpty())) {
      admission.close();
      return;
    }
    // A stream cut short settles with what was seen (or the estimate).
    String cost = admission.settle(attempt, request.body(), usage);
    if (cost != null) {
      request.charged(admission.settledTokens(), admission.settledCostNanos(), cost);
      request.trailer(COST_HEADER, cost);
    }
  }
}
