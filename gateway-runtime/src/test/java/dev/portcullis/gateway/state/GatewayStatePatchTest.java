package dev.portcullis.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.api.snapshot.KeyConfig;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.SnapshotDelta;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.provider.ProviderRegistry;
import dev.portcullis.gateway.testing.TestSnapshots;
import java.time.Clock;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A state patched with a delta indexes exactly what the whole snapshot compiled would. */
class GatewayStatePatchTest {
  static final ProviderRegistry PROVIDERS = ProviderRegistry.builtIn();
  static final String[] MODELS = {"gpt", "claude", "gemini", "mini", "big"};

  /** Route name → model; key name → key material; an edit changes one of them. */
  record World(Map<String, String> routes, Map<String, String> keys) {
    Snapshot snapshot() {
      TestSnapshots builder = TestSnapshots.builder();
      routes.forEach(
          (name, model) -> {
            String[] nsAndName = name.split("/");
            builder.route(
                nsAndName[0],
                nsAndName[1],
                model,
                Mode.SINGLE,
                name.hashCode() % 2 == 0 ? Set.of() : Set.of("*"),
                TestSnapshots.echo("echo"));
          });
      keys.forEach(
          (name, key) -> {
            String[] nsAndName = name.split("/");
            builder.key(nsAndName[0], nsAndName[1], key);
          });
      return builder.build();
    }
  }

  @Test
  void aChainOfRandomDeltasIndexesLikeWholeCompiles() throws Exception {
    Random random = new Random(11);
    World world = new World(new TreeMap<>(), new TreeMap<>());
    for (int i = 0; i < 30; i++) {
      world.routes.put("ns-" + (i % 4) + "/route-" + i, MODELS[i % MODELS.length]);
      world.keys.put("ns-" + (i % 4) + "/key-" + i, "pc-key-" + i + "-v0");
    }
    Snapshot snapshot = world.snapshot();
    GatewayState state = GatewayState.compile(snapshot, PROVIDERS);
    Authenticator auth = new Authenticator(Clock.systemUTC());
    for (int step = 1; step <= 60; step++) {
      String retiredKey = null;
      for (int n = random.nextInt(5); n >= 0; n--) {
        int i = random.nextInt(45);
        String route = "ns-" + (i % 4) + "/route-" + i;
        String key = "ns-" + (i % 4) + "/key-" + i;
        switch (random.nextInt(6)) {
          case 0 -> world.routes.remove(route);
          case 1 -> world.routes.put(route, MODELS[random.nextInt(MODELS.length)]);
          case 2 -> world.keys.remove(key);
          case 3 -> world.keys.put(key, "pc-key-" + i + "-v0");
          default -> {
            if (world.keys.containsKey(key)) {
              retiredKey = world.keys.put(key, "pc-key-" + i + "-v" + step); // rotated
            }
          }
        }
      }
      Snapshot next = world.snapshot();
      SnapshotDelta delta = SnapshotDelta.between(snapshot, next);

      GatewayState patched = state.patch(delta, delta.applyTo(snapshot), PROVIDERS);

      GatewayState compiled = GatewayState.compile(next, PROVIDERS);
      assertThat(patched.sameIndexesAs(compiled)).as("step %d", step).isTrue();
      for (String model : MODELS) {
        assertThat(patched.routesForModel(model)).isEqualTo(compiled.routesForModel(model));
      }
      for (Map.Entry<String, String> key : world.keys.entrySet()) {
        KeyConfig found = auth.authenticate(patched, key.getValue());
        assertThat(found.id().qualifiedName()).isEqualTo(key.getKey());
      }
      if (retiredKey != null) {
        String gone = retiredKey;
        assertThatThrownBy(() -> auth.authenticate(patched, gone))
            .isInstanceOf(GatewayException.class);
      }
      snapshot = patched.snapshot();
      state = patched;
    }
  }

  @Test
  void removingARouteAnotherStillPointsAtIsRejected() throws Exception {
    Snapshot before =
        TestSnapshots.builder()
            .route("team-a", "inner", "inner", Mode.SINGLE, TestSnapshots.echo("echo"))
            .route(
                "team-a",
                "outer",
                "outer",
                Mode.SINGLE,
                TestSnapshots.routeTarget("nested", "team-a/inner"))
            .build();
    Snapshot after =
        TestSnapshots.builder()
            .route(
                "team-a",
                "outer",
                "outer",
                Mode.SINGLE,
                TestSnapshots.routeTarget("nested", "team-a/inner"))
            .build();
    GatewayState state = GatewayState.compile(before, PROVIDERS);
    SnapshotDelta delta = SnapshotDelta.between(before, after);

    assertThatThrownBy(() -> state.patch(delta, delta.applyTo(before), PROVIDERS))
        .isInstanceOf(SnapshotRejectedException.class)
        .hasMessageContaining("team-a/outer")
        .hasMessageContaining("team-a/inner");
    assertThatThrownBy(() -> GatewayState.compile(after, PROVIDERS))
        .isInstanceOf(SnapshotRejectedException.class);
  }

  @Test
  void aChangedRouteWithAnUnknownProviderIsRejected() throws Exception {
    Snapshot before =
        TestSnapshots.builder()
            .route("team-a", "chat", "chat", Mode.SINGLE, TestSnapshots.echo("echo"))
            .build();
    Snapshot after =
        TestSnapshots.builder()
            .route(
                "team-a",
                "chat",
                "chat",
                Mode.SINGLE,
                TestSnapshots.provider("main", "no-such-provider", "m", "http://127.0.0.1:9"))
            .build();
    GatewayState state = GatewayState.compile(before, PROVIDERS);
    SnapshotDelta delta = SnapshotDelta.between(before, after);

    assertThatThrownBy(() -> state.patch(delta, delta.applyTo(before), PROVIDERS))
        .isInstanceOf(SnapshotRejectedException.class)
        .hasMessageContaining("no-such-provider");
    assertThat(state.routesForModel("chat")).containsExactlyElementsOf(before.routes());
  }
}
