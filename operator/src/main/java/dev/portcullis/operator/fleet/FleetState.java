package dev.portcullis.operator.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.fleet.NotEnforced;
import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.operator.usage.PromptResultsRollup;
import dev.portcullis.operator.usage.UsageRollup;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * One operator replica's part of the fleet, as it publishes it in its ConfigMap ({@link
 * FleetStatePublisher}) for the other replicas to read ({@link RemoteFleet}): the gateways
 * connected to it and the usage figures and prompt results its gateways reported. Versions, pod
 * names, key names and figures only: never a key, token or Secret value.
 *
 * @param replica the publishing replica's identity (its Lease identity)
 * @param updatedAt when it was written (RFC 3339); older than three heartbeats means the replica is
 *     gone
 * @param pods the gateways connected to that replica
 * @param usage per VirtualKey, the figures reported to that replica, combined as {@link
 *     UsageRollup} combines them (fleet figures by max, each gateway instance's by max)
 * @param prompts per gateway instance, the prompt template versions' results it reported to that
 *     replica ({@link PromptResultsRollup}; absent from a replica of an older operator)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FleetState(
    String replica,
    String updatedAt,
    List<PodState> pods,
    List<Usage> usage,
    List<InstancePrompts> prompts) {

  /** ConfigMap label every replica's fleet state carries; the informer selects on it. */
  public static final String COMPONENT_LABEL = "app.kubernetes.io/component";

  public static final String COMPONENT = "fleet-state";

  /** ConfigMap label naming the replica (a label-safe form of its identity). */
  public static final String REPLICA_LABEL = "portcullis.dev/replica";

  /** The {@code binaryData} entry holding the gzipped JSON. */
  public static final String DATA_KEY = "fleet-state.json.gz";

  public static final String NAME_PREFIX = "portcullis-fleet-";

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public FleetState {
    pods = pods == null ? List.of() : List.copyOf(pods);
    usage = usage == null ? List.of() : List.copyOf(usage);
    prompts = prompts == null ? List.of() : List.copyOf(prompts);
  }

  /** A state without prompt results. */
  public FleetState(String replica, String updatedAt, List<PodState> pods, List<Usage> usage) {
    this(replica, updatedAt, pods, usage, List.of());
  }

  /**
   * One gateway instance's cumulative prompt results, as it reported them ({@code
   * UsageReport.prompts} of its latest reports, each version's figure the largest seen).
   */
  public record InstancePrompts(String instance, List<UsageReport.PromptTotals> versions) {
    public InstancePrompts {
      versions = versions == null ? List.of() : List.copyOf(versions);
    }
  }

  /**
   * One gateway connected to the replica.
   *
   * @param since when the replica last saw this gateway's state change (connected, answered); when
   *     two replicas both list a pod, the more recent one is believed
   * @param notEnforced the entries of the running version the gateway cannot enforce (absent when
   *     none; a replica of an older operator writes none)
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record PodState(
      String name,
      String runningVersion,
      String rejectedVersion,
      String rejection,
      String since,
      List<NotEnforced> notEnforced) {
    public PodState {
      notEnforced = notEnforced == null ? List.of() : List.copyOf(notEnforced);
    }

    public PodState(
        String name,
        String runningVersion,
        String rejectedVersion,
        String rejection,
        String since) {
      this(name, runningVersion, rejectedVersion, rejection, since, List.of());
    }

    Fleet.Pod toPod() {
      return new Fleet.Pod(name, runningVersion, rejectedVersion, rejection, notEnforced);
    }
  }

  /**
   * One key's figures in its current period.
   *
   * @param fleet the largest FLEET-scope figures reported (gateways sharing Redis), or null
   * @param instances per gateway instance, its largest POD-scope figures
   * @param uid the VirtualKey's {@code metadata.uid} the figures are of, or null (not known)
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Usage(
      String key,
      String period,
      String periodStart,
      Figures fleet,
      Map<String, Figures> instances,
      String uid) {
    public Usage {
      instances = instances == null ? Map.of() : Map.copyOf(instances);
    }

    /** Figures of a key whose uid is not known. */
    public Usage(
        String key,
        String period,
        String periodStart,
        Figures fleet,
        Map<String, Figures> instances) {
      this(key, period, periodStart, fleet, instances, null);
    }
  }

  /** A key's figures as the gateways report them ({@code UsageReport.KeyTotals} less the key). */
  public record Figures(
      @JsonProperty("spendUSD") String spendUsd,
      long requests,
      long inputTokens,
      long outputTokens) {}

  /** The ConfigMap name of a replica: {@code portcullis-fleet-<identity>}, made a valid name. */
  public static String configMapName(String identity) {
    String name = NAME_PREFIX + sanitize(identity, 253 - NAME_PREFIX.length(), "-.");
    return name.endsWith("-") || name.endsWith(".") ? name + "x" : name;
  }

  /** The identity as a label value (at most 63 characters, alphanumerics at both ends). */
  public static String labelValue(String identity) {
    String value = sanitize(identity, 63, "-_.");
    while (!value.isEmpty() && !Character.isLetterOrDigit(value.charAt(value.length() - 1))) {
      value = value.substring(0, value.length() - 1);
    }
    while (!value.isEmpty() && !Character.isLetterOrDigit(value.charAt(0))) {
      value = value.substring(1);
    }
    return value;
  }

  private static String sanitize(String identity, int max, String allowed) {
    StringBuilder out = new StringBuilder();
    for (char c : identity.toLowerCase(java.util.Locale.ROOT).toCharArray()) {
      boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || allowed.indexOf(c) >= 0;
      out.append(ok ? c : '-');
      if (out.length() == max) {
        break;
      }
    }
    return out.toString();
  }

  /** The state as gzipped JSON, as it is stored in {@code binaryData}. */
  public byte[] gzip() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      JSON.writeValue(gz, this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a state written by {@link #gzip}.
   *
   * @throws IOException when the bytes are not gzipped fleet-state JSON
   */
  public static FleetState gunzip(byte[] gzipped) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      return JSON.readValue(in, FleetState.class);
    }
  }
}
