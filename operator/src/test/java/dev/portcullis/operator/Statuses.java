package dev.portcullis.operator;

import dev.portcullis.api.Condition;
import dev.portcullis.api.ResourceStatus;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.Optional;

/** Reading conditions in tests. */
final class Statuses {
  private Statuses() {}

  static Optional<Condition> condition(CustomResource<?, ? extends ResourceStatus> r, String type) {
    return r == null || r.getStatus() == null
        ? Optional.empty()
        : r.getStatus().findCondition(type);
  }

  /** "Status/Reason" of a condition, or "absent". */
  static String state(CustomResource<?, ? extends ResourceStatus> r, String type) {
    return condition(r, type).map(c -> c.getStatus() + "/" + c.getReason()).orElse("absent");
  }

  static String message(CustomResource<?, ? extends ResourceStatus> r, String type) {
    return condition(r, type).map(Condition::getMessage).orElse("");
  }
}
