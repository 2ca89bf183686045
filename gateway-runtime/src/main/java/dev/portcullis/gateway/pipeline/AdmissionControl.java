package dev.portcullis.gateway.pipeline;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.KeyConfig.Budget.Period;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.cost.CostCalculator;
import dev.portcullis.gateway.cost.UsdAmount;
import dev.portcullis.gateway.endpoint.LocalTokenCounter;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.limits.BudgetPeriod;
import dev.portcullis.gateway.limits.Decision;
import dev.portcullis.gateway.limits.Demand;
import dev.portcullis.gateway.limits.KeyUsage;
import dev.portcullis.gateway.limits.LimitCounters;
import dev.portcullis.gateway.limits.LimitPolicy;
import dev.portcullis.gateway.limits.LimitStore;
import dev.portcullis.gateway.limits.Quota;
import dev.portcullis.gateway.limits.StoreUnavailableException;
import dev.portcullis.gateway.limits.UsageLedger;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.routing.Attempt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The limits stage: checks a key's rate limits, concurrency cap and budget and reserves against
 * them in one store call before any upstream call; the returned {@link Admission} settles the
 * reservation to the real usage (or releases it) exactly once.
 */
public final class AdmissionControl implements UsageLedger {
  private static final Logger LOG = Logger.getLogger(AdmissionControl.class.getName());

  /**
   * How long a concurrency slot outlives a gateway that died without settling, past the timeout.
   */
  private static final Duration LEASE_SLACK = Duration.ofMinutes(1);

  private static final Duration DEFAULT_LEASE = Duration.ofMinutes(30);

  private final LimitStore store;
  private final CostCalculator costs;
  private final LocalTokenCounter tokens;
  private final LimitCounters counters;
  private final Clock clock;
  private final int defaultOutputTokens;

  /** Keys served since the usage report last took them, by qualified name. */
  private final Map<String, KeyConfig> changedKeys = new ConcurrentHashMap<>();

  public AdmissionControl(
      LimitStore store,
      CostCalculator costs,
      LimitCounters counters,
      Clock clock,
      int defaultOutputTokens) {
    this(store, costs, new LocalTokenCounter(), counters, clock, defaultOutputTokens);
  }

  AdmissionControl(
      LimitStore store,
      CostCalculator costs,
      LocalTokenCounter tokens,
      LimitCounters counters,
      Clock clock,
      int defaultOutputTokens) {
    this.store = store;
    this.costs = costs;
    this.tokens = tokens;
    this.counters = counters;
    this.clock = clock;
    this.defaultOutputTokens = defaultOutputTokens;
  }

  public static String subject(KeyConfig key) {
    return "vk:" + key.id().qualifiedName();
  }

  /** The period a key's usage is recorded under: its budget's, else the calendar month. */
  static BudgetPeriod ledgerPeriod(KeyConfig key, Instant now) {
    Period period = key.budget() == null ? Period.MONTHLY : key.budget().period();
    return BudgetPeriod.containing(period, now);
  }

  @Override
  public KeyUsage usage(KeyConfig key) {
    return store.usage(subject(key), ledgerPeriod(key, clock.instant()));
  }

  @Override
  public BudgetPeriod period(KeyConfig key) {
    return ledgerPeriod(key, clock.instant());
  }

  @Override
  public List<KeyConfig> takeChangedKeys() {
    List<KeyConfig> taken = new ArrayList<>();
    for (Map.Entry<String, KeyConfig> e : changedKeys.entrySet()) {
      if (changedKeys.remove(e.getKey(), e.getValue())) {
        taken.add(e.getValue());
      }
    }
    return taken;
  }

  @Override
  public boolean sharedAcrossFleet() {
    return store.sharedAcrossGateways();
  }

  /** Called once a request's usage is in the store. */
  void usageRecorded(KeyConfig key) {
    changedKeys.put(key.id().qualifiedName(), key);
  }

