package dev.portcullis.gateway.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Timing bounds are generous on the slow side: CI machines are busy. */
class StreamPacingTest {
  private static FakeUpstream fake;
  private static LoopbackClient client;

  @BeforeAll
  static void start() {
    fake = FakeUpstream.start(0);
    client = new LoopbackClient(fake);
  }

  @AfterAll
  static void stop() {
    fake.stop();
  }

  private static final String STREAM =
      """
      {"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}""";

  private static long millisSince(long startNanos, long nanos) {
    return (nanos - startNanos) / 1_000_000;
  }

  @Test
  void headersComeAtOnceAndTheFirstEventAfterTimeToFirstToken() throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> response =
        client.open("/v1/chat/completions", STREAM, "x-fake-ttft", "600ms");
    long headersAt = System.nanoTime();
    List<LoopbackClient.SseEvent> events;
    try (InputStream body = response.body()) {
      events = LoopbackClient.readEvents(body, 2);
    }

    assertThat(millisSince(start, headersAt)).isLessThan(450);
    // The role chunk comes with the headers; the first token after ttft.
    assertThat(events.get(0).json().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(millisSince(start, events.get(0).arrivedNanos())).isLessThan(450);
    assertThat(events.get(1).json().at("/choices/0/delta/content").asText()).isNotEmpty();
    assertThat(millisSince(start, events.get(1).arrivedNanos())).isBetween(600L, 5_000L);
  }

  @Test
  void latencyAndTimeToFirstTokenAddUp() throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> response =
        client.open("/v1/chat/completions", STREAM, "x-fake-behaviour", "latency=300ms;ttft=300ms");
    long headersAt = System.nanoTime();
    List<LoopbackClient.SseEvent> events;
    try (InputStream body = response.body()) {
      events = LoopbackClient.readEvents(body, 2);
    }

    assertThat(millisSince(start, headersAt)).isBetween(300L, 5_000L);
    assertThat(millisSince(start, events.get(1).arrivedNanos())).isBetween(600L, 5_000L);
  }

  @Test
  void tokensPerSecondSpacesTheTokenEvents() throws Exception {
    List<LoopbackClient.SseEvent> events =
        client.stream(
            "/v1/chat/completions", STREAM, "x-fake-tokens", "6", "x-fake-tokens-per-second", "10");

    // role+first token, 5 more tokens, finish, [DONE]
    assertThat(events).hasSize(9);
    List<LoopbackClient.SseEvent> tokens = events.subList(1, 7);
    long span = millisSince(tokens.get(0).arrivedNanos(), tokens.get(5).arrivedNanos());
    assertThat(span).isBetween(450L, 5_000L);
    for (int i = 1; i < tokens.size(); i++) {
      assertThat(millisSince(tokens.get(i - 1).arrivedNanos(), tokens.get(i).arrivedNanos()))
          .as("gap before token %d", i)
          .isGreaterThanOrEqualTo(50L);
    }
  }

  @Test
  void aFormatWithoutPreambleStillSendsHeadersBeforeTheFirstToken() throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> response =
        client.open(
            "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
            """
            {"contents":[{"role":"user","parts":[{"text":"hi"}]}]}""",
            "x-fake-ttft",
            "600ms");
    long headersAt = System.nanoTime();
    List<LoopbackClient.SseEvent> events;
    try (InputStream body = response.body()) {
      events = LoopbackClient.readEvents(body, 1);
    }

    assertThat(millisSince(start, headersAt)).isLessThan(450);
    assertThat(events.get(0).json().has("candidates")).isTrue();
    assertThat(millisSince(start, events.get(0).arrivedNanos())).isBetween(600L, 5_000L);
  }

  @Test
  void anthropicStreamIsPacedToo() throws Exception {
    List<LoopbackClient.SseEvent> events =
        client.stream(
            "/v1/messages",
            """
            {"model":"claude","max_tokens":50,"stream":true,
             "messages":[{"role":"user","content":"hi"}]}""",
            "x-fake-behaviour",
            "tokens=4;tokens-per-second=10");

    List<LoopbackClient.SseEvent> deltas =
        events.stream().filter(e -> "content_block_delta".equals(e.event())).toList();
    assertThat(deltas).hasSize(4);
    assertThat(millisSince(deltas.get(0).arrivedNanos(), deltas.get(3).arrivedNanos()))
        .isBetween(250L, 5_000L);
  }

  @Test
  void withoutPacingALongStreamIsFast() throws Exception {
    long start = System.nanoTime();
    List<LoopbackClient.SseEvent> events =
        client.stream("/v1/chat/completions", STREAM, "x-fake-tokens", "500");

    assertThat(events).hasSize(503);
    assertThat(millisSince(start, System.nanoTime())).isLessThan(3_000);
  }
}
