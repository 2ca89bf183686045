package dev.portcullis.gateway.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.provider.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The telemetry writer thread: metrics and log lines off the request's thread, none lost. */
class RecordWriterTest {
  static final String[] CHECKOUT_200 = {
    "namespace",
    "team-a",
    "key",
    "checkout",
    "route",
    "team-a/chat",
    "target",
    "primary",
    "status",
    "200"
  };

  @Test
  void aFullQueueRecordsTheMetricsOnTheRequestsThreadAndLosesNoCount() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    OutputStream hangingStream =
        new OutputStream() {
          @Override
          public void write(int b) {}

          @Override
          public void write(byte[] b, int off, int len) {}

          @Override
          public void flush() throws IOException {
            stuck.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
          }
        };
    try (TelemetryFixture f = new TelemetryFixture()) {
      AccessLog log = new AccessLog(hangingStream, false);
      RecordingTelemetry telemetry =
          new RecordingTelemetry(
              f.metrics.requests(), log, RequestTracing.OFF, f.metrics.clock(), f.nanos::get, 4);
      telemetry.finish(f.servedChat("gpt-4o", 3, 1, 1));
      // The writer counts the first request, writes its line and then hangs on the stream.
      assertThat(stuck.await(5, TimeUnit.SECONDS)).isTrue();

      long start = System.nanoTime();
      for (int i = 0; i < 100; i++) {
        telemetry.finish(f.servedChat("gpt-4o", 3, 1, 1));
      }
      long tookMillis = (System.nanoTime() - start) / 1_000_000;

      assertThat(tookMillis).as("requests never wait for the writer").isLessThan(2_000);
      assertThat(telemetry.writerOverflows()).isEqualTo(96);
      assertThat(log.droppedLines()).isEqualTo(96);
      // The first request and the 96 the queue had no room for, counted by their own threads.
      assertThat(
              f.metrics.registry().get("portcullis.requests").tags(CHECKOUT_200).counter().count())
          .isEqualTo(97);

      release.countDown();
      telemetry.flush();
      assertThat(
              f.metrics.registry().get("portcullis.requests").tags(CHECKOUT_200).counter().count())
          .isEqualTo(101);
      telemetry.close();
    }
  }

  @Test
  void withTheAccessLogOffTheWriterStillCountsAndAScrapeSeesEveryFinishedRequest() {
    try (TelemetryFixture f = new TelemetryFixture()) {
      GatewayMetrics metrics = new GatewayMetrics(Clock.systemUTC());
      metrics.configurationApplied(f.snapshot);
      try (Telemetry telemetry = TelemetrySettings.METRICS_ONLY.open(metrics, Clock.systemUTC())) {
        for (int i = 0; i < 1_000; i++) {
          RequestRecord r = telemetry.begin("r" + i, null);
          r.call(WireFormat.OPENAI, GenAiOperation.CHAT, false);
          r.key(f.checkout);
          r.route(f.chat, "gpt-4o");
          r.routed(f.primary, 1, List.of("primary"));
          r.usage(3, 2, 0);
          r.outcome(200, null);
          telemetry.finish(r);
        }

        PrometheusSamples s = PrometheusSamples.parse(metrics.scrape());
        assertThat(s.value("portcullis_requests_total", CHECKOUT_200)).isEqualTo(1_000);
        assertThat(
                s.value(
                    "gen_ai_client_token_usage_count",
                    "gen_ai_token_type",
                    "input",
                    "gen_ai_request_model",
                    "gpt-4o"))
            .isEqualTo(1_000);
        assertThat(s.value("portcullis_telemetry_queue_overflows_total")).isZero();
      }
      metrics.close();
    }
  }
}
