package dev.portcullis.gateway.routing;

import static dev.portcullis.gateway.testing.GatewayClient.header;
import static dev.portcullis.gateway.testing.TestSnapshots.provider;
import static dev.portcullis.gateway.testing.TestSnapshots.routeSpec;
import static dev.portcullis.gateway.testing.TestSnapshots.withWeight;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.testing.GatewayClient;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each strategy over real HTTP against the fake upstream, nested routes included. */
class RoutingStrategiesTest {
  static final String KEY = "pc-test-routing-strategies-0123";
  static final ObjectMapper JSON = new ObjectMapper();
  static FakeUpstream fake;
  static Gateway gateway;
  static GatewayClient client;

  @BeforeAll
  static void start() throws Exception {
    fake = FakeUpstream.start(0);
    gateway = Gateway.start(GatewaySettings.ephemeral());
    client = new GatewayClient(gateway, KEY);
    String url = fake.baseUrl() + "/v1";
    gateway.apply(
        TestSnapshots.builder()
            .key("team-a", "app", KEY)
            .route(
                routeSpec(
                    "single",
                    Mode.SINGLE,
                    provider("first", "openai", "m-first", url),
                    provider("second", "openai", "m-second", url)))
            .route(
                routeSpec(
                    "balanced",
                    Mode.LOAD_BALANCE,
                    withWeight(provider("big", "openai", "m-big", url), 3),
                    withWeight(provider("small", "openai", "m-small", url), 1)))
            .route(
                routeSpec(
                    "fallback",
                    Mode.FALLBACK,
                    provider("primary", "openai", "m-primary;status=503", url),
                    provider("secondary", "openai", "m-secondary", url)))
            .route(
                routeSpec(
                    "fallback-not-on-400",
                    Mode.FALLBACK,
                    provider("primary", "openai", "m-primary;status=400", url),
                    provider("secondary", "openai", "m-secondary", url)))
            .route(
                routeSpec(
                        "fallback-only-on-502",
                        Mode.FALLBACK,
                        provider("primary", "openai", "m-primary;status=503", url),
                        provider("secondary", "openai", "m-secondary", url))
                    .fallbackOn(Set.of(502), true, true))
            .route(
                routeSpec(
                        "conditional",
                        Mode.CONDITIONAL,
                        provider("standard", "openai", "m-standard", url),
                        provider("premium", "openai", "m-premium", url),
                        provider("search", "openai", "m-search", url),
                        provider("streamer", "openai", "m-streamer", url),
                        provider("long", "openai", "m-long", url))
                    .when("{\"metadata.tier\":{\"in\":[\"pro\",\"enterprise\"]}}", "premium")
                    .when("{\"headers.x-team\":{\"eq\":\"search\"}}", "search")
                    .when("{\"params.stream\":{\"eq\":true}}", "streamer")
                    .when("{\"params.max_tokens\":{\"gt\":1000}}", "long")
                    .defaultTarget("standard"))
            .route(
                routeSpec(
                    "outer",
                    Mode.FALLBACK,
                    provider("primary", "openai", "m-primary;status=503", url),
                    TestSnapshots.routeTarget("pool", "team-a/pool")))
            .route(
                routeSpec(
                    "pool",
                    Mode.LOAD_BALANCE,
                    provider("pool-a", "openai", "m-pool-a", url),
                    provider("pool-b", "openai", "m-pool-b", url)))
            .build());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    fake.close();
  }

  private static String servedModel(HttpResponse<String> res) throws Exception {
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return JSON.readTree(res.body()).path("model").asText();
  }

