package dev.portcullis.api.resolve;

import static dev.portcullis.api.resolve.Manifests.read;
import static dev.portcullis.api.resolve.Manifests.secret;
import static dev.portcullis.api.resolve.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.SnapshotDelta;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SnapshotDeltaTest {

  private static Snapshot resolve(ResourceSet set) {
    Resolution resolution = SnapshotResolver.resolve(set);
    assertThat(resolution.problems()).isEmpty();
    return resolution.snapshot();
  }

  private static Snapshot everything(String openAiKey) {
    return resolve(SnapshotCodecTest.everything(openAiKey));
  }

  @Test
  void aDeltaCarriesOnlyWhatChangedAndLeadsToTheSameSnapshot() {
    Snapshot from = everything("sk-openai-1");
    // A rotated provider credential changes the one route that uses it, nothing else.
    Snapshot to = everything("sk-openai-2");

    SnapshotDelta delta = SnapshotDelta.between(from, to);

    assertThat(delta.base()).isEqualTo(from.version());
    assertThat(delta.version()).isEqualTo(to.version()).isNotEqualTo(from.version());
    assertThat(delta.routes()).extracting(r -> r.id().name()).containsExactly("chat");
    assertThat(delta.keys()).isEmpty();
    assertThat(delta.policies()).isEmpty();
    assertThat(delta.templates()).isEmpty();
    assertThat(delta.size()).isEqualTo(1);
    assertThat(delta.applyTo(from)).isEqualTo(to);
  }

  @Test
  void removedAndAddedEntriesAreNamedAndApplied() {
    String yaml = SnapshotCodecTest.EVERYTHING;
    Snapshot from = everything("sk-openai-1");
    String withoutBatch =
        yaml.replace(
            """
            ---
            apiVersion: portcullis.dev/v1alpha1
            kind: VirtualKey
            metadata: {name: batch, namespace: team-b}
            spec: {secretName: batch-key, routes: [team-a/claude]}
            """,
            "");
    assertThat(withoutBatch).isNotEqualTo(yaml);
    String changed =
        withoutBatch
            + """
            ---
            apiVersion: portcullis.dev/v1alpha1
            kind: LLMRoute
            metadata: {name: aaa-first, namespace: team-a}
            spec:
              model: extra
              targets: [{name: echo, provider: echo}]
            """;
    Snapshot to =
        resolve(
            with(
                read(changed),
                SnapshotCodecTest.everythingSecrets("sk-openai-1").toArray(Secret[]::new)));

    SnapshotDelta delta = SnapshotDelta.between(from, to);

    assertThat(delta.removed().keys()).containsExactly("team-b/batch");
    assertThat(delta.routes()).extracting(r -> r.id().name()).containsExactly("aaa-first");
    Snapshot applied = delta.applyTo(from);
    assertThat(applied).isEqualTo(to);
    assertThat(applied.routes())
        .extracting(r -> r.id().name())
        .containsExactly("aaa-first", "chat", "claude");
  }

  @Test
  void equalSnapshotsGiveAnEmptyDelta() {
    Snapshot snapshot = everything("sk-openai-1");

    SnapshotDelta delta = SnapshotDelta.between(snapshot, snapshot);

    assertThat(delta.size()).isZero();
    assertThat(delta.applyTo(snapshot)).isEqualTo(snapshot);
  }

  @Test
  void aDeltaReadsBackFromItsJsonAndIsToldApartFromASnapshot() {
    Snapshot from = everything("sk-openai-1");
    Snapshot to = everything("sk-openai-2");
    SnapshotDelta delta = SnapshotDelta.between(from, to);
    byte[] json = SnapshotCodec.toJson(delta);

    assertThat(SnapshotCodec.readFleetMessage(json)).isEqualTo(delta);
    assertThat(SnapshotCodec.readFleetMessage(SnapshotCodec.toJson(to))).isEqualTo(to);
    assertThat(SnapshotCodec.versionOf(json)).isEqualTo(to.version());
    assertThatThrownBy(() -> SnapshotCodec.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delta");
    // Smaller than the whole snapshot, and without the unchanged credentials.
    assertThat(json.length).isLessThan(SnapshotCodec.toJson(to).length);
    assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8))
        .contains("sk-openai-2")
        .doesNotContain("sk-ant-test");
  }

  @Test
  void aDeltaIsRefusedOnAnyOtherBase() {
    Snapshot from = everything("sk-openai-1");
    Snapshot to = everything("sk-openai-2");
    Snapshot other = everything("sk-openai-3");
    SnapshotDelta delta = SnapshotDelta.between(from, to);

    assertThatThrownBy(() -> delta.applyTo(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(from.version())
        .hasMessageContaining(other.version());
  }

  @Test
  void aDeltaThatRemovesWhatTheBaseLacksOrIsOutOfOrderIsRefused() {
    Snapshot from = everything("sk-openai-1");
    Snapshot to = everything("sk-openai-2");
    SnapshotDelta good = SnapshotDelta.between(from, to);
    SnapshotDelta removesUnknown =
        new SnapshotDelta(
            good.schemaVersion(),
            good.base(),
            good.version(),
            good.routes(),
            good.keys(),
            good.policies(),
            good.templates(),
            new SnapshotDelta.Removed(List.of("team-z/nope"), List.of(), List.of(), List.of()));
    SnapshotDelta outOfOrder =
        new SnapshotDelta(
            good.schemaVersion(),
            good.base(),
            good.version(),
            List.of(to.routes().get(1), to.routes().get(0)),
            good.keys(),
            good.policies(),
            good.templates(),
            SnapshotDelta.Removed.NONE);

    assertThatThrownBy(() -> removesUnknown.applyTo(from))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("team-z/nope");
    assertThatThrownBy(() -> outOfOrder.applyTo(from))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("order");
  }

  /** Random edits over many versions: every delta, applied in turn, gives the next snapshot. */
  @Test
  void aChainOfRandomChangesAppliesExactly() {
    Random random = new Random(7);
    TreeSet<Integer> routes = new TreeSet<>();
    TreeSet<Integer> keys = new TreeSet<>();
    for (int i = 0; i < 40; i++) {
      routes.add(i);
      keys.add(i);
    }
    int[] targetVersion = new int[100];
    Snapshot running = resolve(randomSet(routes, keys, targetVersion));
    for (int step = 0; step < 30; step++) {
      for (int n = random.nextInt(4); n >= 0; n--) {
        switch (random.nextInt(5)) {
          case 0 -> routes.remove(random.nextInt(60));
          case 1 -> routes.add(random.nextInt(60));
          case 2 -> keys.remove(random.nextInt(60));
          case 3 -> keys.add(random.nextInt(60));
          default -> targetVersion[random.nextInt(60)]++;
        }
      }
      Snapshot next = resolve(randomSet(routes, keys, targetVersion));
      SnapshotDelta delta =
          (SnapshotDelta)
              SnapshotCodec.readFleetMessage(
                  SnapshotCodec.toJson(SnapshotDelta.between(running, next)));

      Snapshot applied = delta.applyTo(running);

      assertThat(applied).isEqualTo(next);
      assertThat(SnapshotCodec.computeVersion(applied)).isEqualTo(next.version());
      running = applied;
    }
  }

  private static ResourceSet randomSet(
      TreeSet<Integer> routes, TreeSet<Integer> keys, int[] targetVersion) {
    StringBuilder yaml = new StringBuilder();
    for (int r : routes) {
      yaml.append(
          """
          ---
          apiVersion: portcullis.dev/v1alpha1
          kind: LLMRoute
          metadata: {name: route-%d, namespace: ns-%d}
          spec:
            model: model-%d
            targets: [{name: t, provider: openai, model: m-%d, credentials: {secretRef: {name: up, key: apiKey}}}]
          """
              .formatted(r, r % 3, r, targetVersion[r]));
    }
    List<Secret> secrets = new ArrayList<>();
    for (int n = 0; n < 3; n++) {
      secrets.add(secret("ns-" + n, "up", "apiKey", "sk-" + n));
    }
    for (int k : keys) {
      yaml.append(
          """
          ---
          apiVersion: portcullis.dev/v1alpha1
          kind: VirtualKey
          metadata: {name: key-%d, namespace: ns-%d}
          spec: {secretName: key-%d}
          """
              .formatted(k, k % 3, k));
      secrets.add(secret("ns-" + (k % 3), "key-" + k, "apiKey", "pk-" + k));
    }
    return with(read(yaml.toString()), secrets.toArray(Secret[]::new));
  }

  @Test
  void entriesAreMatchedByNameNotGeneration() {
    Snapshot from = everything("sk-openai-1");
    ResourceId chat = from.routes().getFirst().id();

    assertThat(chat.generation()).isEqualTo(3);
    SnapshotDelta delta = SnapshotDelta.between(from, everything("sk-openai-2"));
    assertThat(delta.routes().getFirst().id().qualifiedName()).isEqualTo(chat.qualifiedName());
    assertThat(delta.applyTo(from).routes()).hasSameSizeAs(from.routes());
  }
}
