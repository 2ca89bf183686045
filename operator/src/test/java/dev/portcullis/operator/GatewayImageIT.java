package dev.portcullis.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.operator.OciImage.TarEntry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's image, {@code gateway-runtime/target/portcullis-gateway-image.tar} (built with
 * {@code -Pimages}), read as a registry reads it and run as a container runtime would run it: its
 * layers unpacked into a directory and its entrypoint started there under {@code chroot}, as its
 * non-root user, with the quickstart manifests copied in where a volume would be mounted.
 */
class GatewayImageIT {
  static final String QUICKSTART_KEY = "pc-quickstart-2b7e151628aed2a6abf7158809cf4f3c";
  static OciImage image;

  @BeforeAll
  static void readTheArchive() throws IOException {
    image = OciImage.read(Path.of(System.getProperty("image.gateway.archive")));
  }

  @Test
  void isNamedAsTheChartsDefaultGatewayImage() {
    String name =
        System.getProperty("image.gateway.repository")
            + ":"
            + System.getProperty("portcullis.version").replace("-SNAPSHOT", "");

    assertThat(image.name()).isEqualTo(name);
    assertThat(image.dockerManifest().path(0).path("RepoTags").path(0).asText()).isEqualTo(name);
  }

  @Test
  void runsTheGatewayJarOnTheJlinkedRuntimeAsNonRootWithTheOciLabels() {
    assertThat(image.entrypoint())
        .containsExactly(
            "/opt/java/bin/java",
            "-XX:+ExitOnOutOfMemoryError",
            "-jar",
            "/app/portcullis-gateway.jar");
    assertThat(image.env()).contains("JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=75");
    assertThat(image.user()).isEqualTo("65532:65532");
    assertThat(image.labels())
        .containsEntry("org.opencontainers.image.title", "Portcullis gateway")
        .containsEntry("org.opencontainers.image.licenses", "Apache-2.0")
        .containsEntry(
            "org.opencontainers.image.version", System.getProperty("portcullis.version"));
    assertThat(image.config().path("config").path("ExposedPorts").has("8080/tcp")).isTrue();
  }

  @Test
  void holdsNoShell() throws IOException {
    assertThat(image.layers().stream().flatMap(List::stream).map(TarEntry::path))
        .isNotEmpty()
        .noneMatch(p -> p.matches("(.*/)?(sh|bash|dash|busybox)"));
  }

  @Test
  void servesTheEchoRouteOfTheQuickstartManifests(@TempDir Path dir) throws Exception {
    assumeTrue(
        ImageRoot.runningAsRoot(),
        "running the image needs root (chroot, mount /proc, mknod); .ci/run runs as root");
    int port = OperatorProgramIT.freePort();
    int adminPort = OperatorProgramIT.freePort();
    Path log = dir.resolve("gateway.log");
    try (ImageRoot root = ImageRoot.unpack(image, dir.resolve("rootfs"))) {
      copyTree(TestCluster.examples().resolve("quickstart"), root.root().resolve("quickstart"));
      Process gateway =
          root.start(
              List.of("--manifests=/quickstart", "--port=" + port, "--admin-port=" + adminPort),
              log);
      HttpClient http = HttpClient.newHttpClient();

      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreException(ConnectException.class)
          .failFast("the gateway exited", () -> !gateway.isAlive())
          .until(() -> get(http, "http://127.0.0.1:" + adminPort + "/readyz").statusCode() == 200);
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                  .header("authorization", "Bearer " + QUICKSTART_KEY)
                  .header("content-type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          """
                          {"model":"echo","messages":[{"role":"user","content":"hello"}]}"""))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).as(Files.readString(log)).isEqualTo(200);
      assertThat(response.body()).contains("Echo: hello");
      assertThat(Files.readAllLines(Path.of("/proc", "" + gateway.pid(), "status")))
          .as("the JVM runs as the image's user")
          .anyMatch(l -> l.matches("Uid:\\s+65532\\s+65532\\s+65532\\s+65532"));
    }
  }

  static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