  CostCalculator costs() {
    return costs;
  }

  Clock clock() {
    return clock;
  }

  /**
   * Admits the request or throws a 429 (503 when the store is down and the key fails closed) in the
   * caller's format, with OpenAI's rate-limit headers set on the response.
   */
  Admission admit(RequestContext out) {
    ClientCall call = out.call();
    KeyConfig key = out.key();
    RequestBody body = out.body();
    RouteConfig route = out.route();
    List<Attempt> plan = out.plan();
    LimitPolicy policy = LimitPolicy.of(key);
    Instant now = clock.instant();
    Estimate estimate = new Estimate(call, body, plan);
    Demand demand =
        new Demand(
            subject(key),
            policy,
            policy.limitsTokens() || policy.budget() != null ? estimate.tokens() : 0,
            policy.budget() != null ? estimate.costNanos() : 0,
            ledgerPeriod(key, now),
            now.toEpochMilli(),
            lease(route).toMillis(),
            key.failOpen());
    if (!policy.checksAnything()) {
      return new Admission(this, store, key, demand, null, estimate);
    }
    Decision decision;
    try {
      decision = store.reserve(demand);
    } catch (StoreUnavailableException e) {
      counters.refusedOnce();
      out.header("retry-after", "1");
      throw new GatewayException(
          ErrorKind.UNAVAILABLE,
          "limit_store_unavailable",
          "The gateway cannot reach its shared limit store, and key "
              + key.id().qualifiedName()
              + " is set to fail closed (onStoreUnavailable: FailClosed); retry shortly.");
    }
    rateLimitHeaders(decision.quota(), out);
    if (!decision.admitted()) {
      counters.refusedOnce();
      out.limitRefusal(decision.refusal());
      throw refusal(key, policy, decision, demand, out);
    }
    if (decision.budgetReached()) {
      counters.budgetWarningOnce();
      out.header("x-portcullis-budget", "exceeded");
      LOG.warning(
          () ->
              "key "
                  + key.id().qualifiedName()
                  + " is past its "
                  + demand.ledgerPeriod().adjective()
                  + " budget (action Warn); serving request "
                  + call.requestId());
    }
    return new Admission(this, store, key, demand, decision.ticket(), estimate);
  }

  private static Duration lease(RouteConfig route) {
    return route.timeout() == null ? DEFAULT_LEASE : route.timeout().plus(LEASE_SLACK);
  }

  private GatewayException refusal(
      KeyConfig key, LimitPolicy policy, Decision decision, Demand demand, RequestContext out) {
    String who = "Virtual key " + key.id().qualifiedName();
    Quota q = decision.quota();
    return switch (decision.refusal()) {
      case REQUESTS_PER_MINUTE -> {
        long wait = retryAfterSeconds(q.resetRequestsMillis());
        out.header("retry-after", Long.toString(wait));
        yield new GatewayException(
            ErrorKind.RATE_LIMITED,
            "rate_limit_exceeded",
            who
                + " is limited to "
                + policy.requestsPerMinute()
                + " requests per minute; retry in "
                + wait
                + "s.");
      }
      case TOKENS_PER_MINUTE -> {
        long wait = retryAfterSeconds(q.resetTokensMillis());
        out.header("retry-after", Long.toString(wait));
        yield new GatewayException(
            ErrorKind.RATE_LIMITED,
            "rate_limit_exceeded",
            who
                + " is limited to "
                + policy.tokensPerMinute()
                + " tokens per minute (input + output; this request reserves "
                + demand.tokens()
                + "); retry in "
                + wait
                + "s.");
      }
      case CONCURRENCY -> {
        out.header("retry-after", "1");
        yield new GatewayException(
            ErrorKind.RATE_LIMITED,
            "rate_limit_exceeded",
            who
                + " is limited to "
                + policy.maxConcurrent()
                + " concurrent requests; retry when one of them has finished.");
      }
      case BUDGET -> {
        BudgetPeriod period = demand.ledgerPeriod();
        String amount = UsdAmount.format(policy.budget().amountNanos());
        String message;
        if (period.end() == null) {
          message =
              who
                  + " has used its total budget of "
                  + amount
                  + " USD; raise spec.budget.amountUSD to continue.";
        } else {
          long wait = Math.max(1, Duration.between(clock.instant(), period.end()).toSeconds());
          out.header("retry-after", Long.toString(wait));
          message =
              who
                  + " has used its "
                  + period.adjective()
                  + " budget of "
                  + amount
                  + " USD for the period from "
                  + period.start()
                  + "; it resets at "
                  + period.end()
                  + ".";
        }
        yield new GatewayException(ErrorKind.QUOTA_EXCEEDED, "insufficient_quota", message);
      }
      case NONE -> throw new IllegalStateException("an admitted decision is not a refusal");
    };
  }

