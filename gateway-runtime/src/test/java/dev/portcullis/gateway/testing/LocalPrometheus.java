package dev.portcullis.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, installed by {@code .ci/env.sh})
 * started by a test on a free loopback port with its own configuration and storage in a temporary
 * folder, and stopped by {@link #close()}. Also runs {@code promtool}.
 */
public final class LocalPrometheus implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final int port;

  private LocalPrometheus(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The program on the PATH, if installed. */
  public static Optional<Path> program(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** What {@code promtool check metrics} says about an exposition: its exit code and output. */
  public record Verdict(int exitCode, String output) {}

  public static Verdict checkMetrics(String exposition) throws IOException, InterruptedException {
    Process promtool =
        new ProcessBuilder(program("promtool").orElseThrow().toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (var in = promtool.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!promtool.waitFor(60, TimeUnit.SECONDS)) {
      promtool.destroyForcibly();
      throw new IOException("promtool did not finish within a minute");
    }
    return new Verdict(promtool.exitValue(), output);
  }

  /** Starts Prometheus scraping {@code http://target/metrics} every second; waits until ready. */
  public static LocalPrometheus scraping(String target, Path dir) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: portcullis-gateway
            scrape_interval: 1s
            scrape_timeout: 1s
            static_configs:
              - targets: ['%s']
        """
            .formatted(target));
    Process process =
        new ProcessBuilder(
                program("prometheus").orElseThrow().toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    LocalPrometheus prometheus = new LocalPrometheus(process, port);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!prometheus.ready()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        prometheus.close();
        throw new IllegalStateException(
            "Prometheus did not become ready: " + Files.readString(dir.resolve("prometheus.log")));
      }
      Thread.sleep(200);
    }
    return prometheus;
  }

  private boolean ready() {
    try {
      return HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The value of an instant query that yields one series, or empty when it yields none (not scraped
   * yet).
   */
  public Optional<Double> query(String promql) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + port
                            + "/api/v1/query?query="
                            + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    if (!"success".equals(body.path("status").asText())) {
      throw new IllegalStateException("query " + promql + " failed: " + response.body());
    }
    JsonNode result = body.path("data").path("result");
    if (result.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