  @Test
  void singleAlwaysUsesTheFirstTarget() throws Exception {
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> res = client.chat("single");
      assertThat(servedModel(res)).isEqualTo("m-first");
      assertThat(header(res, "x-portcullis-target")).isEqualTo("first");
      assertThat(header(res, "x-portcullis-attempts")).isEqualTo("1");
    }
  }

  @Test
  void loadBalanceSplitsRequestsByWeight() {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      counts.merge(header(client.chat("balanced"), "x-portcullis-target"), 1, Integer::sum);
    }
    // 3:1 means 150 of 200 expected; the bounds are over five standard deviations wide.
    assertThat(counts.get("big")).isBetween(120, 180);
    assertThat(counts.get("small")).isBetween(20, 80);
  }

  @Test
  void fallbackMovesOnWhenThePrimaryFailsAndSaysSo() throws Exception {
    HttpResponse<String> res = client.chat("fallback");
    assertThat(servedModel(res)).isEqualTo("m-secondary");
    assertThat(header(res, "x-portcullis-target")).isEqualTo("secondary");
    assertThat(header(res, "x-portcullis-attempts")).isEqualTo("2");
    assertThat(header(res, "x-portcullis-fallback-path")).isEqualTo("primary>secondary");
  }

  @Test
  void aClientErrorIsNotFallenBackFrom() {
    HttpResponse<String> res = client.chat("fallback-not-on-400");
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(header(res, "x-portcullis-target")).isEqualTo("primary");
    assertThat(header(res, "x-portcullis-fallback-path")).isNull();
  }

  @Test
  void fallbackFollowsTheConfiguredStatusCodes() {
    HttpResponse<String> res = client.chat("fallback-only-on-502");
    assertThat(res.statusCode()).isEqualTo(503);
    assertThat(header(res, "x-portcullis-attempts")).isEqualTo("1");
  }

  @Test
  void conditionalRoutesOnMetadata() throws Exception {
    HttpResponse<String> res =
        client.chat("conditional", false, Map.of("x-portcullis-metadata", "{\"tier\":\"pro\"}"));
    assertThat(servedModel(res)).isEqualTo("m-premium");
  }

  @Test
  void conditionalRoutesOnHeaders() throws Exception {
    HttpResponse<String> res = client.chat("conditional", false, Map.of("x-team", "search"));
    assertThat(servedModel(res)).isEqualTo("m-search");
  }

  @Test
  void conditionalRoutesOnParams() throws Exception {
    HttpResponse<String> streamed = client.chat("conditional", true, Map.of());
    assertThat(header(streamed, "x-portcullis-target")).isEqualTo("streamer");
    HttpResponse<String> longer =
        client.chatWithBody(
            "{\"model\":\"conditional\",\"max_tokens\":4000,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            Map.of());
    assertThat(servedModel(longer)).isEqualTo("m-long");
  }

  @Test
  void conditionalTakesTheFirstMatchingRule() throws Exception {
    HttpResponse<String> res =
        client.chat(
            "conditional",
            true,
            Map.of("x-portcullis-metadata", "{\"tier\":\"enterprise\"}", "x-team", "search"));
    assertThat(header(res, "x-portcullis-target")).isEqualTo("premium");
  }

  @Test
  void conditionalUsesTheDefaultWhenNothingMatches() throws Exception {
    HttpResponse<String> res =
        client.chat("conditional", false, Map.of("x-portcullis-metadata", "{\"tier\":\"free\"}"));
    assertThat(servedModel(res)).isEqualTo("m-standard");
  }

  @Test
  void conditionalRejectsMetadataThatIsNotAJsonObject() throws Exception {
    HttpResponse<String> res =
        client.chat("conditional", false, Map.of("x-portcullis-metadata", "tier=pro"));
    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(res.body()).path("error").path("code").asText())
        .isEqualTo("invalid_metadata");
  }

  @Test
  void aNestedRouteServesAsAFallbackTarget() throws Exception {
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> res = client.chat("outer");
      served.merge(servedModel(res), 1, Integer::sum);
      assertThat(header(res, "x-portcullis-attempts")).isEqualTo("2");
      assertThat(header(res, "x-portcullis-fallback-path")).startsWith("primary>pool-");
      assertThat(header(res, "x-portcullis-route")).isEqualTo("team-a/outer");
    }
    // The nested route load-balances: both of its targets serve.
    assertThat(served.keySet()).containsExactlyInAnyOrder("m-pool-a", "m-pool-b");
  }
}
