package dev.portcullis.operator;

import dev.portcullis.api.Durations;
import dev.portcullis.api.fleet.FleetProtocol;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The operator program: {@code java -jar portcullis-operator.jar --fleet-token-file F}. Talks to
 * the cluster of the current kubeconfig context, or the one it runs in.
 */
@Command(
    name = "portcullis-operator",
    mixinStandardHelpOptions = true,
    version = "portcullis-operator 0.1.0",
    description = {
      "Portcullis operator: reconciles LLMRoutes, VirtualKeys, GuardrailPolicies and"
          + " PromptTemplates, mints virtual keys and streams the configuration to the gateway"
          + " fleet.",
      "Uses the current kubeconfig context, or the in-cluster service account.",
      "Every option can also be set through the environment variable shown in its description."
    },
    sortOptions = false)
public final class Main implements Callable<Integer> {

  @Option(
      names = "--fleet-token-file",
      required = true,
      defaultValue = "${env:PORTCULLIS_FLEET_TOKEN_FILE}",
      description =
          "File with the token gateways must present (a mounted Secret; re-read on every"
              + " connection) (env PORTCULLIS_FLEET_TOKEN_FILE).")
  Path fleetTokenFile;

  @Option(
      names = "--config-port",
      defaultValue = "${env:PORTCULLIS_CONFIG_PORT:-" + FleetProtocol.DEFAULT_PORT + "}",
      description =
          "Port of the config service gateways connect to (env PORTCULLIS_CONFIG_PORT, default"
              + " ${DEFAULT-VALUE}).")
  int configPort;

  @Option(
      names = "--metrics-port",
      defaultValue =
          "${env:PORTCULLIS_METRICS_PORT:-" + OperatorSettings.DEFAULT_METRICS_PORT + "}",
      description =
          "Port of the Prometheus /metrics endpoint (env PORTCULLIS_METRICS_PORT, default"
              + " ${DEFAULT-VALUE}); -1 turns it off.")
  int metricsPort;

  @Option(
      names = "--namespaces",
      defaultValue = "${env:PORTCULLIS_NAMESPACES}",
      description =
          "Comma-separated namespaces to watch; all namespaces when absent (env"
              + " PORTCULLIS_NAMESPACES).")
  String namespaces;

  @Option(
      names = "--tls-cert",
      defaultValue = "${env:PORTCULLIS_TLS_CERT}",
      description =
          "PEM certificate chain for the config service; plain HTTP without it (env"
              + " PORTCULLIS_TLS_CERT).")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      defaultValue = "${env:PORTCULLIS_TLS_KEY}",
      description = "PEM private key for --tls-cert (env PORTCULLIS_TLS_KEY).")
  Path tlsKey;

  @Option(
      names = "--leader-election",
      negatable = true,
      defaultValue = "${env:PORTCULLIS_LEADER_ELECTION:-true}",
      fallbackValue = "true",
      description =
          "Take the Lease '"
              + OperatorSettings.LEASE_NAME
              + "' before writing status (env PORTCULLIS_LEADER_ELECTION, default"
              + " ${DEFAULT-VALUE}).")
  boolean leaderElection;

  @Option(
      names = "--lease-namespace",
      defaultValue = "${env:POD_NAMESPACE}",
      description =
          "Namespace of the Lease and of each replica's fleet-state ConfigMap; the client's"
              + " namespace when absent (env POD_NAMESPACE).")
  String leaseNamespace;

  @Option(
      names = "--usage-status-interval",
      defaultValue = "${env:PORTCULLIS_USAGE_STATUS_INTERVAL:-10s}",
      converter = DurationConverter.class,
      description =
          "Write a VirtualKey's status.usage at most this often (env"
              + " PORTCULLIS_USAGE_STATUS_INTERVAL, default ${DEFAULT-VALUE}).")
  Duration usageStatusInterval;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if ((tlsCert == null) != (tlsKey == null)) {
      System.err.println("Give both --tls-cert and --tls-key, or neither.");
      return 2;
    }
    Set<String> watched =
        namespaces == null || namespaces.isBlank()
            ? Set.of()
            : Arrays.stream(namespaces.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    OperatorSettings settings =
        new OperatorSettings(
            watched,
            "0.0.0.0",
            configPort,
            fleetTokenFile,
            tlsCert,
            tlsKey,
            leaderElection,
            leaseNamespace,
            true,
            Duration.ofMillis(100),
            Duration.ofSeconds(10),
            usageStatusInterval,
            metricsPort);
    KubernetesClient client = new KubernetesClientBuilder().build();
    PortcullisOperator operator = PortcullisOperator.start(client, settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  client.close();
                  stopped.countDown();
                },
                "portcullis-operator-shutdown"));
    stopped.await();
    return 0;
  }

  /** Kubernetes-style durations: {@code 500ms}, {@code 10s}, {@code 1m}. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value);
    }
  }
}
