package dev.portcullis.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portcullis.api.resolve.ResourceSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When builds run: a lone change at once, a burst in at most two builds. */
class SnapshotBuilderTest {
  static final Duration DEBOUNCE = Duration.ofSeconds(2);

  final AtomicInteger reads = new AtomicInteger();
  final List<Long> builtAt = new CopyOnWriteArrayList<>();

  SnapshotBuilder builder() {
    return new SnapshotBuilder(
        () -> {
          reads.incrementAndGet();
          return ResourceSet.empty();
        },
        DEBOUNCE,
        build -> builtAt.add(System.nanoTime()));
  }

  @Test
  void aChangeAfterAQuietSpellIsBuiltWithoutWaitingForTheDebounce() {
    try (SnapshotBuilder builder = builder()) {
      long requested = System.nanoTime();
      builder.requestBuild();

      await().atMost(Duration.ofSeconds(5)).until(() -> builtAt.size() == 1);
      assertThat(Duration.ofNanos(builtAt.getFirst() - requested)).isLessThan(DEBOUNCE);
    }
  }

  @Test
  void aBurstRightAfterABuildRidesAlongInOneMoreBuildADebounceLater() throws Exception {
    try (SnapshotBuilder builder = builder()) {
      builder.requestBuild();
      await().atMost(Duration.ofSeconds(5)).until(() -> builtAt.size() == 1);
      for (int i = 0; i < 50; i++) {
        builder.requestBuild();
        Thread.sleep(10);
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> builtAt.size() == 2);
      Thread.sleep(DEBOUNCE.toMillis() + 500);
      assertThat(builtAt).hasSize(2);
      assertThat(reads).hasValue(2);
      assertThat(Duration.ofNanos(builtAt.get(1) - builtAt.get(0)))
          .isGreaterThanOrEqualTo(DEBOUNCE.minusMillis(100));
    }
  }
}
