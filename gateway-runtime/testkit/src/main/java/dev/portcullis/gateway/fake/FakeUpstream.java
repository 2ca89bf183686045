package dev.portcullis.gateway.fake;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running fake LLM provider: an HTTP server that speaks the OpenAI, Azure OpenAI, Anthropic and
 * Gemini wire protocols, with latency, pacing and faults chosen per request (see this package's
 * README), and that records what it received.
 *
 * <pre>{@code
 * try (FakeUpstream fake = FakeUpstream.start(0)) {
 *   URI base = URI.create(fake.baseUrl());           // http://localhost:<port>
 *   ...
 *   fake.setDefaultBehaviour("latency=2s");          // the upstream turns slow mid-test
 *   assertThat(fake.maxInFlight()).isLessThanOrEqualTo(10);
 * }
 * }</pre>
 */
public final class FakeUpstream implements AutoCloseable {
  /** Models listed by {@code GET /v1/models} unless the builder says otherwise. */
  public static final List<String> DEFAULT_MODELS =
      List.of(
          "gpt-4o",
          "gpt-4o-mini",
          "text-embedding-3-small",
          "claude-sonnet-4-5",
          "gemini-2.5-flash");

  private final TrafficCounters counters = new TrafficCounters();
  private final RequestLog log;
  private final FailureBudget failureBudget = new FailureBudget();
  private final AtomicReference<Behaviour> defaultBehaviour;
  private final String requiredApiKey;
  private final List<String> models;
  private final WebServer server;

  private FakeUpstream(Builder builder) {
    this.log = new RequestLog(builder.recordLimit);
    this.defaultBehaviour = new AtomicReference<>(builder.defaultBehaviour);
    this.requiredApiKey = builder.requiredApiKey;
    this.models = List.copyOf(builder.models);
    Http1ConnectionListener connectionCounter =
        new Http1ConnectionListener() {
          @Override
          public void prologue(
              io.helidon.webserver.ConnectionContext ctx, io.helidon.http.HttpPrologue prologue) {
            if (!prologue.uriPath().rawPath().startsWith("/_fake/")) {
              counters.sawConnection(ctx);
            }
          }
        };
    this.server =
        WebServer.builder()
            .host(builder.host)
            .port(builder.port)
            .backlog(8192)
            // As providers' front ends do: with Nagle's algorithm a stream's second small write
            // (the first token after the role chunk) waits for the client's delayed ACK, ~40 ms
            // that would be in every time to first token measured against the fake.
            .connectionOptions(socket -> socket.tcpNoDelay(true))
            // Tests stop fakes with streams still open: do not wait long for them.
            .shutdownGracePeriod(Duration.ofMillis(200))
            .addProtocol(Http1Config.builder().addReceiveListener(connectionCounter).build())
            .routing(
                routing ->
                    routing
                        .any("/_fake/*", new FakeControlHandler(this))
                        .any(new FakeApiHandler(this)))
            .build()
            .start();
  }

  /** Starts a fake with default settings on {@code port} (0 picks a free port). */
  public static FakeUpstream start(int port) {
    return builder().port(port).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The port it listens on (the real one when started on port 0). */
  public int port() {
    return server.port();
  }

  /** {@code http://localhost:<port>}, the base URL to give clients (they add {@code /v1/...}). */
  public String baseUrl() {
    return "http://localhost:" + port();
  }

  /** Stops the server; open streams are cut off. */
  public void stop() {
    server.stop();
  }

  @Override
  public void close() {
    stop();
  }

  /** The recorded requests, oldest first (at most the builder's record limit). */
  public List<RecordedRequest> requests() {
    return log.all();
  }

  /** The most recent request, or {@code null} if none arrived. */
  public RecordedRequest lastRequest() {
    return log.last();
  }

  /** API requests received (control calls to {@code /_fake/*} are not counted). */
  public long requestCount() {
    return counters.requests();
  }

  /** API requests being served right now. */
  public int inFlight() {
    return counters.inFlight();
  }

  /** The most API requests served at the same time since start or {@link #reset()}. */
  public int maxInFlight() {
    return counters.maxInFlight();
  }

  /** Connections that carried at least one API request. */
  public long connectionsAccepted() {
    return counters.connections();
  }

  /** Responses the client abandoned: a write failed because it closed the connection. */
  public long cancelled() {
    return counters.cancelled();
  }

  /**
   * Forgets recorded requests, zeroes the counters and restarts {@code fail-times} scenarios. The
   * default behaviour stays.
   */
  public void reset() {
    log.clear();
    counters.reset();
    failureBudget.reset();
  }

  /** The behaviour used for whatever a request does not choose itself. */
  public Behaviour defaultBehaviour() {
    return defaultBehaviour.get();
  }

  /** Changes the default behaviour; applies to requests that arrive from now on. */
  public void setDefaultBehaviour(Behaviour behaviour) {
    defaultBehaviour.set(Objects.requireNonNull(behaviour, "behaviour"));
  }

  /** Same, from the text form, e.g. {@code "latency=500ms;status=503"}. */
  public void setDefaultBehaviour(String spec) {
    setDefaultBehaviour(Behaviour.parse(spec));
  }

  @Override
  public String toString() {
    return "FakeUpstream[" + baseUrl() + "]";
  }

  TrafficCounters counters() {
    return counters;
  }

  RequestLog log() {
    return log;
  }

  FailureBudget failureBudget() {
    return failureBudget;
  }

  String requiredApiKey() {
    return requiredApiKey;
  }

  List<String> models() {
    return models;
  }

  /** Settings of a fake before it starts. */
  public static final class Builder {
    private int port;
    private String host = "0.0.0.0";
    private String requiredApiKey;
    private int recordLimit = 200;
    private Behaviour defaultBehaviour = Behaviour.none();
    private List<String> models = DEFAULT_MODELS;

    private Builder() {}

    /** Port to listen on; 0 (the default) picks a free one. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Address to bind, default all interfaces. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * Accept only this credential (in any header the protocols use); others get a 401 in the
     * protocol's format. Without it every key is accepted (and recorded).
     */
    public Builder requireApiKey(String apiKey) {
      this.requiredApiKey = apiKey;
      return this;
    }

    /** How many recent requests to keep for {@link #requests()}; default 200. */
    public Builder recordLimit(int recordLimit) {
      if (recordLimit < 0) {
        throw new IllegalArgumentException("recordLimit must not be negative");
      }
      this.recordLimit = recordLimit;
      return this;
    }

    public Builder defaultBehaviour(Behaviour behaviour) {
      this.defaultBehaviour = Objects.requireNonNull(behaviour, "behaviour");
      return this;
    }

    /** The default behaviour in text form, e.g. {@code "tokens=100;tokens-per-second=50"}. */
    public Builder defaultBehaviour(String spec) {
      return defaultBehaviour(Behaviour.parse(spec));
    }

    /** Model ids the model-list endpoints return. */
    public Builder models(List<String> models) {
      this.models = List.copyOf(models);
      return this;
    }

    /** Starts the server; returns once it listens. */
    public FakeUpstream start() {
      return new FakeUpstream(this);
    }
  }
}
