package dev.portcullis.gateway.routing;

import static dev.portcullis.gateway.testing.GatewayClient.header;
import static dev.portcullis.gateway.testing.TestSnapshots.provider;
import static dev.portcullis.gateway.testing.TestSnapshots.routeSpec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.testing.GatewayClient;
import dev.portcullis.gateway.testing.MutableClock;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cooldown over HTTP: a target that fails twice within a minute is skipped for 30 s, then probed by
 * one request. Time is moved by hand.
 */
class CooldownTest {
  static final String KEY = "pc-test-routing-cooldown-01234";
  final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  FakeUpstream flaky;
  FakeUpstream backup;
  Gateway gateway;
  GatewayClient client;

  @BeforeEach
  void start() throws Exception {
    flaky = FakeUpstream.builder().port(0).defaultBehaviour("status=503;retry-after=0").start();
    backup = FakeUpstream.start(0);
    gateway = Gateway.start(GatewaySettings.ephemeral(), clock);
    client = new GatewayClient(gateway, KEY);
    Duration window = Duration.ofSeconds(60);
    Duration duration = Duration.ofSeconds(30);
    gateway.apply(
        TestSnapshots.builder()
            .key("team-a", "app", KEY)
            .route(
                routeSpec(
                        "guarded",
                        Mode.FALLBACK,
                        provider("flaky", "openai", "m-flaky", flaky.baseUrl() + "/v1"),
                        provider("backup", "openai", "m-backup", backup.baseUrl() + "/v1"))
                    .cooldown(2, window, duration))
            .route(
                routeSpec(
                        "alone",
                        Mode.SINGLE,
                        provider("flaky", "openai", "m-flaky", flaky.baseUrl() + "/v1"))
                    .cooldown(2, window, duration))
            .build());
  }

  @AfterEach
  void stop() {
    gateway.close();
    flaky.close();
    backup.close();
  }

  private void openTheBreaker() {
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> res = client.chat("guarded");
      assertThat(header(res, "x-portcullis-fallback-path")).isEqualTo("flaky>backup");
    }
  }

  @Test
  void opensAfterRepeatedFailuresAndSkipsTheTarget() {
    openTheBreaker();
    HttpResponse<String> res = client.chat("guarded");
    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(header(res, "x-portcullis-target")).isEqualTo("backup");
    assertThat(header(res, "x-portcullis-attempts")).isEqualTo("1");
    assertThat(flaky.requestCount()).isEqualTo(2);
  }

  @Test
  void staysOpenUntilTheCooldownIsOver() {
    openTheBreaker();
    clock.advance(Duration.ofSeconds(29));
    client.chat("guarded");
    assertThat(flaky.requestCount()).isEqualTo(2);
  }

  @Test
  void probesOnceAfterTheCooldownAndClosesWhenTheProbeSucceeds() {
    openTheBreaker();
    flaky.setDefaultBehaviour("");
    clock.advance(Duration.ofSeconds(31));
    HttpResponse<String> probe = client.chat("guarded");
    assertThat(header(probe, "x-portcullis-target")).isEqualTo("flaky");
    HttpResponse<String> after = client.chat("guarded");
    assertThat(header(after, "x-portcullis-target")).isEqualTo("flaky");
    assertThat(flaky.requestCount()).isEqualTo(4);
  }

  @Test
  void aFailedProbeOpensItAgain() {
    openTheBreaker();
    clock.advance(Duration.ofSeconds(31));
    HttpResponse<String> probe = client.chat("guarded");
    assertThat(header(probe, "x-portcullis-fallback-path")).isEqualTo("flaky>backup");
    HttpResponse<String> next = client.chat("guarded");
    assertThat(header(next, "x-portcullis-attempts")).isEqualTo("1");
    assertThat(flaky.requestCount()).isEqualTo(3);
  }

  @Test
  void aRouteWhoseOnlyTargetCoolsDownAnswers503() {
    client.chat("alone");
    client.chat("alone");
    HttpResponse<String> res = client.chat("alone");
    assertThat(res.statusCode()).isEqualTo(503);
    assertThat(res.body()).contains("no_available_target").contains("cooling down");
    assertThat(flaky.requestCount()).isEqualTo(2);
  }
}
