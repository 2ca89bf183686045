package dev.portcullis.gateway;

import dev.portcullis.gateway.limits.LimitSettings;
import dev.portcullis.gateway.telemetry.TelemetrySettings;
import java.time.Duration;

/**
 * How to run a gateway: listeners, limits and shutdown. Port 0 picks a free port (tests).
 *
 * @param maxBodyBytes largest request body accepted (413 beyond)
 * @param shutdownGrace how long in-flight requests (streams included) may finish on shutdown
 * @param limits where rate limits, concurrency and budgets are counted (Redis or in-process)
 * @param telemetry per-request metrics, access log and tracing
 * @param server the traffic listener's bounds: concurrency, header size, read and idle timeouts
 */
public record GatewaySettings(
    String host,
    int port,
    int adminPort,
    long maxBodyBytes,
    Duration shutdownGrace,
    LimitSettings limits,
    TelemetrySettings telemetry,
    ServerLimits server) {

  public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;

  public GatewaySettings {
    limits = limits == null ? LimitSettings.DEFAULTS : limits;
    telemetry = telemetry == null ? TelemetrySettings.METRICS_ONLY : telemetry;
    server = server == null ? ServerLimits.DEFAULTS : server;
  }

  /** Default telemetry (metrics only) and server limits. */
  public GatewaySettings(
      String host,
      int port,
      int adminPort,
      long maxBodyBytes,
      Duration shutdownGrace,
      LimitSettings limits) {
    this(host, port, adminPort, maxBodyBytes, shutdownGrace, limits, null, null);
  }

  /** In-process limits; metrics without access log or tracing; default server limits. */
  public GatewaySettings(
      String host, int port, int adminPort, long maxBodyBytes, Duration shutdownGrace) {
    this(host, port, adminPort, maxBodyBytes, shutdownGrace, LimitSettings.DEFAULTS);
  }

  /** Loopback, free ports, defaults: for tests and embedding. */
  public static GatewaySettings ephemeral() {
    return new GatewaySettings("127.0.0.1", 0, 0, DEFAULT_MAX_BODY, Duration.ofSeconds(5));
  }

  public GatewaySettings withMaxBodyBytes(long bytes) {
    return new GatewaySettings(
        host, port, adminPort, bytes, shutdownGrace, limits, telemetry, server);
  }

  public GatewaySettings withShutdownGrace(Duration grace) {
    return new GatewaySettings(
        host, port, adminPort, maxBodyBytes, grace, limits, telemetry, server);
  }

  public GatewaySettings withLimits(LimitSettings newLimits) {
    return new GatewaySettings(
        host, port, adminPort, maxBodyBytes, shutdownGrace, newLimits, telemetry, server);
  }

  public GatewaySettings withTelemetry(TelemetrySettings newTelemetry) {
    return new GatewaySettings(
        host, port, adminPort, maxBodyBytes, shutdownGrace, limits, newTelemetry, server);
  }

  public GatewaySettings withServer(ServerLimits newServer) {
    return new GatewaySettings(
        host, port, adminPort, maxBodyBytes, shutdownGrace, limits, telemetry, newServer);
  }

  /** Counts limits in Redis ({@code --redis URL}); null keeps them in-process. */
  public GatewaySettings withRedis(String url) {
    return withLimits(limits.withRedis(url));
  }
}
