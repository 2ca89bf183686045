package dev.portcullis.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.operator.OciImage.TarEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's image, {@code operator/target/portcullis-operator-image.tar} (built with {@code
 * -Pimages}), read as a registry reads it and its entrypoint run under {@code chroot} in its
 * unpacked layers, as its non-root user. It shares its base and runtime layers with the gateway's.
 */
class OperatorImageIT {
  static OciImage image;

  @BeforeAll
  static void readTheArchive() throws IOException {
    image = OciImage.read(Path.of(System.getProperty("image.operator.archive")));
  }

  @Test
  void isNamedAsTheChartsDefaultOperatorImage() {
    String name =
        System.getProperty("image.operator.repository")
            + ":"
            + System.getProperty("portcullis.version").replace("-SNAPSHOT", "");

    assertThat(image.name()).isEqualTo(name);
    assertThat(image.dockerManifest().path(0).path("RepoTags").path(0).asText()).isEqualTo(name);
  }

  @Test
  void runsTheOperatorJarOnTheJlinkedRuntimeAsNonRootWithTheOciLabels() {
    assertThat(image.entrypoint())
        .containsExactly(
            "/opt/java/bin/java",
            "-XX:+ExitOnOutOfMemoryError",
            "-jar",
            "/app/portcullis-operator.jar");
    assertThat(image.user()).isEqualTo("65532:65532");
    assertThat(image.labels())
        .containsEntry("org.opencontainers.image.title", "Portcullis operator")
        .containsEntry("org.opencontainers.image.licenses", "Apache-2.0")
        .containsEntry(
            "org.opencontainers.image.version", System.getProperty("portcullis.version"));
  }

  @Test
  void sharesItsBaseAndRuntimeLayersWithTheGatewayImage() throws IOException {
    OciImage gateway = OciImage.read(Path.of(System.getProperty("image.gateway.archive")));

    assertThat(image.manifest().path("layers").get(0))
        .isEqualTo(gateway.manifest().path("layers").get(0));
    assertThat(image.manifest().path("layers").get(1))
        .isEqualTo(gateway.manifest().path("layers").get(1));
  }

  @Test
  void holdsNoShell() throws IOException {
    assertThat(image.layers().stream().flatMap(List::stream).map(TarEntry::path))
        .isNotEmpty()
        .noneMatch(p -> p.matches("(.*/)?(sh|bash|dash|busybox)"));
  }

  @Test
  void printsItsHelp(@TempDir Path dir) throws Exception {
    assumeTrue(
        ImageRoot.runningAsRoot(),
        "running the image needs root (chroot, mount /proc, mknod); .ci/run runs as root");
    Path log = dir.resolve("operator.log");
    try (ImageRoot root = ImageRoot.unpack(image, dir.resolve("rootfs"))) {
      Process operator = root.start(List.of("--help"), log);

      assertThat(operator.waitFor(90, TimeUnit.SECONDS)).as("exits").isTrue();
      assertThat(operator.exitValue()).as(Files.readString(log)).isZero();
      assertThat(Files.readString(log))
          .contains("Usage: portcullis-operator", "--fleet-token-file");
    }
  }
}
