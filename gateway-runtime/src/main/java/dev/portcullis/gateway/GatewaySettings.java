package dev.portcullis.gateway;

import dev.portcullis.api.fleet.GatewayCapabilities;
import dev.portcullis.gateway.cache.CacheSettings;
import dev.portcullis.gateway.capability.Capabilities;
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
 * @param cache the response cache's bounds (in-process) and Redis key prefix (with {@code --redis})
 */
public record GatewaySettings(
    String host,
    int port,
    int adminPort,
    long maxBodyBytes,
    Duration shutdownGrace,
    LimitSettings limits,
    TelemetrySettings telemetry,
    ServerLimits server,
    CacheSettings cache,
    GatewayCapabilities capabilities) {

  public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;

  public GatewaySettings {
    limits = limits == null ? LimitSettings.DEFAULTS : limits;
    telemetry = telemetry == null ? TelemetrySettings.METRICS_ONLY : telemetry;
    server = server == null ? ServerLimits.DEFAULTS : server;
    cache = cache == null ? CacheSettings.DEFAULTS : cache;
    capabilities = capabilities == null ? Capabilities.ofThisBuild() : capabilities;
  }

  /**
   * In-process limits; metrics without access log or tracing; default server limits, cache settings
   * and this build's capabilities.
   */
  public GatewaySettings(
      String host, int port, int adminPort, long maxBodyBytes, Duration shutdownGrace) {
    this(host, port, adminPort, maxBodyBytes, shutdownGrace, null, null, null, null, null);
  }

  /** Loopback, free ports, defaults: for tests and embedding. */
  public static GatewaySettings ephemeral() {
    return new GatewaySettings("127.0.0.1", 0, 0, DEFAULT_MAX_BODY, Duration.ofSeconds(5));
  }

  public GatewaySettings withMaxBodyBytes(long bytes) {
    return new GatewaySettings(
        host,
        port,
        adminPort,
        bytes,
        shutdownGrace,
        limits,
        telemetry,
        server,
        cache,
        capabilities);
  }

  public GatewaySettings withShutdownGrace(Duration grace) {
    return new GatewaySettings(
        host, port, adminPort, maxBodyBytes, grace, limits, telemetry, server, cache, capabilities);
  }

  public GatewaySettings withLimits(LimitSettings newLimits) {
    return new GatewaySettings(
        host,
        port,
        adminPort,
        maxBodyBytes,
        shutdownGrace,
        newLimits,
        telemetry,
        server,
        cache,
        capabilities);
  }

  public GatewaySettings withTelemetry(TelemetrySettings newTelemetry) {
    return new GatewaySettings(
        host,
        port,
        adminPort,
        maxBodyBytes,
        shutdownGrace,
        limits,
        newTelemetry,
        server,
        cache,
        capabilities);
  }

  public GatewaySettings withServer(ServerLimits newServer) {
    return new GatewaySettings(
        host,
        port,
        adminPort,
        maxBodyBytes,
        shutdownGrace,
        limits,
        telemetry,
        newServer,
        cache,
        capabilities);
  }

  public GatewaySettings withCache(CacheSettings newCache) {
    return new GatewaySettings(
        host,
        port,
        adminPort,
        maxBodyBytes,
        shutdownGrace,
        limits,
        telemetry,
        server,
        newCache,
        capabilities);
  }

  /** Counts limits in Redis ({@code --redis URL}); null keeps them in-process. */
  /**
   * Enforce only these capabilities: tests standing for an older build (a route whose policy needs
   * what it lacks fails closed); production gateways enforce {@link Capabilities#ofThisBuild()}.
   */
  public GatewaySettings withCapabilities(GatewayCapabilities newCapabilities) {
    return new GatewaySettings(
        host,
        port,
        adminPort,
        maxBodyBytes,
        shutdownGrace,
        limits,
        telemetry,
        server,
        cache,
        newCapabilities);
  }

  public GatewaySettings withRedis(String url) {
    return withLimits(limits.withRedis(url));
  }
}
