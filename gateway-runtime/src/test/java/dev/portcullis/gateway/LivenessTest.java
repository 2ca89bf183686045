package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.admin.AdminService;
import dev.portcullis.gateway.telemetry.GatewayMetrics;
import dev.portcullis.gateway.testing.SecretScan;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Liveness means the traffic listener answers, so a pod whose listener died is restarted. */
class LivenessTest {
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aRunningGatewaysTrafficListenerAnswersTheLivenessProbe() throws Exception {
    try (Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()))) {
      assertThat(gateway.trafficListenerAnswers()).isTrue();
      HttpResponse<String> health = get(gateway.adminPort(), "/healthz");
      assertThat(health.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void healthzFailsWhenTheTrafficListenerDoesNotAnswer() throws Exception {
    WebServer admin =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .routing(
                r ->
                    r.register(
                        new AdminService(
                            () -> null,
                            () -> false,
                            () -> null,
                            new GatewayMetrics(java.time.Clock.systemUTC()),
                            () -> false)))
            .build()
            .start();
    try {
      HttpResponse<String> health = get(admin.port(), "/healthz");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).contains("traffic listener not answering");
    } finally {
      admin.stop();
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
