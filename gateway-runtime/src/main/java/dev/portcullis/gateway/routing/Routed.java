package dev.portcullis.gateway.routing;

import dev.portcullis.gateway.provider.UpstreamResponse;
import dev.portcullis.gateway.routing.TargetCapacity.Reservation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the router made of a request: a target that answered ({@link Served}; relay it) or the
 * failure to show the client ({@link Failed}). Either way the response headers say which target
 * answered, how many upstream attempts were made and, when more than one target was tried, the path
 * taken.
 */
public sealed interface Routed {
  /** The attempt whose answer the client gets. */
  Attempt attempt();

  /** Upstream requests sent for this client request: retries and hedges included. */
  int attempts();

  /**
   * Attempts started because the one before them was slow to answer ({@code strategy.hedge}), not
   * because it failed; counted in {@link #attempts()} too.
   */
  int hedges();

  /** Target names in the order they were first tried. */
  List<String> path();

  default Map<String, String> headers() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("x-portcullis-target", attempt().target().name());
    h.put("x-portcullis-attempts", Integer.toString(attempts()));
    if (path().size() > 1) {
      h.put("x-portcullis-fallback-path", String.join(">", path()));
    }
    return h;
  }

  /** The upstream answered; its response must be relayed and then {@link #finish}ed. */
  final class Served implements Routed {
    private final Attempt attempt;
    private final int attempts;
    private final int hedges;
    private final List<String> path;
    private final UpstreamResponse response;
    private final Reservation reservation;
    private final AtomicBoolean expired = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Future<?> watchdog;

    Served(
        Attempt attempt,
        int attempts,
        int hedges,
        List<String> path,
        UpstreamResponse response,
        Reservation reservation) {
      this.attempt = attempt;
      this.attempts = attempts;
      this.hedges = hedges;
      this.path = List.copyOf(path);
      this.response = response;
      this.reservation = reservation;
    }

    @Override
    public Attempt attempt() {
      return attempt;
    }

    @Override
    public int attempts() {
      return attempts;
    }

    @Override
    public int hedges() {
      return hedges;
    }

    @Override
    public List<String> path() {
      return path;
    }

    public UpstreamResponse response() {
      return response;
    }

    /**
     * Whether the route's deadline or the target's total timeout ended the response; the relay then
     * tells the client the answer is incomplete because of a timeout.
     */
    public boolean deadlineExpired() {
      return expired.get();
    }

    void watch(Future<?> task) {
      this.watchdog = task;
    }

    /** Called by the watchdog: the time is up, abort the upstream response. */
    void expire() {
      if (finished.get()) {
        return;
      }
      expired.set(true);
      try {
        response.close();
      } catch (Exception e) {
        // Already broken: the relay sees the failure either way.
      }
    }

    /**
     * The relay is done: stops the deadline watch and settles the target's capacity reservation.
     *
     * @param tokens the tokens the upstream reported, 0 when unknown
     */
    public void finish(long tokens) {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      Future<?> task = watchdog;
      if (task != null) {
        task.cancel(false);
      }
      reservation.settle(tokens);
    }
  }

  /** Every attempt failed (or the failure was not one to move on from): answer with this one. */
  record Failed(
      Attempt attempt, int attempts, int hedges, List<String> path, UpstreamFailure failure)
      implements Routed {
    public Failed {
      path = List.copyOf(path);
    }
  }
}
