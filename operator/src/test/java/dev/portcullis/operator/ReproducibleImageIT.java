package dev.portcullis.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images are reproducible: {@code .ci/oci-image} run again with the arguments the build used
 * (it writes them beside each archive), into a new base directory (so the jlinked runtime and the
 * base layer are made again too), gives the same manifest digests.
 */
class ReproducibleImageIT {

  @Test
  void rebuildingBothImagesFromTheSameInputsGivesTheSameDigests(@TempDir Path dir)
      throws Exception {
    Path script = TestCluster.examples().getParent().resolve(".ci").resolve("oci-image");
    Path base = dir.resolve("base");
    for (String property : List.of("image.gateway.archive", "image.operator.archive")) {
      Path built = Path.of(System.getProperty(property));
      Path rebuilt = dir.resolve(built.getFileName());
      List<String> command = new ArrayList<>(List.of("bash", script.toString()));
      for (String arg : Files.readAllLines(Path.of(built + ".args"))) {
        command.add(
            arg.startsWith("--base-dir=")
                ? "--base-dir=" + base
                : arg.startsWith("--out=") ? "--out=" + rebuilt : arg);
      }
      Path log = dir.resolve(built.getFileName() + ".log");
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("finishes").isTrue();
      assertThat(p.exitValue()).as(Files.readString(log)).isZero();

      String digest = OciImage.read(built).digest();
      assertThat(OciImage.read(rebuilt).digest()).as(property).isEqualTo(digest);
      assertThat(Files.readString(Path.of(built + ".digest")).strip()).isEqualTo(digest);
    }
  }
}