  private static void rateLimitHeaders(Quota q, RequestContext out) {
    if (q.limitRequests() >= 0) {
      out.header("x-ratelimit-limit-requests", Long.toString(q.limitRequests()));
      out.header("x-ratelimit-remaining-requests", Long.toString(q.remainingRequests()));
      out.header("x-ratelimit-reset-requests", resetText(q.resetRequestsMillis()));
    }
    if (q.limitTokens() >= 0) {
      out.header("x-ratelimit-limit-tokens", Long.toString(q.limitTokens()));
      out.header("x-ratelimit-remaining-tokens", Long.toString(q.remainingTokens()));
      out.header("x-ratelimit-reset-tokens", resetText(q.resetTokensMillis()));
    }
  }

  private static long retryAfterSeconds(long millis) {
    return Math.max(1, (millis + 999) / 1000);
  }

  /** OpenAI's duration style: {@code 250ms}, {@code 12s}, {@code 1m0s}. */
  static String resetText(long millis) {
    if (millis < 1000) {
      return millis + "ms";
    }
    long seconds = (millis + 999) / 1000;
    return seconds < 60 ? seconds + "s" : (seconds / 60) + "m" + (seconds % 60) + "s";
  }

  /**
   * The tokens and cost to reserve, worked out only when a limit needs them: prompt tokens counted
   * locally plus the requested (or default) output, priced at the dearest target the plan may use.
   */
  final class Estimate {
    private final ClientCall call;
    private final RequestBody body;
    private final List<Attempt> plan;
    private long input = -1;
    private long output;
    private long costNanos = -1;

    Estimate(ClientCall call, RequestBody body, List<Attempt> plan) {
      this.call = call;
      this.body = body;
      this.plan = plan;
    }

    long inputTokens() {
      if (input < 0) {
        input = body.promptTokens(call.endpoint(), tokens); // shared with the input guardrails
        output = call.operation() == Operation.EMBEDDINGS ? 0 : requestedOutput();
      }
      return input;
    }

    long outputTokens() {
      inputTokens();
      return output;
    }

    long tokens() {
      return inputTokens() + outputTokens();
    }

    long costNanos() {
      if (costNanos < 0) {
        long most = 0;
        for (Attempt a : plan) {
          TargetConfig t = a.target();
          long c =
              costs.price(t, upstreamModel(t, body)).costNanos(inputTokens(), 0, outputTokens());
          most = Math.max(most, c);
        }
        costNanos = most;
      }
      return costNanos;
    }

    private long requestedOutput() {
      var tree = body.tree();
      for (String field : List.of("max_completion_tokens", "max_tokens", "max_output_tokens")) {
        var v = tree.get(field);
        if (v != null && v.canConvertToLong() && v.asLong() > 0) {
          return v.asLong();
        }
      }
      return defaultOutputTokens;
    }
  }

  static String upstreamModel(TargetConfig target, RequestBody body) {
    return target.model() != null ? target.model() : body.model();
  }
}
