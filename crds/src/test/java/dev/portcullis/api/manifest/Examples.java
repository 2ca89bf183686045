package dev.portcullis.api.manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/** The folders under the repository's {@code examples/}, found from the test's working folder. */
final class Examples {
  /** Stands in for every environment variable an example names, e.g. OPENAI_API_KEY. */
  static final Function<String, String> ENVIRONMENT = name -> "test-value-of-" + name;

  private Examples() {}

  static Path root() {
    // Surefire runs in crds/; an IDE may run in the repository root.
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path examples = dir.resolve("examples");
      if (Files.isDirectory(examples) && Files.exists(dir.resolve("pom.xml"))) {
        return examples;
      }
    }
    throw new IllegalStateException("no examples/ folder above " + Path.of("").toAbsolutePath());
  }

  static List<Path> folders() {
    try (Stream<Path> dirs = Files.list(root())) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> names() {
    return folders().stream().map(p -> p.getFileName().toString()).toList();
  }
}
