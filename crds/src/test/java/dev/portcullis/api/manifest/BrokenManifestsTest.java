package dev.portcullis.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.resolve.SnapshotResolver;
import dev.portcullis.api.validation.ResourceValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One manifest per common mistake under {@code src/test/resources/broken}; each must be rejected
 * with a line naming its file, the field and what is wrong. File problems come from {@link
 * ManifestReader}; the business rules from {@link ResourceValidator}, through the resolver, as in
 * standalone mode.
 */
class BrokenManifestsTest {
  static Path dir;

  @BeforeAll
  static void findFolder() throws URISyntaxException {
    dir = Path.of(BrokenManifestsTest.class.getResource("/broken").toURI());
  }

  /** The problem lines for one file read on its own, as standalone mode would report them. */
  static List<String> problemsOf(String file) {
    Path path = dir.resolve(file);
    ManifestSet manifests;
    try {
      manifests = ManifestReader.readText(path, Files.readString(path), name -> null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return manifests.describeProblems(SnapshotResolver.resolve(manifests.toResourceSet()));
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of(
            "bad-duration.yaml", "spec.targets[0].timeouts.total", "'30x' is not a duration"),
        Arguments.of(
            "bad-regex.yaml", "spec.checks[0].regex.pattern", "missing closing ) at index 14"),
        Arguments.of(
            "invalid-json-schema.yaml",
            "spec.checks[0].jsonSchema.schema.type",
            "not a valid JSON Schema"),
        Arguments.of("two-check-types.yaml", "spec.checks[0]", "pii and denyList"),
        Arguments.of(
            "provider-and-route.yaml", "spec.targets[0]", "exactly one of provider or route"),
        Arguments.of(
            "openai-compatible-without-baseurl.yaml",
            "spec.targets[0].baseUrl",
            "openai-compatible needs baseUrl"),
        Arguments.of("rollout-not-100.yaml", "spec.rollout", "weights sum to 90"),
        Arguments.of(
            "duplicate-version-names.yaml", "spec.versions[1].name", "'v1' appears more than once"),
        Arguments.of("unknown-kind.yaml", "kind", "'LLMRouter'"),
        Arguments.of("missing-required-field.yaml", "spec.model", "required field is missing"),
        Arguments.of("bad-enum.yaml", "spec.strategy.mode", "RoundRobin"),
        Arguments.of(
            "bad-money.yaml", "spec.budget.amountUSD", "'100 USD' is not an amount in USD"),
        Arguments.of(
            "conditional-without-conditions.yaml",
            "spec.strategy.conditions",
            "Conditional needs at least one"),
        Arguments.of(
            "condition-unknown-target.yaml",
            "spec.strategy.conditions[0].target",
            "'premium' is not one of this route's targets"),
        Arguments.of(
            "bad-expires-at.yaml", "spec.expiresAt", "'2027-02-30T00:00:00Z' is not a valid date"));
  }

  @ParameterizedTest
  @MethodSource("mistakes")
  void rejectsTheMistakeNamingFileAndField(String file, String field, String message) {
    assertThat(problemsOf(file))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith(dir.resolve(file) + " (")
                    .contains(") " + field + ": ")
                    .contains(message));
  }

  @Test
  void rejectsInvalidYamlNamingFileAndLine() {
    assertThat(problemsOf("invalid-yaml.yaml"))
        .singleElement()
        .satisfies(
            l -> assertThat(l).startsWith(dir.resolve("invalid-yaml.yaml") + ":8: not valid YAML"));
  }

  @Test
  void theBadEnumMessageListsTheAllowedValues() {
    assertThat(problemsOf("bad-enum.yaml"))
        .singleElement()
        .satisfies(l -> assertThat(l).contains("LoadBalance").contains("Fallback"));
  }

  @Test
  void everyBrokenFileIsRejected() {
    List<String> files =
        Stream.of(dir.toFile().list()).filter(f -> f.endsWith(".yaml")).sorted().toList();

    assertThat(files).hasSize(16);
    for (String file : files) {
      assertThat(problemsOf(file)).as(file).isNotEmpty();
    }
  }
}
