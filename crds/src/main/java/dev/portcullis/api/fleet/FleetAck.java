package dev.portcullis.api.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A gateway's answer to one snapshot version.
 *
 * @param pod the gateway pod's name
 * @param version the snapshot version answered
 * @param applied true when the gateway runs it; false when it rejected it and kept its last good
 *     one
 * @param reason why it was rejected (null when applied); never contains a secret value
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetAck(String pod, String version, boolean applied, String reason) {
  public static FleetAck applied(String pod, String version) {
    return new FleetAck(pod, version, true, null);
  }

  public static FleetAck rejected(String pod, String version, String reason) {
    return new FleetAck(pod, version, false, reason);
  }
}
