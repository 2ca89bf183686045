package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portcullis.api.fleet.FleetAck;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.SnapshotDelta;
import dev.portcullis.gateway.testing.FakeConfigService;
import dev.portcullis.gateway.testing.GatewayClient;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet mode against a fake config service that speaks the operator's protocol: what a gateway
 * applies, acknowledges and rejects, and how it behaves while the operator is away or refuses it.
 */
class FleetConfigSourceTest {
  static final String TOKEN = "fleet-token-for-the-fake";
  static final String KEY = "pc-fleet-test-key-0123456789";
  static final FleetConfigSource.Options FAST =
      new FleetConfigSource.Options(
          Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(800));
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  Path tokenFile;
  FakeConfigService service;
  Gateway gateway;
  FleetConfigSource source;
  final List<LogRecord> logged = new CopyOnWriteArrayList<>();
  final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void start() throws Exception {
    tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    service = FakeConfigService.start(TOKEN);
    gateway = Gateway.start(GatewaySettings.ephemeral());
    Logger.getLogger(FleetConfigSource.class.getName()).addHandler(capture);
  }

  @AfterEach
  void stop() {
    Logger.getLogger(FleetConfigSource.class.getName()).removeHandler(capture);
    if (source != null) {
      source.close();
    }
    gateway.close();
    service.close();
  }

  void connect() {
    source =
        FleetConfigSource.start(
            URI.create("http://127.0.0.1:" + service.port()),
            tokenFile,
            "gateway-0",
            gateway,
            FAST);
  }

  static Snapshot echoRoute(String model) {
    return TestSnapshots.builder()
        .route("team-a", model, model, Mode.SINGLE, TestSnapshots.echo("echo"))
        .key("team-a", "app", KEY)
        .build();
  }

  static Snapshot unknownProvider() {
    return TestSnapshots.builder()
        .route(
            "team-a",
            "broken",
            "broken",
            Mode.SINGLE,
            TestSnapshots.provider("main", "no-such-provider", "m", "http://127.0.0.1:9"))
        .key("team-a", "app", KEY)
        .build();
  }

  int readyz() throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.adminPort() + "/readyz"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  int chat(String model) {
    return new GatewayClient(gateway, KEY).chat(model).statusCode();
  }

  @Test
  void isNotReadyUntilTheFirstSnapshotIsApplied() throws Exception {
    connect();
    await().atMost(Duration.ofSeconds(5)).until(() -> source.isConnected());
    assertThat(readyz()).isEqualTo(503);

    Snapshot first = echoRoute("chat");
    service.push(first);

    await().atMost(Duration.ofSeconds(5)).until(() -> readyz() == 200);
    assertThat(gateway.appliedVersion()).isEqualTo(first.version());
  }

  @Test
  void appliesEachSnapshotAndAcknowledgesItsVersion() {
    Snapshot first = echoRoute("chat");
    Snapshot second = echoRoute("chat-v2");
    service.push(first);
    connect();
    await().atMost(Duration.ofSeconds(5)).until(() -> !service.acksOf(first.version()).isEmpty());

    service.push(second);

    await().atMost(Duration.ofSeconds(5)).until(() -> !service.acksOf(second.version()).isEmpty());
    assertThat(service.acks)
        .containsExactly(
            FleetAck.applied("gateway-0", first.version()),
            FleetAck.applied("gateway-0", second.version()));
    assertThat(gateway.appliedVersion()).isEqualTo(second.version());
    assertThat(chat("chat-v2")).isEqualTo(200);
  }

  @Test
  void appliesADeltaOnTopOfTheRunningSnapshotOverTheSameStream() {
    Snapshot first = echoRoute("chat");
    Snapshot second = echoRoute("chat-v2");
    service.push(first);
    connect();
    await().atMost(Duration.ofSeconds(5)).until(() -> !service.acksOf(first.version()).isEmpty());

    service.pushDelta(first, second);

    await().atMost(Duration.ofSeconds(5)).until(() -> !service.acksOf(second.version()).isEmpty());
    assertThat(service.acksOf(second.version()))
        .containsExactly(FleetAck.applied("gateway-0", second.version()));
    assertThat(gateway.appliedSnapshot()).isEqualTo(second);
    assertThat(chat("chat-v2")).isEqualTo(200);
    assertThat(chat("chat")).isEqualTo(404);
    assertThat(service.attempts).hasSize(1);
  }

