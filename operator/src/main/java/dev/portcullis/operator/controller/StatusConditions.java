package dev.portcullis.operator.controller;

import dev.portcullis.api.Condition;
import dev.portcullis.api.Problem;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The four conditions of a resource, from its {@link ResourceReport}. Pure: the same report and
 * previous conditions give the same result, and a condition whose status did not change keeps its
 * lastTransitionTime.
 */
public final class StatusConditions {
  public static final String ACCEPTED = "Accepted";
  public static final String RESOLVED_REFS = "ResolvedRefs";
  public static final String NOT_ACCEPTED = "NotAccepted";
  public static final String PROGRAMMED = "Programmed";
  public static final String LEFT_OUT = "LeftOut";
  public static final String NO_GATEWAYS = "NoGateways";
  public static final String PENDING = "Pending";
  public static final String REJECTED_BY_GATEWAYS = "RejectedByGateways";
  public static final String CAPABILITY_MISSING = "CapabilityMissing";
  public static final String READY = "Ready";

  /** Leaves room under the CRD's 32768-character limit for the truncation note. */
  private static final int MAX_MESSAGE = 32_000;

  private StatusConditions() {}

  public static List<Condition> compose(
      String kind, ResourceReport report, List<Condition> previous, Instant now) {
    List<Problem> spec = new ArrayList<>();
    List<Problem> refs = new ArrayList<>();
    String specReason = null;
    String refsReason = null;
    for (Problem p : report.problems()) {
      ProblemReasons.Classified c = ProblemReasons.classify(kind, p);
      if (c.condition() == ProblemReasons.Condition.ACCEPTED) {
        spec.add(p);
        specReason = specReason == null ? c.reason() : specReason;
      } else {
        refs.add(p);
        refsReason = refsReason == null ? c.reason() : refsReason;
      }
    }

    Condition accepted =
        spec.isEmpty()
            ? condition(Condition.ACCEPTED, Condition.TRUE, ACCEPTED, "the spec is valid")
            : condition(Condition.ACCEPTED, Condition.FALSE, specReason, describe(spec));
    Condition resolved;
    if (!refs.isEmpty()) {
      resolved = condition(Condition.RESOLVED_REFS, Condition.FALSE, refsReason, describe(refs));
    } else if (!spec.isEmpty()) {
      resolved =
          condition(
              Condition.RESOLVED_REFS,
              Condition.UNKNOWN,
              NOT_ACCEPTED,
              "references are checked once the spec is valid");
    } else {
      resolved =
          condition(
              Condition.RESOLVED_REFS,
              Condition.TRUE,
              RESOLVED_REFS,
              "every Secret, policy, template and route it names was found");
    }
    Condition programmed = programmed(report);
    Condition ready = ready(accepted, resolved, programmed);

    List<Condition> conditions = List.of(accepted, resolved, programmed, ready);
    for (Condition c : conditions) {
      c.setObservedGeneration(report.generation());
      Optional<Condition> before =
          previous == null
              ? Optional.empty()
              : previous.stream().filter(p -> c.getType().equals(p.getType())).findFirst();
      c.setLastTransitionTime(
          before.isPresent()
                  && c.getStatus().equals(before.get().getStatus())
                  && before.get().getLastTransitionTime() != null
              ? before.get().getLastTransitionTime()
              : now.truncatedTo(ChronoUnit.SECONDS).toString());
    }
    return conditions;
  }

  private static Condition programmed(ResourceReport r) {
    if (!r.inSnapshot()) {
      return condition(
          Condition.PROGRAMMED,
          Condition.FALSE,
          LEFT_OUT,
          "left out of the configuration until the problems above are fixed; gateways do not"
              + " serve it");
    }
    if (!r.rejections().isEmpty()) {
      return condition(
          Condition.PROGRAMMED,
          Condition.FALSE,
          REJECTED_BY_GATEWAYS,
          "gateways rejected configuration "
              + r.configVersion()
              + " and keep serving their last good one: "
              + String.join("; ", r.rejections()));
    }
    if (!r.notEnforced().isEmpty()) {
      return condition(
          Condition.PROGRAMMED,
          Condition.FALSE,
          CAPABILITY_MISSING,
          r.notEnforced().size()
              + " of "
              + r.total()
              + " gateways run configuration "
              + r.configVersion()
              + " but cannot enforce this resource (a gateway answers 503 rather than serve a route"
              + " without what it needs): "
              + String.join("; ", r.notEnforced()));
    }
    if (r.total() == 0) {
      return condition(
          Condition.PROGRAMMED,
          Condition.FALSE,
          NO_GATEWAYS,
          "no gateway is connected to the operator; configuration "
              + r.configVersion()
              + " is sent to each one as it connects");
    }
    String fleet =
        r.synced() + " of " + r.total() + " gateways run configuration " + r.configVersion();
    return r.synced() < r.total()
        ? condition(Condition.PROGRAMMED, Condition.FALSE, PENDING, fleet)
        : condition(Condition.PROGRAMMED, Condition.TRUE, PROGRAMMED, fleet);
  }

  private static Condition ready(Condition... parts) {
    for (Condition c : parts) {
      if (!c.isTrue()) {
        return condition(
            Condition.READY, Condition.FALSE, c.getReason(), c.getType() + ": " + c.getMessage());
      }
    }
    return condition(
        Condition.READY,
        Condition.TRUE,
        READY,
        "accepted, references resolved and served by every connected gateway");
  }

  private static String describe(List<Problem> problems) {
    String text = problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    return text.length() <= MAX_MESSAGE
        ? text
        : text.substring(0, MAX_MESSAGE) + " … (" + problems.size() + " problems in all)";
  }

  private static Condition condition(String type, String status, String reason, String message) {
    return new Condition(type, status, reason, message);
  }
}
