package dev.portcullis.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.resolve.Resolution;
import dev.portcullis.api.resolve.SnapshotResolver;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example resolves into a snapshot without problems, with all its routes and keys in it.
 * Needs the resolver ({@code SnapshotResolver}); until that lands, this branch has a placeholder.
 */
@Disabled("enable when the resolver branch is merged (SnapshotResolver is a placeholder here)")
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
