package dev.portcullis.gateway.routing;

import dev.portcullis.api.Durations;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.RetryConfig;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.provider.UpstreamResponse;
import dev.portcullis.gateway.provider.UpstreamTimeouts;
import dev.portcullis.gateway.routing.TargetCapacity.Reservation;
import dev.portcullis.gateway.state.GatewayState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Runs a route's strategy for one request: plans the attempts ({@link TargetPlanner}), then tries
 * them in order until one answers, before anything has gone to the client:
 *
 * <ol>
 *   <li>a target cooling down or at its upstream quota ({@link TargetCapacity}) is skipped;
 *   <li>a failed attempt is retried on the same target as {@code spec.retry} says (backoff with
 *       full jitter, {@code Retry-After} up to {@code maxRetryAfter}, within the route's retry
 *       budget and deadline);
 *   <li>then the next target is tried if {@code strategy.fallbackOn} allows it;
 *   <li>with {@code strategy.hedge}, when a target sent no first byte in time the next one is raced
 *       against it; the first answer wins and the other is cancelled.
 * </ol>
 *
 * Health (cooldowns, latency and error averages, retry budgets) lives here, across snapshots.
 */
public final class Router implements AutoCloseable {
  static final int MAX_ERROR_BODY = 1 << 20;
  private static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(200);
  private static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(5);
  private static final Duration DEADLINE_SLACK = Duration.ofMillis(50);

  private final TargetCapacity capacity;
  private final Clock clock;
  private final Supplier<RandomGenerator> random;
  private final Scoreboard scoreboard = new Scoreboard();
  private final Cooldowns cooldowns;
  private final TargetPlanner planner;
  private final Map<String, RetryBudget> budgets = new ConcurrentHashMap<>();
  private final ExecutorService legs = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledThreadPoolExecutor deadlines;

  public Router(TargetCapacity capacity, Clock clock) {
    this(capacity, clock, ThreadLocalRandom::current);
  }

