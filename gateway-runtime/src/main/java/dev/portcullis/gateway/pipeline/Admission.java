package dev.portcullis.gateway.pipeline;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.gateway.cost.CostCalculator;
import dev.portcullis.gateway.cost.Price;
import dev.portcullis.gateway.cost.UsdAmount;
import dev.portcullis.gateway.limits.Demand;
import dev.portcullis.gateway.limits.LimitStore;
import dev.portcullis.gateway.limits.Settlement;
import dev.portcullis.gateway.limits.Ticket;
import dev.portcullis.gateway.pipeline.AdmissionControl.Estimate;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.routing.Attempt;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One admitted request's reservation. It is settled exactly once: to the real usage when a target
 * served the request ({@link #settle}), or released by {@link #close} when none did (every upstream
 * attempt failed, or an error was relayed).
 */
final class Admission implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Admission.class.getName());

  private final AdmissionControl control;
  private final LimitStore store;
  private final KeyConfig key;
  private final Demand demand;
  private final Ticket ticket;
  private final Estimate estimate;
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile long settledTokens;
  private volatile long settledCostNanos;

  Admission(
      AdmissionControl control,
      LimitStore store,
      KeyConfig key,
      Demand demand,
      Ticket ticket,
      Estimate estimate) {
    this.control = control;
    this.store = store;
    this.key = key;
    this.demand = demand;
    this.ticket = ticket;
    this.estimate = estimate;
  }

  /** Estimated input + output tokens, for a target's own quota. */
  long estimatedTokens() {
    return estimate.tokens();
  }

  /** The estimated cost at the attempt's prices, for a stream's header (sent before usage). */
  String estimatedCostUsd(Attempt attempt, RequestBody body) {
    Price price = price(attempt, body);
    if (price.isFree()) {
      return UsdAmount.format(0); // no need to count tokens to price them at nothing
    }
    return UsdAmount.format(price.costNanos(estimate.inputTokens(), 0, estimate.outputTokens()));
  }

  /**
   * Settles to the usage the upstream reported; without a report (a client that left mid-stream, an
   * upstream that does not send usage) the estimate is charged. Later calls return the same
   * nothing: only the first settles.
   *
   * @return the cost in USD as sent in {@code x-portcullis-cost-usd}, or null when already settled
   */
  String settle(Attempt attempt, RequestBody body, Optional<Usage> reported) {
    if (!finished.compareAndSet(false, true)) {
      return null;
    }
    Usage usage =
        reported.orElseGet(() -> new Usage(estimate.inputTokens(), estimate.outputTokens(), 0));
    long cost = CostCalculator.costNanos(price(attempt, body), usage);
    settledTokens = usage.inputTokens() + usage.outputTokens();
    settledCostNanos = cost;
    finish(
        new Settlement(
            true, usage.inputTokens(), usage.outputTokens(), cost, control.clock().millis()));
    return UsdAmount.format(cost);
  }

  /**
   * Settles a request answered from the response cache: served (so it counts against the
   * requests-per-minute limit, as the contract asks) with no tokens and no cost, which gives back
   * the token and budget reservation. Later calls do nothing.
   */
  void settleCacheHit() {
    if (finished.compareAndSet(false, true)) {
      finish(new Settlement(true, 0, 0, 0, control.clock().millis()));
    }
  }

  /** Input + output tokens of the settled usage; 0 before settlement. */
  long settledTokens() {
    return settledTokens;
  }

  /** The settled cost in nano-USD; 0 before settlement. */
  long settledCostNanos() {
    return settledCostNanos;
  }

  /** Releases the reservation unless the request was settled. */
  @Override
  public void close() {
    if (finished.compareAndSet(false, true) && ticket != null) {
      finish(Settlement.released(control.clock().millis()));
    }
  }

  private Price price(Attempt attempt, RequestBody body) {
    return control
        .costs()
        .price(attempt.target(), AdmissionControl.upstreamModel(attempt.target(), body));
  }

  private void finish(Settlement settlement) {
    try {
      if (ticket != null) {
        store.settle(ticket, settlement);
      } else if (settlement.served()) {
        store.record(demand, settlement);
      }
      if (settlement.served()) {
        control.usageRecorded(key);
      }
    } catch (RuntimeException e) {
      // Accounting must never break an answer that is already on its way.
      LOG.log(Level.WARNING, "could not settle usage of " + demand.subject(), e);
    }
  }
}
