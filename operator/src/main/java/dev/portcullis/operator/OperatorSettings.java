package dev.portcullis.operator;

import dev.portcullis.api.fleet.FleetProtocol;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * How to run the operator.
 *
 * @param namespaces the namespaces to watch; empty = all
 * @param configHost address of the config service
 * @param configPort port of the config service (0 = a free port, for tests)
 * @param fleetTokenFile file holding the token gateways must present (read on every request, so a
 *     rotated mounted Secret takes effect without a restart)
 * @param tlsCertificate PEM certificate chain for the config service; null = plain HTTP
 * @param tlsKey PEM private key for {@code tlsCertificate}
 * @param leaderElection whether to take a Lease before writing status and minting keys
 * @param leaseNamespace where the Lease and the replicas' fleet-state ConfigMaps live (null = the
 *     client's namespace)
 * @param exitWhenLeaseLost end the process when the Lease is lost (a program); false when embedded
 * @param debounce how long to gather changes before rebuilding the snapshot
 * @param heartbeat how often an idle snapshot stream carries a heartbeat line, and (with leader
 *     election) how often a replica rewrites its fleet-state ConfigMap as a sign of life
 * @param usageStatusInterval a VirtualKey's {@code status.usage} is written at most this often
 * @param metricsPort port of {@code /metrics} (on {@code configHost}); 0 = a free port, -1 = none
 */
public record OperatorSettings(
    Set<String> namespaces,
    String configHost,
    int configPort,
    Path fleetTokenFile,
    Path tlsCertificate,
    Path tlsKey,
    boolean leaderElection,
    String leaseNamespace,
    boolean exitWhenLeaseLost,
    Duration debounce,
    Duration heartbeat,
    Duration usageStatusInterval,
    int metricsPort) {

  /** The {@code --metrics-port} default. */
  public static final int DEFAULT_METRICS_PORT = 8082;

  public static final String LEASE_NAME = "portcullis-operator";
  public static final Duration DEFAULT_USAGE_STATUS_INTERVAL = Duration.ofSeconds(10);

  public OperatorSettings {
    namespaces = Set.copyOf(namespaces);
  }

  /** All namespaces, a free config port, no leader election: for tests and embedding. */
  public static OperatorSettings forTests(Path fleetTokenFile) {
    return new OperatorSettings(
        Set.of(),
        "127.0.0.1",
        0,
        fleetTokenFile,
        null,
        null,
        false,
        null,
        false,
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        DEFAULT_USAGE_STATUS_INTERVAL,
        0);
  }

  /** The port of {@code /metrics} (0: a free port; -1: no metrics listener). */
  public OperatorSettings withMetricsPort(int port) {
    return new OperatorSettings(
        namespaces,
        configHost,
        configPort,
        fleetTokenFile,
        tlsCertificate,
        tlsKey,
        leaderElection,
        leaseNamespace,
        exitWhenLeaseLost,
        debounce,
        heartbeat,
        usageStatusInterval,
        port);
  }

  public OperatorSettings withConfigPort(int port) {
    return new OperatorSettings(
        namespaces,
        configHost,
        port,
        fleetTokenFile,
        tlsCertificate,
        tlsKey,
        leaderElection,
        leaseNamespace,
        exitWhenLeaseLost,
        debounce,
        heartbeat,
        usageStatusInterval,
        metricsPort);
  }

  public OperatorSettings withNamespaces(Set<String> watched) {
    return new OperatorSettings(
        watched,
        configHost,
        configPort,
        fleetTokenFile,
        tlsCertificate,
        tlsKey,
        leaderElection,
        leaseNamespace,
        exitWhenLeaseLost,
        debounce,
        heartbeat,
        usageStatusInterval,
        metricsPort);
  }

  /** TLS on the config service with a PEM certificate chain and its private key. */
  public OperatorSettings withTls(Path certificate, Path key) {
    return new OperatorSettings(
        namespaces,
        configHost,
        configPort,
        fleetTokenFile,
        certificate,
        key,
        leaderElection,
        leaseNamespace,
        exitWhenLeaseLost,
        debounce,
        heartbeat,
        usageStatusInterval,
        metricsPort);
  }

  public OperatorSettings withLeaderElection(String namespace) {
    return new OperatorSettings(
        namespaces,
        configHost,
        configPort,
        fleetTokenFile,
        tlsCertificate,
        tlsKey,
        true,
        namespace,
        exitWhenLeaseLost,
        debounce,
        heartbeat,
        usageStatusInterval,
        metricsPort);
  }

  public OperatorSettings withUsageStatusInterval(Duration interval) {
    return new OperatorSettings(
        namespaces,
        configHost,
        configPort,
        fleetTokenFile,
        tlsCertificate,
        tlsKey,
        leaderElection,
        leaseNamespace,
        exitWhenLeaseLost,
        debounce,
        heartbeat,
        interval,
        metricsPort);
  }

  static int defaultPort() {
    return FleetProtocol.DEFAULT_PORT;
  }
}
