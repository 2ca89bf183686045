package dev.portcullis.gateway.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The benchmark load shape: a thousand paced streams open at once, all served in parallel. */
class ConcurrentStreamsTest {
  private static final int STREAMS = 1000;

  @Test
  void servesAThousandConcurrentPacedStreams() {
    try (FakeUpstream fake =
            FakeUpstream.builder().defaultBehaviour("tokens=20;tokens-per-second=10").start();
        HttpClient http =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(20))
                .build()) {
      HttpRequest request =
          new LoopbackClient(fake)
              .request("/v1/chat/completions")
              .timeout(Duration.ofSeconds(60))
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      """
                      {"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}"""))
              .build();

      long start = System.nanoTime();
      List<CompletableFuture<HttpResponse<String>>> calls =
          IntStream.range(0, STREAMS)
              .mapToObj(i -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
              .toList();
      List<HttpResponse<String>> responses = calls.stream().map(CompletableFuture::join).toList();
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

      assertThat(responses).allSatisfy(r -> assertThat(r.body()).endsWith("data: [DONE]\n\n"));
      // Each stream takes ~1.9 s; served one after another they would take half an hour.
      assertThat(fake.maxInFlight()).isGreaterThan(STREAMS / 2);
      assertThat(elapsedMillis).isLessThan(30_000);
    }
  }
}
