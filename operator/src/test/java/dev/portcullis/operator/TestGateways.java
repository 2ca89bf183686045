package dev.portcullis.operator;

import dev.portcullis.gateway.FleetConfigSource;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.testing.SecretScan;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Gateways in fleet mode, as pods run them: each a real {@link Gateway} fed by a {@link
 * FleetConfigSource} over HTTP from one operator's config service, named {@code gateway-1}, {@code
 * gateway-2}, ...
 */
final class TestGateways implements AutoCloseable {
  /** Quick reconnects and usage reports, so tests do not wait on production intervals. */
  static final FleetConfigSource.Options FAST =
      new FleetConfigSource.Options(
              Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(400))
          .withUsageInterval(Duration.ofMillis(200));

  private final List<Gateway> gateways;
  private final List<FleetConfigSource> sources;

  private TestGateways(List<Gateway> gateways, List<FleetConfigSource> sources) {
    this.gateways = List.copyOf(gateways);
    this.sources = List.copyOf(sources);
  }

  static TestGateways connect(
      int configPort, Path tokenFile, int count, Supplier<GatewaySettings> settings) {
    URI config = URI.create("http://127.0.0.1:" + configPort);
    List<Gateway> gateways = new ArrayList<>();
    List<FleetConfigSource> sources = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      Gateway gateway = SecretScan.watching(Gateway.start(settings.get()));
      gateways.add(gateway);
      sources.add(FleetConfigSource.start(config, tokenFile, "gateway-" + i, gateway, FAST));
    }
    return new TestGateways(gateways, sources);
  }

  static TestGateways connect(int configPort, Path tokenFile, int count) {
    return connect(configPort, tokenFile, count, GatewaySettings::ephemeral);
  }

  List<Gateway> all() {
    return gateways;
  }

  /** Whether no gateway holds a connection to the config service. */
  boolean noneConnected() {
    return sources.stream().noneMatch(FleetConfigSource::isConnected);
  }

  Gateway get(int index) {
    return gateways.get(index);
  }

  @Override
  public void close() {
    sources.forEach(FleetConfigSource::close);
    gateways.forEach(Gateway::close);
  }
}
