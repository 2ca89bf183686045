package dev.portcullis.api.fleet;

/**
 * The wire contract between the operator's config service and gateways in fleet mode. Both sides
 * name paths and headers through these constants so they cannot drift apart.
 *
 * <ul>
 *   <li>{@code GET} {@value #SNAPSHOTS_PATH}: a long-lived response of type {@value
 *       #STREAM_CONTENT_TYPE}. Each non-empty line is one message in canonical JSON (which has no
 *       raw line breaks); an empty line is a heartbeat. The first message on a connection is the
 *       whole current snapshot ({@code SnapshotCodec.toJson(Snapshot)}); each later version comes
 *       as soon as it is built, as a {@code SnapshotDelta} from the version sent before it (it
 *       names that version in {@code base}), or whole when that is smaller. A gateway applies a
 *       delta only on top of the version it names; when it runs another one (it rejected the base)
 *       it drops the connection and reconnects, and so gets a whole snapshot again.
 *   <li>{@code POST} {@value #ACKS_PATH}: the gateway's answer to one version, a JSON {@link
 *       FleetAck}. Answered with 204.
 *   <li>{@code POST} {@value #USAGE_PATH}: a JSON {@link UsageReport} with the totals of the keys
 *       whose usage changed since the gateway's last report (all keys it knows after it connects).
 *       Answered with 204.
 * </ul>
 *
 * Both requests carry {@code Authorization: Bearer <fleet token>} and the pod name in {@value
 * #POD_HEADER}; without the right token the answer is 401.
 *
 * <p>The snapshot stream's request also carries what the gateway enforces, {@link
 * GatewayCapabilities} as one line of JSON in {@value #CAPABILITIES_HEADER}. A gateway that sends
 * none (one built before capabilities) is taken to enforce {@link GatewayCapabilities#BASELINE}; a
 * malformed announcement is answered 400. Each acknowledgement of an applied version lists the
 * entries the gateway cannot enforce ({@link FleetAck#notEnforced()}).
 */
public final class FleetProtocol {
  public static final String SNAPSHOTS_PATH = "/v1/fleet/snapshots";
  public static final String ACKS_PATH = "/v1/fleet/acks";
  public static final String USAGE_PATH = "/v1/fleet/usage";
  public static final String POD_HEADER = "X-Portcullis-Pod";
  public static final String CAPABILITIES_HEADER = "X-Portcullis-Capabilities";
  public static final String STREAM_CONTENT_TYPE = "application/x-ndjson";

  /** The config service's default port. */
  public static final int DEFAULT_PORT = 8081;

  private FleetProtocol() {}
}