  @Test
  void aDeltaToAVersionItDoesNotRunMakesItReconnectForAWholeSnapshot() {
    Snapshot good = echoRoute("chat");
    Snapshot bad = unknownProvider();
    Snapshot third = echoRoute("chat-v3");
    service.push(good);
    connect();
    await().atMost(Duration.ofSeconds(5)).until(() -> !service.acksOf(good.version()).isEmpty());
    service.push(bad);
    await().atMost(Duration.ofSeconds(5)).until(() -> !service.acksOf(bad.version()).isEmpty());

    // Sent before the operator saw the rejection: based on the version the gateway refused.
    service.pushDelta(bad, third);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> third.version().equals(gateway.appliedVersion()));
    assertThat(service.attempts).hasSize(2);
    assertThat(service.acksOf(third.version()))
        .containsExactly(FleetAck.applied("gateway-0", third.version()));
    assertThat(chat("chat-v3")).isEqualTo(200);
  }

  @Test
  void aDeltaThatDoesNotFitTheRunningSnapshotIsRejectedAndTheSnapshotKept() {
    Snapshot first = echoRoute("chat");
    Snapshot second = echoRoute("chat-v2");
    service.push(first);
    connect();
    await().atMost(Duration.ofSeconds(5)).until(() -> !service.acksOf(first.version()).isEmpty());
    SnapshotDelta good = SnapshotDelta.between(first, second);
    SnapshotDelta removesUnknown =
        new SnapshotDelta(
            good.schemaVersion(),
            good.base(),
            good.version(),
            good.routes(),
            good.keys(),
            good.policies(),
            good.templates(),
            new SnapshotDelta.Removed(List.of(), List.of("team-z/ghost"), List.of(), List.of()));

    service.pushDelta(removesUnknown, second);

    await().atMost(Duration.ofSeconds(5)).until(() -> !service.acksOf(second.version()).isEmpty());
    FleetAck rejection = service.acksOf(second.version()).getFirst();
    assertThat(rejection.applied()).isFalse();
    assertThat(rejection.reason()).contains("team-z/ghost");
    assertThat(gateway.appliedVersion()).isEqualTo(first.version());
    assertThat(chat("chat")).isEqualTo(200);
  }

  @Test
  void rejectsASnapshotWithAnUnknownProviderAndKeepsTheLastGoodOne() {
    Snapshot good = echoRoute("chat");
    Snapshot bad = unknownProvider();
    service.push(good);
    connect();
    await().atMost(Duration.ofSeconds(5)).until(() -> !service.acksOf(good.version()).isEmpty());

    service.push(bad);

    await().atMost(Duration.ofSeconds(5)).until(() -> !service.acksOf(bad.version()).isEmpty());
    FleetAck rejection = service.acksOf(bad.version()).getFirst();
    assertThat(rejection.applied()).isFalse();
    assertThat(rejection.reason()).contains("team-a/broken", "no-such-provider");
    assertThat(gateway.appliedVersion()).isEqualTo(good.version());
    assertThat(chat("chat")).isEqualTo(200);
  }

  @Test
  void rejectsAnUnreadableSnapshotNamingItsVersion() {
    Snapshot good = echoRoute("chat");
    service.push(good);
    connect();
    await().atMost(Duration.ofSeconds(5)).until(() -> !service.acksOf(good.version()).isEmpty());

    service.push(
        "{\"schemaVersion\":999,\"version\":\"sha256:future\"}".getBytes(StandardCharsets.UTF_8));

    await().atMost(Duration.ofSeconds(5)).until(() -> !service.acksOf("sha256:future").isEmpty());
    FleetAck rejection = service.acksOf("sha256:future").getFirst();
    assertThat(rejection.applied()).isFalse();
    assertThat(rejection.reason()).contains("schemaVersion 999");
    assertThat(gateway.appliedVersion()).isEqualTo(good.version());
  }

  @Test
  void keepsServingTheLastGoodSnapshotWhileTheServiceIsDownAndResyncsWhenItIsBack()
      throws Exception {
    Snapshot first = echoRoute("chat");
    service.push(first);
    connect();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> first.version().equals(gateway.appliedVersion()));
    int port = service.port();

    service.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> !source.isConnected());
    Thread.sleep(300); // a few failed reconnects
    assertThat(readyz()).isEqualTo(200);
    assertThat(chat("chat")).isEqualTo(200);
    assertThat(gateway.appliedVersion()).isEqualTo(first.version());

    Snapshot second = echoRoute("chat-v2");
    service = FakeConfigService.restart(TOKEN, port, second);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> second.version().equals(gateway.appliedVersion()));
    await().atMost(Duration.ofSeconds(5)).until(() -> !service.acksOf(second.version()).isEmpty());
    assertThat(chat("chat-v2")).isEqualTo(200);
  }

  @Test
  void reconnectsAtOnceWhenTheServiceEndsTheStreamCleanly() {
    service.push(echoRoute("chat"));
    connect();
    await().atMost(Duration.ofSeconds(5)).until(() -> service.openStreams() == 1);

    service.endStreams();

    await().atMost(Duration.ofSeconds(5)).until(() -> service.attempts.size() == 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> service.openStreams() == 1);
  }

  @Test
  void aRefusedTokenIsRetriedWithGrowingBackoffAndLoggedWithoutTheToken() throws Exception {
    Files.writeString(tokenFile, "a-wrong-token-value\n");
    connect();

    await().atMost(Duration.ofSeconds(10)).until(() -> service.refused.size() >= 6);
    assertThat(readyz()).isEqualTo(503);
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < service.refused.size(); i++) {
      gaps.add((service.refused.get(i) - service.refused.get(i - 1)) / 1_000_000);
    }
    // 50 ms doubling, capped at 800 ms, jittered within the upper half: the fifth wait is at
    // least 400 ms, far above the first (at most 50 ms plus a request).
    assertThat(gaps.get(4)).isGreaterThanOrEqualTo(400);
    assertThat(gaps.get(4)).isGreaterThan(gaps.get(0));
    assertThat(logged)
        .extracting(LogRecord::getMessage)
        .anySatisfy(m -> assertThat(m).contains("401", "fleet token"))
        .allSatisfy(m -> assertThat(m).doesNotContain("a-wrong-token-value"));

    Files.writeString(tokenFile, TOKEN + "\n"); // the mounted Secret is fixed
    Snapshot snapshot = echoRoute("chat");
    service.push(snapshot);

    await().atMost(Duration.ofSeconds(5)).until(() -> readyz() == 200);
    assertThat(gateway.appliedVersion()).isEqualTo(snapshot.version());
  }
}
