package dev.portcullis.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.validation.ResourceValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example folder reads cleanly and each of its resources is valid. */
class ExamplesValidateTest {

  static Iterable<String> examples() {
    return Examples.names();
  }

  static ManifestSet read(String example) {
    return ManifestReader.readDirectory(Examples.root().resolve(example), Examples.ENVIRONMENT);
  }

  @Test
  void theExamplesTheDocsPromiseExist() {
    assertThat(Examples.names())
        .contains("fallback", "load-balance", "multi-tenant", "guardrails", "prompt-ab");
  }

  @ParameterizedTest
  @MethodSource("examples")
  void readsWithoutProblems(String example) {
    ManifestSet manifests = read(example);

    assertThat(manifests.problems()).isEmpty();
    assertThat(manifests.routes()).isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyResourcePassesTheResourceValidator(String example) {
    for (var entry : read(example).all()) {
      assertThat(ResourceValidator.validate(entry.resource())).as(entry.toString()).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyVirtualKeyHasItsKeySecretForStandaloneMode(String example) {
    ManifestSet manifests = read(example);

    for (var key : manifests.keys()) {
      var secret =
          manifests.secrets().stream()
              .filter(s -> s.ref().namespace().equals(key.ref().namespace()))
              .filter(s -> s.ref().name().equals(key.resource().getSpec().getSecretName()))
              .findFirst();
      assertThat(secret).as(key.toString()).isPresent();
      assertThat(secret.get().resource().getData()).as(key.toString()).containsKey("apiKey");
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void hasAReadmeSayingHowToRunIt(String example) throws IOException {
    Path readme = Examples.root().resolve(example).resolve("README.md");

    assertThat(readme).exists();
    assertThat(Files.readString(readme)).contains("--manifests examples/" + example);
  }
}
