package dev.portcullis.api.fleet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A gateway's answer to one snapshot version.
 *
 * @param pod the gateway pod's name
 * @param version the snapshot version answered
 * @param applied true when the gateway runs it; false when it rejected it and kept its last good
 *     one
 * @param reason why it was rejected (null when applied); never contains a secret value
 * @param notEnforced when applied: the entries the gateway runs without enforcing them, because
 *     they need a capability it lacks (its routes answer 503); absent when there are none, so a
 *     gateway with nothing to report answers as gateways did before capabilities
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record FleetAck(
    String pod, String version, boolean applied, String reason, List<NotEnforced> notEnforced) {

  public FleetAck {
    notEnforced = notEnforced == null ? List.of() : List.copyOf(notEnforced);
  }

  public FleetAck(String pod, String version, boolean applied, String reason) {
    this(pod, version, applied, reason, List.of());
  }

  public static FleetAck applied(String pod, String version) {
    return new FleetAck(pod, version, true, null);
  }

  /** Applied, with the entries this gateway cannot enforce. */
  public static FleetAck applied(String pod, String version, List<NotEnforced> notEnforced) {
    return new FleetAck(pod, version, true, null, notEnforced);
  }

  public static FleetAck rejected(String pod, String version, String reason) {
    return new FleetAck(pod, version, false, reason);
  }
}
