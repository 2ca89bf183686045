package dev.portcullis.gateway.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrafficCountersTest {
  private FakeUpstream fake;
  private LoopbackClient client;

  @BeforeEach
  void start() {
    fake = FakeUpstream.builder().recordLimit(5).start();
    client = new LoopbackClient(fake);
  }

  @AfterEach
  void stop() {
    fake.stop();
  }

  private static final String CHAT =
      """
      {"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""";

  @Test
  void maxInFlightSeesConcurrentRequests() {
    fake.setDefaultBehaviour("latency=500ms");
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<HttpResponse<String>>> calls =
        IntStream.range(0, 12)
            .mapToObj(
                i ->
                    http.sendAsync(
                        client
                            .request("/v1/chat/completions")
                            .POST(HttpRequest.BodyPublishers.ofString(CHAT))
                            .build(),
                        HttpResponse.BodyHandlers.ofString()))
            .toList();
    calls.forEach(CompletableFuture::join);

    assertThat(fake.maxInFlight()).isEqualTo(12);
    // The server counts a request out after its last byte is written, which may be just after the
    // client has read it.
    await().atMost(Duration.ofSeconds(5)).until(() -> fake.inFlight() == 0);
    assertThat(fake.requestCount()).isEqualTo(12);
  }

  @Test
  void inFlightCountsARequestWhileItIsServed() throws Exception {
    HttpResponse<InputStream> response =
        client.open(
            "/v1/chat/completions",
            """
            {"model":"gpt-4o","stream":true,"messages":[]}""",
            "x-fake-behaviour",
            "tokens=3;tokens-per-second=4");

    assertThat(fake.inFlight()).isEqualTo(1);
    response.body().readAllBytes();
    await().atMost(Duration.ofSeconds(5)).until(() -> fake.inFlight() == 0);
  }

  @Test
  void closingAStreamEarlyCountsAsCancelled() throws Exception {
    HttpResponse<InputStream> response =
        client.open(
            "/v1/chat/completions",
            """
            {"model":"gpt-4o","stream":true,"messages":[]}""",
            "x-fake-behaviour",
            "tokens=1000;tokens-per-second=50");
    try (InputStream body = response.body()) {
      assertThat(LoopbackClient.readEvents(body, 3)).hasSize(3);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> fake.cancelled() == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> fake.inFlight() == 0);
  }

  @Test
  void aCompletedStreamIsNotCancelled() throws Exception {
    client.stream(
        "/v1/chat/completions",
        """
        {"model":"gpt-4o","stream":true,"messages":[]}""");

    assertThat(fake.cancelled()).isZero();
  }

  @Test
  void keepAliveRequestsShareOneConnectionAndANewClientOpensAnother() {
    client.post("/v1/chat/completions", CHAT);
    client.post("/v1/chat/completions", CHAT);
    client.post("/v1/chat/completions", CHAT);
    assertThat(fake.connectionsAccepted()).isEqualTo(1);

    new LoopbackClient(fake).post("/v1/chat/completions", CHAT);
    assertThat(fake.connectionsAccepted()).isEqualTo(2);
  }

  @Test
  void recordsMethodPathHeadersBodyAndKey() {
    client.post(
        "/v1/chat/completions?trace=1", CHAT, "authorization", "Bearer sk-live", "x-team", "a");

    RecordedRequest request = fake.lastRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/v1/chat/completions");
    assertThat(request.query()).isEqualTo("trace=1");
    assertThat(request.header("X-Team")).isEqualTo("a");
    assertThat(request.apiKey()).isEqualTo("sk-live");
    assertThat(request.bodyText()).isEqualTo(CHAT);
    assertThat(request.toString()).doesNotContain("sk-live");
  }

  @Test
  void keepsOnlyTheLastRequestsUpToTheRecordLimit() {
    for (int i = 0; i < 7; i++) {
      client.post("/v1/chat/completions", CHAT, "x-n", Integer.toString(i));
    }

    assertThat(fake.requests())
        .extracting(r -> r.header("x-n"))
        .containsExactly("2", "3", "4", "5", "6");
    assertThat(fake.requestCount()).isEqualTo(7);
  }

  @Test
  void controlEndpointsExposeRequestsAndStatsWithoutCountingThemselves() {
    client.post("/v1/chat/completions", CHAT, "x-api-key", "k1");

    JsonNode requests = LoopbackClient.json(client.get("/_fake/requests"));
    JsonNode stats = LoopbackClient.json(client.get("/_fake/stats"));

    assertThat(requests).hasSize(1);
    assertThat(requests.at("/0/path").asText()).isEqualTo("/v1/chat/completions");
    assertThat(requests.at("/0/apiKey").asText()).isEqualTo("k1");
    assertThat(LoopbackClient.json(requests.at("/0/body").asText()).get("model").asText())
        .isEqualTo("gpt-4o");
    assertThat(stats.get("requests").asInt()).isEqualTo(1);
    assertThat(stats.get("inFlight").asInt()).isZero();
    assertThat(stats.get("connections").asInt()).isEqualTo(1);
  }

  @Test
  void resetEndpointClearsRequestsAndCounters() {
    client.post("/v1/chat/completions", CHAT);
    int status =
        client
            .send(client.request("/_fake/reset").POST(HttpRequest.BodyPublishers.noBody()).build())
            .statusCode();

    assertThat(status).isEqualTo(204);
    assertThat(fake.requests()).isEmpty();
    assertThat(fake.requestCount()).isZero();
    assertThat(fake.maxInFlight()).isZero();
    assertThat(fake.connectionsAccepted()).isZero();
  }

  @Test
  void defaultBehaviourCanBeSwitchedWhileRunning() {
    assertThat(client.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);

    fake.setDefaultBehaviour("status=503");
    assertThat(client.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(503);

    fake.setDefaultBehaviour(Behaviour.none());
    assertThat(client.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
  }

  @Test
  void aSlowDefaultSlowsEveryRequestThatDoesNotChooseOtherwise() {
    fake.setDefaultBehaviour("latency=400ms");

    long start = System.nanoTime();
    client.post("/v1/chat/completions", CHAT);
    long slowMillis = (System.nanoTime() - start) / 1_000_000;
    start = System.nanoTime();
    client.post("/v1/chat/completions", CHAT, "x-fake-latency", "0ms");
    long fastMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(slowMillis).isGreaterThanOrEqualTo(400);
    assertThat(fastMillis).isLessThan(400);
  }

  @Test
  void behaviourEndpointReplacesTheDefault() {
    HttpResponse<String> put =
        client.send(
            client
                .request("/_fake/behaviour")
                .PUT(HttpRequest.BodyPublishers.ofString("status=429;retry-after=2"))
                .build());

    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(fake.defaultBehaviour().status()).isEqualTo(429);
    assertThat(client.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(429);
    assertThat(client.get("/_fake/behaviour").body()).isEqualTo("status=429;retry-after=2000ms");
  }

  @Test
  void behaviourEndpointRejectsAnInvalidSpec() {
    HttpResponse<String> put =
        client.send(
            client
                .request("/_fake/behaviour")
                .PUT(HttpRequest.BodyPublishers.ofString("status=abc"))
                .build());

    assertThat(put.statusCode()).isEqualTo(400);
    assertThat(put.body()).contains("status");
    assertThat(fake.defaultBehaviour()).isEqualTo(Behaviour.none());
  }
}
