package dev.portcullis.gateway.fake;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portcullis-testkit fake-upstream}: runs {@link FakeUpstream} as a process until it is
 * stopped, for end-to-end runs and benchmarks outside the JVM of the tests.
 */
@Command(
    name = "fake-upstream",
    mixinStandardHelpOptions = true,
    description = {
      "A test upstream that speaks the OpenAI, Azure OpenAI, Anthropic and Gemini APIs, with"
          + " latency, stream pacing and faults chosen per request by x-fake-* headers or by"
          + " options in the model name (e.g. \"gpt-4o;latency=200ms;status=503\").",
      "Control endpoints: GET /_fake/requests, GET /_fake/stats, POST /_fake/reset,"
          + " GET|PUT /_fake/behaviour."
    },
    sortOptions = false)
public final class FakeUpstreamCommand implements Callable<Integer> {

  @Option(
      names = "--port",
      defaultValue = "${env:PORTCULLIS_FAKE_PORT:-8089}",
      description =
          "Port to listen on, 0 for any free port (env PORTCULLIS_FAKE_PORT, default"
              + " ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "${env:PORTCULLIS_FAKE_HOST:-0.0.0.0}",
      description = "Address to listen on (env PORTCULLIS_FAKE_HOST, default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--behaviour",
      defaultValue = "${env:PORTCULLIS_FAKE_BEHAVIOUR:-}",
      description =
          "Default behaviour for requests that choose none, e.g. \"latency=50ms;tokens=100;"
              + "tokens-per-second=200\" (env PORTCULLIS_FAKE_BEHAVIOUR).")
  String behaviour;

  @Option(
      names = "--record",
      defaultValue = "${env:PORTCULLIS_FAKE_RECORD:-200}",
      description =
          "How many recent requests to keep for GET /_fake/requests (env PORTCULLIS_FAKE_RECORD,"
              + " default ${DEFAULT-VALUE}).")
  int record;

  // Read from the environment only, so the key does not show in the process list.
  private final String requiredApiKey = System.getenv("PORTCULLIS_FAKE_REQUIRE_API_KEY");

  @Spec CommandSpec spec;

  /**
   * Runs the fake on its own: {@code java -cp … dev.portcullis.gateway.fake.FakeUpstreamCommand}.
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new FakeUpstreamCommand()).execute(args));
  }

  @Override
  public Integer call() throws InterruptedException {
    FakeUpstream fake;
    try {
      fake = startFake();
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("fake-upstream: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  fake.stop();
                  stopped.countDown();
                },
                "fake-upstream-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "fake upstream listening on port "
            + fake.port()
            + (requiredApiKey == null ? "" : " (API key required)")
            + "; default behaviour: "
            + (fake.defaultBehaviour().toSpec().isEmpty()
                ? "healthy"
                : fake.defaultBehaviour().toSpec()));
    out.flush();
    stopped.await();
    return 0;
  }

  /** Starts the fake the options describe. */
  FakeUpstream startFake() {
    return FakeUpstream.builder()
        .host(host)
        .port(port)
        .recordLimit(record)
        .defaultBehaviour(Behaviour.parse(behaviour))
        .requireApiKey(requiredApiKey == null || requiredApiKey.isEmpty() ? null : requiredApiKey)
        .start();
  }
}
