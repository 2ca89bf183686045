package dev.portcullis.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.validation.CrdSchemaValidator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart ships copies of the generated CRDs; they must be what this build generated.
 * Refresh them with {@code ./mvnw -B -q -pl crds -am -Pupdate-crds process-classes}.
 */
class ChartCrdsTest {
  static final Path CHART_CRDS = Path.of("..", "charts", "portcullis", "crds");
  static final String REFRESH =
      "refresh the chart's copies with: ./mvnw -B -q -pl crds -am -Pupdate-crds process-classes";

  static Path generatedCrds() throws URISyntaxException {
    URL dir = ChartCrdsTest.class.getClassLoader().getResource(CrdSchemaValidator.CRD_RESOURCE_DIR);
    assertThat(dir).as("generated CRDs on the classpath").isNotNull();
    return Path.of(dir.toURI());
  }

  static List<String> crdFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  @Test
  void chartHoldsExactlyTheGeneratedCrds() throws Exception {
    assertThat(CHART_CRDS).as(REFRESH).isDirectory();

    assertThat(crdFiles(CHART_CRDS)).as(REFRESH).isEqualTo(crdFiles(generatedCrds()));
  }

  @Test
  void chartCopiesEqualTheGeneratedCrds() throws Exception {
    Path generated = generatedCrds();
    for (String file : crdFiles(generated)) {
      Path copy = CHART_CRDS.resolve(file);
      assertThat(copy).as(REFRESH).exists();
      assertThat(Files.readString(copy))
          .as("charts/portcullis/crds/%s differs from the generated CRD; %s", file, REFRESH)
          .isEqualTo(Files.readString(generated.resolve(file)));
    }
  }
}
