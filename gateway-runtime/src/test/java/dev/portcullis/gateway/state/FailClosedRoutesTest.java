package dev.portcullis.gateway.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.api.fleet.GatewayCapabilities;
import dev.portcullis.api.fleet.NotEnforced;
import dev.portcullis.api.manifest.ManifestReader;
import dev.portcullis.api.resolve.Resolution;
import dev.portcullis.api.resolve.SnapshotResolver;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.SnapshotDelta;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.provider.ProviderRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** A route that needs a capability the gateway lacks is found as usual but never served. */
class FailClosedRoutesTest {
  static final ProviderRegistry PROVIDERS = ProviderRegistry.builtIn();

  static final String POLICY =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: GuardrailPolicy
      metadata: {name: pii, namespace: team-a}
      spec:
        checks:
          - {name: mask, stages: [Input], action: Redact, regex: {pattern: "[0-9]{4}"}}
      ---
      """;

  static String route(String name, String model, String extra) {
    return """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: %s, namespace: team-a}
        spec:
          model: %s
          targets: [{name: echo, provider: echo}]
        %s
        ---
        """
        .formatted(name, model, extra);
  }

  static Snapshot snapshot(String yaml) {
    Resolution resolution =
        SnapshotResolver.resolve(
            ManifestReader.readText(Path.of("test.yaml"), yaml, Function.identity())
                .toResourceSet());
    assertThat(resolution.problems()).isEmpty();
    return resolution.snapshot();
  }

  static final String GUARDED = "  guardrails: {input: [{name: pii}]}";

  static Snapshot guardedAndPlain() {
    return snapshot(POLICY + route("guarded", "g", GUARDED) + route("plain", "p", ""));
  }

  static GatewayCapabilities enforcing(String... checkTypes) {
    return new GatewayCapabilities(
        GatewayCapabilities.VERSION, Set.of(), Set.of(checkTypes), false, Set.of());
  }

  /** What the request path's route stage does with the route it resolved. */
  static void serve(GatewayState state, RouteConfig route) {
    state.requireEnforced(route);
  }

  @Test
  void aGuardedRouteIsFoundByItsModelButRefusedWith503NamingTheCapability() throws Exception {
    GatewayState state =
        GatewayState.compile(guardedAndPlain(), PROVIDERS, GatewayCapabilities.BASELINE);

    List<RouteConfig> found = state.routesForModel("g");
    assertThat(found).extracting(r -> r.id().qualifiedName()).containsExactly("team-a/guarded");
    RouteConfig guarded = found.getFirst();

    assertThatThrownBy(() -> serve(state, guarded))
        .isInstanceOfSatisfying(
            GatewayException.class,
            e -> {
              assertThat(e.error().kind()).isEqualTo(ErrorKind.UNAVAILABLE);
              assertThat(e.error().code()).isEqualTo("capability_missing");
              assertThat(e.getMessage())
                  .contains("team-a/guarded")
                  .contains("guardrail/regex")
                  .contains("guardrail policy team-a/pii");
            });
  }

  @Test
  void routesThatNeedNothingMoreAreServedAsTheyAre() throws Exception {
    Snapshot snapshot = guardedAndPlain();
    GatewayState state = GatewayState.compile(snapshot, PROVIDERS, GatewayCapabilities.BASELINE);

    RouteConfig plain =
        snapshot.routes().stream().filter(r -> r.model().equals("p")).findFirst().orElseThrow();
    assertThat(state.routesForModel("p")).containsExactly(plain);
    assertThat(state.route("team-a/plain")).contains(plain);
    assertThatCode(() -> serve(state, plain)).doesNotThrowAnyException();
  }

  @Test
  void theStateListsWhatItDoesNotEnforce() throws Exception {
    GatewayState state =
        GatewayState.compile(guardedAndPlain(), PROVIDERS, GatewayCapabilities.BASELINE);

    assertThat(state.notEnforced())
        .extracting(NotEnforced::kind, NotEnforced::name)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("GuardrailPolicy", "team-a/pii"),
            org.assertj.core.groups.Tuple.tuple("LLMRoute", "team-a/guarded"));
  }

  @Test
  void aGatewayThatEnforcesTheCheckTypeServesTheGuardedRouteItself() throws Exception {
    Snapshot snapshot = guardedAndPlain();
    GatewayState state = GatewayState.compile(snapshot, PROVIDERS, enforcing("regex"));

    assertThat(state.notEnforced()).isEmpty();
    assertThatCode(() -> serve(state, state.routesForModel("g").getFirst()))
        .doesNotThrowAnyException();
  }

  @Test
  void aDeltaThatDropsTheGuardrailServesTheRouteAgainWithTheSameCapabilities() throws Exception {
    Snapshot before = guardedAndPlain();
    Snapshot after = snapshot(POLICY + route("guarded", "g", "") + route("plain", "p", ""));
    GatewayState state = GatewayState.compile(before, PROVIDERS, GatewayCapabilities.BASELINE);

    GatewayState patched = state.patch(SnapshotDelta.between(before, after), after, PROVIDERS);

    assertThat(patched.capabilities()).isEqualTo(GatewayCapabilities.BASELINE);
    assertThat(patched.notEnforced()).extracting(NotEnforced::name).containsExactly("team-a/pii");
    assertThatCode(() -> serve(patched, patched.routesForModel("g").getFirst()))
        .doesNotThrowAnyException();
  }

  @Test
  void aDeltaThatAddsTheGuardrailFailsTheRouteClosed() throws Exception {
    Snapshot before = snapshot(POLICY + route("guarded", "g", "") + route("plain", "p", ""));
    Snapshot after = guardedAndPlain();
    GatewayState state = GatewayState.compile(before, PROVIDERS, GatewayCapabilities.BASELINE);

    GatewayState patched = state.patch(SnapshotDelta.between(before, after), after, PROVIDERS);

    RouteConfig guarded = patched.routesForModel("g").getFirst();
    assertThatThrownBy(() -> serve(patched, guarded))
        .isInstanceOf(GatewayException.class)
        .hasMessageContaining("guardrail/regex");
  }
}
