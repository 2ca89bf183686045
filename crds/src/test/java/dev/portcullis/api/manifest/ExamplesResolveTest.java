package dev.portcullis.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.resolve.Resolution;
import dev.portcullis.api.resolve.SnapshotResolver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example resolves into a snapshot without problems, with all its resources in it. */
class ExamplesResolveTest {

  static Iterable<String> examples() {
    return Examples.names();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void resolvesWithoutProblems(String example) {
    ManifestSet manifests =
        ManifestReader.readDirectory(Examples.root().resolve(example), Examples.ENVIRONMENT);

    Resolution resolution = SnapshotResolver.resolve(manifests.toResourceSet());

    assertThat(manifests.describeProblems(resolution)).isEmpty();
    assertThat(resolution.snapshot().routes()).hasSameSizeAs(manifests.routes());
    assertThat(resolution.snapshot().keys()).hasSameSizeAs(manifests.keys());
    assertThat(resolution.snapshot().policies()).hasSameSizeAs(manifests.policies());
    assertThat(resolution.snapshot().templates()).hasSameSizeAs(manifests.templates());
  }
}