  public Router(TargetCapacity capacity, Clock clock, Supplier<RandomGenerator> random) {
    this.capacity = capacity;
    this.clock = clock;
    this.random = random;
    this.cooldowns = new Cooldowns(clock);
    this.planner = new TargetPlanner(RoutingStrategies.builtIn(), cooldowns);
    this.deadlines =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "portcullis-deadlines");
              t.setDaemon(true);
              return t;
            });
    deadlines.setRemoveOnCancelPolicy(true);
  }

  public Scoreboard scoreboard() {
    return scoreboard;
  }

  public Cooldowns cooldowns() {
    return cooldowns;
  }

  /** The request's deadline: the route's timeout, shortened by {@code x-portcullis-timeout}. */
  public RequestDeadline deadline(RouteConfig route, Map<String, String> headers) {
    return RequestDeadline.start(clock, route.timeout(), headers.get(RequestDeadline.HEADER));
  }

  /**
   * The attempts to make for a request, in order.
   *
   * @throws GatewayException when no target is usable (none configured, or all cooling down)
   */
  public List<Attempt> plan(GatewayState state, RouteConfig route, RequestAttributes request) {
    List<Attempt> plan =
        planner.plan(state, route, new RoutingContext(request, scoreboard, random.get()));
    if (!plan.isEmpty()) {
      return plan;
    }
    if (route.targets().isEmpty()) {
      throw new GatewayException(
          ErrorKind.BAD_GATEWAY,
          "no_target",
          "Route " + route.id().qualifiedName() + " has no usable target.");
    }
    throw new GatewayException(
        ErrorKind.UNAVAILABLE,
        "no_available_target",
        "Every target of route "
            + route.id().qualifiedName()
            + " is cooling down after repeated failures; retry shortly.");
  }

  /** Tries the planned attempts until one answers; see the class comment for the rules. */
  public Routed route(
      List<Attempt> plan, RequestDeadline deadline, long estimatedTokens, AttemptSender sender) {
    return new Exchange(plan, deadline, estimatedTokens, sender).run();
  }

  @Override
  public void close() {
    legs.shutdownNow();
    deadlines.shutdownNow();
  }

  /** What one attempt came to. */
  private sealed interface Outcome {
    record Served(UpstreamResponse response, Reservation reservation, long startNanos)
        implements Outcome {}

    record Failed(UpstreamFailure failure) implements Outcome {}

    /** Not sent: cooling down, at its quota, or out of time. */
    record Skipped() implements Outcome {}

    /** The pipeline refused to build the request (e.g. an operation the provider lacks). */
    record Refused(RuntimeException error) implements Outcome {}
  }

  /** An attempt (or a hedged pair) and what came of it. */
  private record Result(Attempt attempt, Outcome outcome, boolean consumedNext) {}

  /** One client request's way through the plan. */
  private final class Exchange {
    private final List<Attempt> plan;
    private final RequestDeadline deadline;
    private final long estimatedTokens;
    private final AttemptSender sender;
    private final RetryBudget budget;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger hedges = new AtomicInteger();
    private final List<String> path = new ArrayList<>();

    Exchange(
        List<Attempt> plan, RequestDeadline deadline, long estimatedTokens, AttemptSender sender) {
      this.plan = plan;
      this.deadline = deadline;
      this.estimatedTokens = estimatedTokens;
      this.sender = sender;
      this.budget =
          budgets.computeIfAbsent(
              plan.getFirst().via().getFirst().id().qualifiedName(),
              r -> RetryBudget.standard(clock));
    }

    Routed run() {
      budget.request();
      Attempt lastAttempt = null;
      UpstreamFailure lastFailure = null;
      int i = 0;
      while (i < plan.size()) {
        if (deadline.expired()) {
          throw deadlineExceeded();
        }
        Attempt attempt = plan.get(i);
        Attempt next = i + 1 < plan.size() ? plan.get(i + 1) : null;
        Duration hedgeAfter =
            next == null ? null : attempt.sharedRoute(next).strategy().hedgeAfter();
        Result result =
            hedgeAfter != null
                ? hedged(attempt, next, hedgeAfter)
                : withRetries(attempt, once(attempt, null));
        int following = result.consumedNext() ? i + 2 : i + 1;
        switch (result.outcome()) {
          case Outcome.Served served -> {
            return served(result.attempt(), served);
          }
          case Outcome.Refused refused -> throw refused.error();
          case Outcome.Failed failed -> {
            lastAttempt = result.attempt();
            lastFailure = failed.failure();
            if (deadline.expired() || outOfTime(failed.failure())) {
              throw deadlineExceeded();
            }
            Attempt then = following < plan.size() ? plan.get(following) : null;
            if (then == null
                || !failed
                    .failure()
                    .failsOver(result.attempt().sharedRoute(then).strategy().fallbackOn())) {
              return new Routed.Failed(
                  result.attempt(), sent.get(), hedges.get(), path(), failed.failure());
            }
          }
          case Outcome.Skipped skipped -> {}
        }
        i = following;
      }
      if (lastFailure != null) {
        return new Routed.Failed(lastAttempt, sent.get(), hedges.get(), path(), lastFailure);
      }
      if (deadline.expired()) {
        throw deadlineExceeded();
      }
      throw new GatewayException(
          ErrorKind.UNAVAILABLE,
          "no_available_target",
          "No target of route "
              + requestedRoute()
              + " can take a request now: each is cooling down or at its upstream limits;"
              + " retry shortly.");
    }

    private Result withRetries(Attempt attempt, Outcome first) {
      Outcome outcome = first;
      RetryConfig retry = attempt.route().retry();
      for (int n = 0; retry != null && n < retry.attempts(); n++) {
        if (!(outcome instanceof Outcome.Failed failed)) {
          break;
        }
        Duration wait = retryWait(attempt, retry, failed.failure(), n);
        if (wait == null || !sleep(wait)) {
          break;
        }
        outcome = once(attempt, null);
      }
      return new Result(attempt, outcome, false);
    }

    /** How long to wait before retrying, or null when this failure is not to be retried here. */
    private Duration retryWait(Attempt attempt, RetryConfig retry, UpstreamFailure failure, int n) {
      boolean retryable =
          switch (failure.kind()) {
            case STATUS -> retry.onStatusCodes().contains(failure.status());
            // A dropped connection is worth another try; a timeout would only double the wait.
            case CONNECTION -> true;
            case TIMEOUT -> false;
          };
      if (!retryable) {
        return null;
      }
      Duration wait =
          Backoff.fullJitter(
              retry.backoffBase() != null ? retry.backoffBase() : DEFAULT_BACKOFF_BASE,
              retry.backoffMax() != null ? retry.backoffMax() : DEFAULT_BACKOFF_MAX,
              n,
              random.get());
      if (retry.honorRetryAfter()) {
        Duration asked = Backoff.retryAfter(failure.headers()::get);
        if (asked != null) {
          if (retry.maxRetryAfter() != null && asked.compareTo(retry.maxRetryAfter()) > 0) {
            return null; // longer than we may wait: move on to the next target instead
          }
          if (asked.compareTo(wait) > 0) {
            wait = asked;
          }
        }
      }
      Duration left = deadline.remaining();
      if (left != null && left.compareTo(wait) <= 0) {
        return null;
      }
      if (attempt.route().cooldown() != null && !cooldowns.of(attempt.key()).available()) {
        return null;
      }
      return budget.tryRetry() ? wait : null;
    }

    /**
     * Sends to {@code first}; if it has not answered after {@code after}, sends to {@code second}
     * as well and takes whichever answers first. The hedge spends the retry budget like a retry.
     */
    private Result hedged(Attempt first, Attempt second, Duration after) {
      BlockingQueue<Leg> done = new LinkedBlockingQueue<>();
      Leg primary = new Leg(first, done);
      primary.start();
      Leg early = poll(done, after);
      if (early != null) {
        return withRetries(first, early.outcome());
      }
      if (!budget.tryRetry()) {
        return withRetries(first, take(done).outcome());
      }
      Leg hedge = new Leg(second, done);
      hedges.incrementAndGet();
      hedge.start();
      Leg last = null;
      Leg failed = null;
      for (int k = 0; k < 2; k++) {
        Leg leg = take(done);
        last = leg;
        Leg other = leg == primary ? hedge : primary;
        switch (leg.outcome()) {
          case Outcome.Served served -> {
            other.cancel();
            return new Result(leg.attempt, served, true);
          }
          case Outcome.Refused refused -> {
            other.cancel();
            throw refused.error();
          }
          case Outcome.Failed f -> failed = leg;
          case Outcome.Skipped s -> {}
        }
      }
      Leg shown = failed != null ? failed : last;
      return new Result(shown.attempt, shown.outcome(), true);
    }

    /** Sends one attempt, unless its target is cooling down or at its quota. */
    private Outcome once(Attempt attempt, AtomicBoolean abandoned) {
      CircuitBreaker breaker =
          attempt.route().cooldown() == null ? null : cooldowns.of(attempt.key());
      if (breaker != null && !breaker.tryAcquire()) {
        return new Outcome.Skipped();
      }
      Optional<Reservation> reserved =
          capacity.tryReserve(attempt.route(), attempt.target(), estimatedTokens);
      if (reserved.isEmpty()) {
        if (breaker != null) {
          breaker.release();
        }
        return new Outcome.Skipped();
      }
      Reservation reservation = reserved.get();
      UpstreamTimeouts timeouts = timeouts(attempt.target());
      if (timeouts == null) {
        reservation.release();
        if (breaker != null) {
          breaker.release();
        }
        return new Outcome.Skipped();
      }
      sent.incrementAndGet();
      synchronized (path) {
        if (!path.contains(attempt.target().name())) {
          path.add(attempt.target().name());
        }
      }
      long start = System.nanoTime();
      try {
        UpstreamResponse response = sender.send(attempt, timeouts);
        if (response.status() >= 400) {
          UpstreamFailure failure =
              UpstreamFailure.status(response.status(), response.headers(), readBounded(response));
          reservation.settle(0);
          observe(attempt, breaker, failure, millisSince(start), abandoned);
          return new Outcome.Failed(failure);
        }
        observeSuccess(attempt, breaker, millisSince(start));
        return new Outcome.Served(response, reservation, start);
      } catch (IOException e) {
        UpstreamFailure failure = UpstreamFailure.io(e);
        if (UpstreamFailure.neverSent(e)) {
          reservation.release();
        } else {
          reservation.settle(0);
        }
        observe(attempt, breaker, failure, millisSince(start), abandoned);
        return new Outcome.Failed(failure);
      } catch (RuntimeException e) {
        reservation.release();
        if (breaker != null) {
          breaker.release();
        }
        return new Outcome.Refused(e);
      }
    }

    /** Per-attempt timeouts, each cut to the time left; null when no time is left. */
    /**
     * Whether a timeout was the request's deadline running out rather than the target's own limit:
     * the transport's timer and our clock may disagree by a millisecond or two.
     */
    private boolean outOfTime(UpstreamFailure failure) {
      Duration left = deadline.remaining();
      return failure.kind() == UpstreamFailure.Kind.TIMEOUT
          && left != null
          && left.compareTo(DEADLINE_SLACK) <= 0;
    }

    private UpstreamTimeouts timeouts(TargetConfig target) {
      if (deadline.expired()) {
        return null;
      }
      TargetConfig.Timeouts t = target.timeouts();
      Duration firstByte = shorter(t.firstByte(), t.total());
      return new UpstreamTimeouts(
          atLeastOneMilli(deadline.cap(t.connect())), atLeastOneMilli(deadline.cap(firstByte)));
    }

    private Routed served(Attempt attempt, Outcome.Served outcome) {
      Routed.Served served =
          new Routed.Served(
              attempt, sent.get(), hedges.get(), path(), outcome.response(), outcome.reservation());
      Duration total = attempt.target().timeouts().total();
      Duration left =
          total == null ? null : total.minusNanos(System.nanoTime() - outcome.startNanos());
      Duration limit = deadline.cap(left);
      if (limit != null) {
        served.watch(
            deadlines.schedule(
                served::expire, Math.max(0, limit.toMillis()), TimeUnit.MILLISECONDS));
      }
      return served;
    }

    private void observe(
        Attempt attempt,
        CircuitBreaker breaker,
        UpstreamFailure failure,
        long millis,
        AtomicBoolean abandoned) {
      if (abandoned != null && abandoned.get()) {
        // Cancelled because the other hedge won: no verdict on the target, just slow.
        if (breaker != null) {
          breaker.release();
        }
        attempt.keys().forEach(k -> scoreboard.of(k).slow(millis));
        return;
      }
      if (!failure.isTargetFault()) {
        observeSuccess(attempt, breaker, millis);
        return;
      }
      if (breaker != null) {
        breaker.failure(attempt.route().cooldown());
      }
      boolean timedOut = failure.kind() == UpstreamFailure.Kind.TIMEOUT;
      attempt.keys().forEach(k -> scoreboard.of(k).failure(millis, timedOut));
    }

    private void observeSuccess(Attempt attempt, CircuitBreaker breaker, long millis) {
      if (breaker != null) {
        breaker.success();
      }
      attempt.keys().forEach(k -> scoreboard.of(k).success(millis));
    }

    private List<String> path() {
      synchronized (path) {
        return List.copyOf(path);
      }
    }

    private String requestedRoute() {
      return plan.getFirst().via().getFirst().id().qualifiedName();
    }

    private GatewayException deadlineExceeded() {
      return new GatewayException(
          ErrorKind.GATEWAY_TIMEOUT,
          "deadline_exceeded",
          "No target of route "
              + requestedRoute()
              + " answered within the request deadline of "
              + Durations.format(deadline.limit())
              + (path.isEmpty() ? "" : " (tried " + String.join(">", path()) + ")")
              + ".");
    }

    private Leg poll(BlockingQueue<Leg> done, Duration timeout) {
      try {
        return done.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for an upstream", e);
      }
    }

    private Leg take(BlockingQueue<Leg> done) {
      try {
        return done.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for an upstream", e);
      }
    }

    /** One attempt of a hedged pair, sent on its own virtual thread. */
    private final class Leg {
      private final Attempt attempt;
      private final BlockingQueue<Leg> done;
      private final AtomicBoolean abandoned = new AtomicBoolean();
      private Outcome outcome;
      private Future<?> task;

      Leg(Attempt attempt, BlockingQueue<Leg> done) {
        this.attempt = attempt;
        this.done = done;
      }

      void start() {
        task = legs.submit(this::run);
      }

      private void run() {
        Outcome result = once(attempt, abandoned);
        synchronized (this) {
          outcome = result;
          if (abandoned.get()) {
            discard(result);
          }
        }
        done.add(this);
      }

      synchronized Outcome outcome() {
        return outcome;
      }

      /** Lost the race: close its answer if it has one, else abort the call in flight. */
      void cancel() {
        synchronized (this) {
          abandoned.set(true);
          if (outcome != null) {
            discard(outcome);
            return;
          }
        }
        // Interrupting a virtual thread blocked on a socket closes that socket: the upstream
        // sees the connection go away.
        task.cancel(true);
      }
    }
  }

  private static void discard(Outcome outcome) {
    if (outcome instanceof Outcome.Served served) {
      try {
        served.response().close();
      } catch (Exception e) {
        // Closing a response nobody reads; nothing to tell anyone.
      }
      served.reservation().settle(0);
    }
  }

  private static byte[] readBounded(UpstreamResponse response) throws IOException {
    try (response) {
      return response.body().readNBytes(MAX_ERROR_BODY);
    }
  }

  private static Duration shorter(Duration a, Duration b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration atLeastOneMilli(Duration d) {
    return d == null || d.toMillis() >= 1 ? d : Duration.ofMillis(1);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static boolean sleep(Duration wait) {
    try {
      Thread.sleep(wait);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
