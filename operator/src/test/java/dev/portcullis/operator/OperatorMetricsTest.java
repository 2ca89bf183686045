package dev.portcullis.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} on the operator's own port: reconciliations (java-operator-sdk), the served
 * snapshot, gateways connected and in sync, and the config-push latency, over real HTTP.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorMetricsTest {
  static final String TOKEN = "the-metrics-fleet-token";
  static KubernetesMockServer server;
  static KubernetesClient client;
  static TestCluster cluster;
  static PortcullisOperator operator;

  @BeforeAll
  static void start() throws Exception {
    TestCluster.installCrds(client);
    cluster = new TestCluster(client);
    operator =
        PortcullisOperator.start(client, OperatorSettings.forTests(TestCluster.tokenFile(TOKEN)));
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  static String metrics() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + operator.metricsPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    return response.body();
  }

  /** The value of the sample line that starts with {@code series} (name and labels, if any). */
  static double value(String text, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + "(\\{[^}]*})? ([0-9.eE+-]+|NaN)$")
            .matcher(text);
    assertThat(m.find()).as(series + " in\n" + text).isTrue();
    return Double.parseDouble(m.group(2));
  }

  @Test
  void gatewaysSnapshotPushLatencyAndReconciliationsAreServed() throws Exception {
    String ns = TestCluster.freshNamespace();
    try (FleetTestClient gateway =
        new FleetTestClient(operator.configPort(), TOKEN, "gw-metrics-" + System.nanoTime())) {
      assertThat(gateway.connect()).isEqualTo(200);
      cluster.create(
          LLMRoute.class,
          """
          apiVersion: portcullis.dev/v1alpha1
          kind: LLMRoute
          metadata: {name: chat, namespace: %s}
          spec:
            model: m
            targets: [{name: echo, provider: echo, model: echo}]
          """
              .formatted(ns));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  operator.servedSnapshotRoutes().contains(ns + "/chat")
                      && operator.servedVersion().equals(gateway.latest()));
      String sent = gateway.latest();
      assertThat(value(metrics(), "portcullis_operator_gateways_connected")).isEqualTo(1);
      assertThat(value(metrics(), "portcullis_operator_gateways_synced")).isZero();

      assertThat(gateway.ack(sent)).isBetween(200, 299);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> value(metrics(), "portcullis_operator_gateways_synced") == 1);
      String text = metrics();
      assertThat(value(text, "portcullis_operator_config_push_seconds_count")).isEqualTo(1);
      assertThat(value(text, "portcullis_operator_snapshot_routes")).isGreaterThanOrEqualTo(1);
      assertThat(value(text, "portcullis_operator_snapshot_bytes")).isPositive();
      assertThat(value(text, "portcullis_operator_snapshot_build_last_seconds")).isPositive();
      // java-operator-sdk's own: reconciliations per controller.
      assertThat(text).contains("operator_sdk_reconciliations");
    }
  }
}
