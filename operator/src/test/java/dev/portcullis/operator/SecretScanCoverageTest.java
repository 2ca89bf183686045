package dev.portcullis.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.gateway.testing.SecretScan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The operator's tests that start gateways run the shared secret scan (gateway-runtime's). */
class SecretScanCoverageTest {

  @Test
  void theSecretScanExtensionRunsForTheOperatorsTests() {
    assertThat(SecretScan.current())
        .as("the scan SecretScanExtension made for this class (auto-detected)")
        .isSameAs(SecretScan.current());
  }

  @Test
  void everyGatewayAnOperatorTestStartsIsHandedToTheScan() throws IOException {
    Pattern unwatched = Pattern.compile("(?<!SecretScan\\.watching\\()Gateway\\.start\\(");
    List<Path> unscanned;
    try (Stream<Path> files = Files.walk(Path.of("src", "test", "java"))) {
      unscanned =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> !f.getFileName().toString().equals("SecretScanCoverageTest.java"))
              .filter(f -> unwatched.matcher(read(f)).find())
              .toList();
    }
    assertThat(unscanned).as("wrap the gateway in SecretScan.watching(…)").isEmpty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
