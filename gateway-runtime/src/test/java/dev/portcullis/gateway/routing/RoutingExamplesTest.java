package dev.portcullis.gateway.routing;

import static dev.portcullis.gateway.testing.GatewayClient.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.manifest.ManifestReader;
import dev.portcullis.api.manifest.ManifestSet;
import dev.portcullis.api.resolve.Resolution;
import dev.portcullis.api.resolve.SnapshotResolver;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.fake.FakeUpstream;
import dev.portcullis.gateway.testing.GatewayClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code fallback} and {@code load-balance} examples, read and resolved as standalone mode
 * does, served against the fake upstream (on a free port instead of the examples' 8089).
 */
class RoutingExamplesTest {
  @TempDir Path dir;
  FakeUpstream fake;
  Gateway gateway;

  @BeforeEach
  void start() {
    fake = FakeUpstream.start(0);
    gateway = Gateway.start(GatewaySettings.ephemeral());
  }

  @AfterEach
  void stop() {
    gateway.close();
    fake.close();
  }

  private static Path examples() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("examples")) && Files.exists(d.resolve("pom.xml"))) {
        return d.resolve("examples");
      }
    }
    throw new IllegalStateException("no examples/ folder above " + Path.of("").toAbsolutePath());
  }

  /** Applies an example with its fake-upstream port rewritten; returns the demo key. */
  private String apply(String example) throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(examples().resolve(example))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).toList();
    }
    for (Path file : files) {
      String yaml = Files.readString(file, StandardCharsets.UTF_8);
      Files.writeString(
          dir.resolve(file.getFileName()),
          yaml.replace("127.0.0.1:8089", "127.0.0.1:" + fake.port()),
          StandardCharsets.UTF_8);
    }
    ManifestSet manifests = ManifestReader.readDirectory(dir, name -> null);
    assertThat(manifests.problems()).isEmpty();
    Resolution resolution = SnapshotResolver.resolve(manifests.toResourceSet());
    assertThat(resolution.isClean()).as(resolution.problems().toString()).isTrue();
    gateway.apply(resolution.snapshot());
    return apiKey(dir);
  }

  private static String apiKey(Path dir) throws IOException {
    String yaml = Files.readString(dir.resolve("virtualkey.yaml"));
    int at = yaml.indexOf("apiKey:");
    return yaml.substring(at + "apiKey:".length()).strip().split("\\s")[0];
  }

  @Test
  void fallbackExampleRetriesFallsBackAndCoolsDown() throws Exception {
    GatewayClient client = new GatewayClient(gateway, apply("fallback"));
    HttpResponse<String> first = client.chat("chat");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(header(first, "x-portcullis-target")).isEqualTo("secondary");
    assertThat(header(first, "x-portcullis-attempts"))
        .as("primary, its retry, secondary")
        .isEqualTo("3");
    assertThat(header(first, "x-portcullis-fallback-path")).isEqualTo("primary>secondary");
    client.chat("chat"); // the third primary failure starts its cooldown
    long primaryCalls = fake.requestCount();
    HttpResponse<String> cooled = client.chat("chat");
    assertThat(header(cooled, "x-portcullis-target")).isEqualTo("secondary");
    assertThat(header(cooled, "x-portcullis-attempts")).isEqualTo("1");
    assertThat(fake.requestCount() - primaryCalls).as("only the secondary was called").isEqualTo(1);
  }

  @Test
  void loadBalanceExampleSplitsThreeToOne() throws Exception {
    GatewayClient client = new GatewayClient(gateway, apply("load-balance"));
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      HttpResponse<String> res = client.chat("balanced");
      assertThat(res.statusCode()).isEqualTo(200);
      counts.merge(header(res, "x-portcullis-target"), 1, Integer::sum);
    }
    // 75 expected; the bounds are over five standard deviations wide.
    assertThat(counts.get("big")).isBetween(52, 97);
    assertThat(counts.get("small")).isPositive();
  }
}
