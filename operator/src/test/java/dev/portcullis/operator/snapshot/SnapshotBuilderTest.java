package dev.portcullis.operator.snapshot;

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
    SnapshotBuilder builder = unopened();
    builder.open();
    await().atMost(Duration.ofSeconds(5)).until(() -> builtAt.size() == 1);
    builtAt.clear();
    reads.set(0);
    return builder;
  }

  SnapshotBuilder unopened() {
    return new SnapshotBuilder(
        () -> {
          reads.incrementAndGet();
          return ResourceSet.empty();
        },
        DEBOUNCE,
        build -> builtAt.add(System.nanoTime()));
  }

  @Test
  void nothingIsBuiltBeforeTheCachesAreFilledAndOpeningBuildsOnce() throws Exception {
    try (SnapshotBuilder builder = unopened()) {
      for (int i = 0; i < 10; i++) {
        builder.requestBuild(); // informer events while the initial lists arrive
      }
      Thread.sleep(300);
      assertThat(reads).hasValue(0);

      builder.open();

      await().atMost(Duration.ofSeconds(5)).until(() -> builtAt.size() == 1);
      Thread.sleep(300);
      assertThat(reads).hasValue(1);
    }
  }

  @Test
  void aChangeAfterAQuietSpellIsBuiltWithoutWaitingForTheDebounce() throws Exception {
    try (SnapshotBuilder builder = builder()) {
      Thread.sleep(DEBOUNCE.toMillis() + 200); // quiet since the first build
      long requested = System.nanoTime();
      builder.requestBuild();

      await().atMost(Duration.ofSeconds(5)).until(() -> builtAt.size() == 1);
      assertThat(Duration.ofNanos(builtAt.getFirst() - requested)).isLessThan(DEBOUNCE);
    }
  }

  @Test
  void aBurstRightAfterABuildRidesAlongInOneMoreBuildADebounceLater() throws Exception {
    try (SnapshotBuilder builder = builder()) {
      Thread.sleep(DEBOUNCE.toMillis() + 200);
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
