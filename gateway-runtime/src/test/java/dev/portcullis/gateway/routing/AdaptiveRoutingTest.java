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
import dev.portcullis.gateway.testing.TestSnapshots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Adaptive routing reacts within a bounded number of requests when a target degrades. */
class AdaptiveRoutingTest {
  static final String KEY = "pc-test-routing-adaptive-01234";
  FakeUpstream a;
  FakeUpstream b;
  Gateway gateway;
  GatewayClient client;

  @BeforeEach
  void start() throws Exception {
    a = FakeUpstream.start(0);
    b = FakeUpstream.start(0);
    gateway = Gateway.start(GatewaySettings.ephemeral());
    client = new GatewayClient(gateway, KEY);
    gateway.apply(
        TestSnapshots.builder()
            .key("team-a", "app", KEY)
            .route(
                routeSpec(
                        "adaptive",
                        Mode.ADAPTIVE,
                        provider("a", "openai", "m-a", a.baseUrl() + "/v1"),
                        provider("b", "openai", "m-b", b.baseUrl() + "/v1"))
                    .adaptive(0.5, 0.3, 0.2, 0.01))
            .build());
    for (int i = 0; i < 10; i++) {
      client.chat("adaptive");
    }
    assertThat(a.requestCount()).as("both targets are in use while healthy").isPositive();
    assertThat(b.requestCount()).isPositive();
  }

  @AfterEach
  void stop() {
    gateway.close();
    a.close();
    b.close();
  }

  @Test
  void movesTrafficOffATargetThatBecomesSlow() {
    a.setDefaultBehaviour("latency=400ms");
    for (int i = 0; i < 10; i++) {
      client.chat("adaptive");
    }
    long before = a.requestCount();
    int onA = 0;
    for (int i = 0; i < 20; i++) {
      if ("a".equals(header(client.chat("adaptive"), "x-portcullis-target"))) {
        onA++;
      }
    }
    assertThat(onA).isLessThanOrEqualTo(2);
    assertThat(a.requestCount() - before).isLessThanOrEqualTo(2);
  }

  @Test
  void movesTrafficOffATargetThatStartsFailing() {
    a.setDefaultBehaviour("status=500");
    for (int i = 0; i < 10; i++) {
      assertThat(client.chat("adaptive").statusCode())
          .as("fallback to b keeps requests succeeding")
          .isEqualTo(200);
    }
    long before = a.requestCount();
    for (int i = 0; i < 20; i++) {
      client.chat("adaptive");
    }
    assertThat(a.requestCount() - before).isLessThanOrEqualTo(2);
  }
}
