package dev.portcullis.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.limits.LimitSettings;
import dev.portcullis.gateway.testing.LocalRedis;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis that goes away mid-run (a private redis-server this test stops and restarts): each key's
 * onStoreUnavailable decides, and counting in Redis resumes once it is back.
 */
class RedisOutageTest {
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  LocalRedis.Process redis;
  FakeUpstream fake;
  Gateway gateway;
  final String prefix = LocalRedis.uniquePrefix();

  @BeforeEach
  void start() throws Exception {
    redis = LocalRedis.Process.start();
    fake = FakeUpstream.start(0);
    gateway =
        Gateway.start(
            GatewaySettings.ephemeral()
                .withLimits(LimitSettings.DEFAULTS.withRedis(redis.url()).withKeyPrefix(prefix)));
    gateway.apply(
        TestSnapshots.builder()
            .key("team-a", "open", "pc-open", new KeyConfig.Limits(2, null, null), null, true)
            .key(
                "team-a", "closed", "pc-closed", new KeyConfig.Limits(100, null, null), null, false)
            .route(
                "team-a",
                "chat",
                "chat",
                Mode.SINGLE,
                TestSnapshots.provider("openai", "openai", "m", fake.baseUrl() + "/v1"))
            .build());
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    fake.close();
    redis.close();
  }

  int chat(String key) throws Exception {
    return send(key).statusCode();
  }

  HttpResponse<String> send(String key) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
            .header("authorization", "Bearer " + key)
            .header("content-type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aFailClosedKeyIsRefusedWith503WhileRedisIsDown() throws Exception {
    assertThat(chat("pc-closed")).isEqualTo(200);
    redis.stop();
    HttpResponse<String> refused = send("pc-closed");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(refused.body()).path("error").path("code").asText())
        .isEqualTo("limit_store_unavailable");
    assertThat(gateway.limitCounters().storeUnavailable()).isPositive();
  }

  @Test
  void aFailOpenKeyIsServedWithLocalCountersWhileRedisIsDown() throws Exception {
    redis.stop();
    assertThat(chat("pc-open")).isEqualTo(200);
    assertThat(chat("pc-open")).isEqualTo(200);
    // The local counters still hold the key to its 2 requests per minute.
    assertThat(chat("pc-open")).isEqualTo(429);
    assertThat(gateway.limitCounters().storeUnavailable()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void countingResumesInRedisWhenItIsBack() throws Exception {
    redis.stop();
    assertThat(chat("pc-closed")).isEqualTo(503);
    redis.startAgain();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> chat("pc-closed") == 200);
    assertThat(LocalRedis.keys(redis.url(), prefix)).anyMatch(k -> k.contains("vk:team-a/closed"));
  }
}
