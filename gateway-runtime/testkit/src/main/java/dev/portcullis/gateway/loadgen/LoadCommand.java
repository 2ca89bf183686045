package dev.portcullis.gateway.loadgen;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A closed-loop load generator for the benchmarks: {@code concurrency} virtual threads each send
 * requests back to back for {@code duration}; latencies go into HdrHistogram. With {@code --stream}
 * it opens SSE streams and records time to first token, whole-stream time, and stalls (a gap
 * between events longer than {@code --stall}). Used where wrk cannot measure (streams).
 *
 * <p>{@code --ramp} spreads the workers' first requests evenly over that many seconds, so a steady
 * state of {@code concurrency} open streams is measured rather than all of them connecting in the
 * same millisecond (and then again in waves, one stream length apart).
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = "Closed-loop HTTP load with HdrHistogram latencies (benchmarks).")
public final class LoadCommand implements Callable<Integer> {
  @Option(names = "--url", required = true, description = "Full URL to POST to.")
  URI url;

  @Option(names = "--key", defaultValue = "bench", description = "Bearer key.")
  String key;

  @Option(names = "--body", required = true, description = "JSON body to send.")
  String body;

  @Option(names = "--concurrency", defaultValue = "16")
  int concurrency;

  @Option(names = "--duration", defaultValue = "10", description = "Seconds of load.")
  int durationSeconds;

  @Option(names = "--requests-per-connection", defaultValue = "0", description = "0 = all.")
  int requestsPerWorker;

  @Option(names = "--stream", description = "Read the response as an SSE stream.")
  boolean stream;

  @Option(names = "--stall", defaultValue = "2000", description = "Stall threshold, ms.")
  long stallMillis;

  @Option(
      names = "--ramp",
      defaultValue = "0",
      description = "Seconds over which the workers start, evenly spaced (0 = all at once).")
  double rampSeconds;

  @Override
  public Integer call() throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .header("content-type", "application/json")
            .header("authorization", "Bearer " + key)
            .timeout(Duration.ofSeconds(120))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    Recorder latency = new Recorder(3);
    Recorder firstToken = new Recorder(3);
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong stalls = new AtomicLong();
    Map<String, AtomicLong> reasons = new ConcurrentHashMap<>();
    long deadline =
        System.nanoTime()
            + Duration.ofSeconds(durationSeconds).toNanos()
            + (long) (rampSeconds * 1e9);
    CountDownLatch done = new CountDownLatch(concurrency);
    List<Thread> workers = new ArrayList<>();
    long rampNanos = (long) (rampSeconds * 1e9);
    for (int i = 0; i < concurrency; i++) {
      long startDelayNanos = rampNanos * i / concurrency;
      workers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      Thread.sleep(Duration.ofNanos(startDelayNanos));
                      int sent = 0;
                      while (System.nanoTime() < deadline
                          && (requestsPerWorker == 0 || sent < requestsPerWorker)) {
                        sent++;
                        long start = System.nanoTime();
                        try {
                          if (stream) {
                            streamOnce(client, request, start, firstToken, stalls);
                          } else {
                            HttpResponse<byte[]> res =
                                client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            if (res.statusCode() != 200) {
                              throw new IllegalStateException("status " + res.statusCode());
                            }
                          }
                          latency.recordValue((System.nanoTime() - start) / 1_000);
                          ok.incrementAndGet();
                        } catch (Exception e) {
                          errors.incrementAndGet();
                          reasons
                              .computeIfAbsent(reason(e), r -> new AtomicLong())
                              .incrementAndGet();
                        }
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    } finally {
                      done.countDown();
                    }
                  }));
    }
    long began = System.nanoTime();
    done.await();
    double seconds = (System.nanoTime() - began) / 1e9;
    var h = latency.getIntervalHistogram();
    var t = firstToken.getIntervalHistogram();
    System.out.printf(
        Locale.ROOT,
        "{\"requests\":%d,\"errors\":%d,\"seconds\":%.2f,\"rps\":%.1f,"
            + "\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,\"max_us\":%d,"
            + "\"ttft_p50_us\":%d,\"ttft_p99_us\":%d,\"stalls\":%d}%n",
        ok.get(),
        errors.get(),
        seconds,
        ok.get() / seconds,
        h.getValueAtPercentile(50),
        h.getValueAtPercentile(90),
        h.getValueAtPercentile(99),
        h.getMaxValue(),
        t.getTotalCount() == 0 ? 0 : t.getValueAtPercentile(50),
        t.getTotalCount() == 0 ? 0 : t.getValueAtPercentile(99),
        stalls.get());
    // Why requests failed, on stderr so the JSON line stays one line: the most frequent first.
    reasons.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().get(), a.getValue().get()))
        .limit(10)
        .forEach(
            r -> System.err.printf(Locale.ROOT, "error x%d: %s%n", r.getValue().get(), r.getKey()));
    return errors.get() == 0 ? 0 : 1;
  }

  /** A failure's kind and message, short, without the request's numbers. */
  static String reason(Throwable e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    if (message.length() > 160) {
      message = message.substring(0, 160);
    }
    return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }

  private void streamOnce(
      HttpClient client, HttpRequest request, long start, Recorder firstToken, AtomicLong stalls)
      throws Exception {
    HttpResponse<InputStream> res = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (res.statusCode() != 200) {
      res.body().close();
      throw new IllegalStateException("status " + res.statusCode());
    }
    boolean first = true;
    boolean finished = false;
    long last = System.nanoTime();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.startsWith("data:")) {
          continue;
        }
        long now = System.nanoTime();
        if ((now - last) / 1_000_000 > stallMillis) {
          stalls.incrementAndGet();
        }
        last = now;
        // The first event that carries generated text is the first token.
        boolean text =
            (line.contains("\"content\":\"") && !line.contains("\"content\":\"\""))
                || line.contains("\"text_delta\"");
        if (first && text) {
          firstToken.recordValue((now - start) / 1_000);
          first = false;
        }
        if (line.equals("data: [DONE]") || line.contains("\"message_stop\"")) {
          finished = true;
        }
      }
    }
    if (!finished) {
      throw new IllegalStateException("stream ended early");
    }
  }
}
