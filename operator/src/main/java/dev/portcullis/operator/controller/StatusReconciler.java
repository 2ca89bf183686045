package dev.portcullis.operator.controller;

import dev.portcullis.api.Condition;
import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.ResourceStatus;
import dev.portcullis.operator.snapshot.Kinds;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What every Portcullis reconciler does, in this order:
 *
 * <ol>
 *   <li><b>observe</b> and act on what the kind owns ({@link #act}; only VirtualKeys own something:
 *       their key Secret). What acting learned is this reconciliation's own value, handed to {@link
 *       #fill} as an argument: nothing carries over from one reconciliation to the next;
 *   <li><b>validate and resolve</b>: done for all resources at once by the snapshot build, whose
 *       verdict on this resource arrives as a {@link ResourceReport};
 *   <li><b>record status</b>: observedGeneration, the four conditions, the kind's own fields, and
 *       Events for notable transitions. Status is written only when it changed.
 * </ol>
 *
 * When acting fails in a way a person must fix (the API server refuses a write), {@link #failure}
 * turns the exception into a problem that status shows beside the build's, and java-operator-sdk
 * retries with backoff; other exceptions take the framework's default handling.
 *
 * <p>The reconciler is triggered by the resource's own changes and by its report changing (a
 * referenced Secret appeared, a gateway acknowledged a snapshot), through {@link StatusTriggers}.
 */
public abstract class StatusReconciler<R extends CustomResource<?, S>, S extends ResourceStatus, A>
    implements Reconciler<R> {
  protected final OperatorContext operator;
  private final String kind;

  public StatusReconciler(OperatorContext operator, String kind) {
    this.operator = operator;
    this.kind = kind;
  }

  @Override
  public List<EventSource<?, R>> prepareEventSources(EventSourceContext<R> context) {
    SimpleInboundEventSource<R> reports = new SimpleInboundEventSource<>("portcullis-reports");
    operator.triggers().register(kind, reports);
    return List.of(reports);
  }

  /**
   * What {@link #act} learned about one resource, for {@link #fill} in the same reconciliation.
   *
   * @param learned the kind's own value (null when the kind owns nothing)
   * @param recheckAfter when to look again even if nothing changes (e.g. a scheduled key rotation);
   *     null = only on changes
   */
  protected record Acted<A>(A learned, Duration recheckAfter) {
    static <A> Acted<A> nothing() {
      return new Acted<>(null, null);
    }
  }

  @Override
  public UpdateControl<R> reconcile(R resource, Context<R> context) {
    Acted<A> acted = act(resource);
    UpdateControl<R> control =
        recordStatus(resource, List.of(), Optional.ofNullable(acted.learned()))
            .map(UpdateControl::patchStatus)
            .orElseGet(UpdateControl::noUpdate);
    return acted.recheckAfter() != null ? control.rescheduleAfter(acted.recheckAfter()) : control;
  }

  @Override
  public ErrorStatusUpdateControl<R> updateErrorStatus(
      R resource, Context<R> context, Exception e) {
    Optional<Problem> failure = failure(resource, e);
    if (failure.isEmpty()) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    // Acting failed, so there is nothing it learned: fill() sees empty, never another run's value.
    return recordStatus(resource, List.of(failure.get()), Optional.empty())
        .map(ErrorStatusUpdateControl::patchStatus)
        .orElseGet(ErrorStatusUpdateControl::noStatusUpdate);
  }

  /**
   * Acts on what this kind owns, before status is recorded.
   *
   * @return what acting learned, for {@link #fill}, and when to look again
   */
  protected Acted<A> act(R resource) {
    return Acted.nothing();
  }

  /** The problem to show in status when {@link #act} threw {@code e}; empty for the default. */
  protected Optional<Problem> failure(R resource, Exception e) {
    return Optional.empty();
  }

  /**
   * The resource with its new status, or empty when status would not change.
   *
   * @param failures problems of this reconciliation's own, shown before the build's
   * @param acted what {@link #act} learned in this reconciliation; empty when it failed
   */
  private Optional<R> recordStatus(R resource, List<Problem> failures, Optional<A> acted) {
    ResourceRef ref = Kinds.refOf(resource);
    Optional<ResourceReport> found = operator.reports().report(ref);
    if (found.isEmpty()) {
      // No build has seen it yet; the build will trigger this reconciler when it has.
      return Optional.empty();
    }
    ResourceReport report = found.get().withFirstProblems(failures);
    S previous = resource.getStatus();
    List<Condition> before = previous == null ? null : previous.getConditions();
    S status = newStatus(previous);
    status.setObservedGeneration(report.generation());
    status.setConditions(StatusConditions.compose(kind, report, before, clock().instant()));
    fill(status, previous, report, resource, acted);
    announceTransitions(resource, before, status.getConditions());
    if (previous != null && sameJson(previous, status)) {
      return Optional.empty();
    }
    resource.setStatus(status);
    return Optional.of(resource);
  }

  /** A new status object, carrying over fields the operator does not compute here. */
  protected abstract S newStatus(S previous);

  /**
   * The kind's own status fields.
   *
   * @param acted what {@link #act} learned in this reconciliation; empty when it failed or the kind
   *     owns nothing
   */
  protected void fill(S status, S previous, ResourceReport report, R resource, Optional<A> acted) {}

  protected Clock clock() {
    return operator.clock();
  }

  /** Warning Events when a condition turns False, or False for a new reason. */
  private void announceTransitions(R resource, List<Condition> before, List<Condition> after) {
    for (Condition now : after) {
      if (Condition.READY.equals(now.getType()) || !Condition.FALSE.equals(now.getStatus())) {
        continue;
      }
      Condition old =
          before == null
              ? null
              : before.stream()
                  .filter(c -> now.getType().equals(c.getType()))
                  .findFirst()
                  .orElse(null);
      boolean news =
          old == null
              || !Condition.FALSE.equals(old.getStatus())
              || !Objects.equals(old.getReason(), now.getReason());
      if (news && isNotable(now.getReason())) {
        operator
            .events()
            .record(
                resource,
                EventRecorder.WARNING,
                StatusConditions.REJECTED_BY_GATEWAYS.equals(now.getReason())
                    ? "SnapshotRejected"
                    : now.getReason(),
                now.getMessage());
      }
    }
  }

  /** Waiting for gateways is normal, not worth an Event. */
  private static boolean isNotable(String reason) {
    return !StatusConditions.PENDING.equals(reason)
        && !StatusConditions.NO_GATEWAYS.equals(reason)
        && !StatusConditions.LEFT_OUT.equals(reason)
        && !ProblemReasons.KEY_NOT_MINTED.equals(reason);
  }

  private static boolean sameJson(Object a, Object b) {
    return Serialization.asJson(a).equals(Serialization.asJson(b));
  }
}
