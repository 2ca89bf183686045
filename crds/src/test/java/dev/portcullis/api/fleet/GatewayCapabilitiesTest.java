package dev.portcullis.api.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.manifest.ManifestReader;
import dev.portcullis.api.manifest.ManifestSet;
import dev.portcullis.api.resolve.Resolution;
import dev.portcullis.api.resolve.SnapshotResolver;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig.CacheMode;
import dev.portcullis.api.snapshot.Snapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which snapshot entries a gateway cannot enforce, and how it announces what it can. */
class GatewayCapabilitiesTest {
  static final String POLICY_AND_TEMPLATE =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: GuardrailPolicy
      metadata: {name: pii, namespace: team-a}
      spec:
        checks:
          - {name: mask, stages: [Input], action: Redact, regex: {pattern: "[0-9]{4}"}}
          - {name: block, stages: [Input], action: Deny, denyList: {words: [x]}}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: PromptTemplate
      metadata: {name: bot, namespace: team-a}
      spec:
        versions:
          - name: v1
            messages: [{role: user, content: hi}]
      ---
      """;

  static final String ROUTES =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: plain, namespace: team-a}
      spec:
        model: plain
        targets: [{name: a, provider: echo}]
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: guarded, namespace: team-a}
      spec:
        model: guarded
        targets: [{name: a, provider: echo}]
        guardrails: {input: [{name: pii}]}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: templated, namespace: team-a}
      spec:
        model: templated
        targets: [{name: a, provider: echo}]
        promptTemplate: {name: bot}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: cached, namespace: team-a}
      spec:
        model: cached
        targets: [{name: a, provider: echo}]
        cache: {mode: Exact, ttl: 10m}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: outer, namespace: team-a}
      spec:
        model: outer
        targets: [{name: inner, route: {name: guarded}}]
      """;

  static Snapshot snapshot() {
    ManifestSet set =
        ManifestReader.readText(
            Path.of("capabilities.yaml"), POLICY_AND_TEMPLATE + ROUTES, Function.identity());
    Resolution resolution = SnapshotResolver.resolve(set.toResourceSet());
    assertThat(resolution.problems()).as("the manifests resolve cleanly").isEmpty();
    return resolution.snapshot();
  }

  static Map<String, List<String>> missingByEntry(GatewayCapabilities capabilities) {
    return capabilities.notEnforced(snapshot()).stream()
        .collect(Collectors.toMap(e -> e.kind() + " " + e.name(), NotEnforced::missing));
  }

  static GatewayCapabilities with(Set<String> checks, boolean templates, Set<CacheMode> modes) {
    return new GatewayCapabilities(
        GatewayCapabilities.VERSION, Set.of("/v1/chat/completions"), checks, templates, modes);
  }

  @Test
  void theBaselineEnforcesNoPolicyTemplateOrCacheAndNoRouteThatNeedsOne() {
    assertThat(missingByEntry(GatewayCapabilities.BASELINE))
        .containsOnly(
            Map.entry(
                "GuardrailPolicy team-a/pii", List.of("guardrail/denyList", "guardrail/regex")),
            Map.entry("PromptTemplate team-a/bot", List.of("prompt-templates")),
            Map.entry("LLMRoute team-a/guarded", List.of("guardrail/denyList", "guardrail/regex")),
            Map.entry("LLMRoute team-a/templated", List.of("prompt-templates")),
            Map.entry("LLMRoute team-a/cached", List.of("cache/exact")),
            Map.entry("LLMRoute team-a/outer", List.of("guardrail/denyList", "guardrail/regex")));
  }

  @Test
  void aPolicyNeedsEveryCheckTypeItUses() {
    assertThat(missingByEntry(with(Set.of("regex"), true, Set.of(CacheMode.EXACT))))
        .containsOnly(
            Map.entry("GuardrailPolicy team-a/pii", List.of("guardrail/denyList")),
            Map.entry("LLMRoute team-a/guarded", List.of("guardrail/denyList")),
            Map.entry("LLMRoute team-a/outer", List.of("guardrail/denyList")));
  }

  @Test
  void aGatewayWithEveryCapabilityEnforcesEverything() {
    assertThat(missingByEntry(with(Set.of("regex", "denyList"), true, Set.of(CacheMode.EXACT))))
        .isEmpty();
  }

  @Test
  void theReasonNamesThePolicyTheRouteNeedsAndTheRouteItTargets() {
    List<NotEnforced> entries = GatewayCapabilities.BASELINE.notEnforced(snapshot());
    NotEnforced guarded =
        entries.stream().filter(e -> e.name().equals("team-a/guarded")).findFirst().orElseThrow();
    NotEnforced outer =
        entries.stream().filter(e -> e.name().equals("team-a/outer")).findFirst().orElseThrow();

    assertThat(guarded.reason())
        .contains("guardrail policy team-a/pii needs guardrail/denyList, guardrail/regex");
    assertThat(outer.reason()).contains("target route team-a/guarded is not enforced");
  }

  @Test
  void theAnnouncementTravelsAsOneLineOfJsonAndReadsBackEqual() {
    GatewayCapabilities announced = with(Set.of("regex"), true, Set.of(CacheMode.EXACT));

    String header = announced.toHeader();

    assertThat(header).doesNotContain("\n").contains("\"version\":1");
    assertThat(GatewayCapabilities.fromHeader(header)).isEqualTo(announced);
  }

  @Test
  void aGatewayThatAnnouncesNothingIsTakenToEnforceTheBaseline() {
    assertThat(GatewayCapabilities.fromHeader(null)).isEqualTo(GatewayCapabilities.BASELINE);
    assertThat(GatewayCapabilities.fromHeader(" ")).isEqualTo(GatewayCapabilities.BASELINE);
  }

  @Test
  void fieldsOfALaterVocabularyAreIgnored() {
    GatewayCapabilities read =
        GatewayCapabilities.fromHeader(
            "{\"version\":2,\"guardrailCheckTypes\":[\"pii\"],\"rateLimitModes\":[\"sliding\"]}");

    assertThat(read.version()).isEqualTo(2);
    assertThat(read.guardrailCheckTypes()).containsExactly("pii");
  }

  @Test
  void aMalformedAnnouncementIsRefusedWithTheHeaderNamed() {
    assertThatThrownBy(() -> GatewayCapabilities.fromHeader("regex,pii"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(FleetProtocol.CAPABILITIES_HEADER);
    assertThatThrownBy(() -> GatewayCapabilities.fromHeader("{\"version\":0}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version");
  }

  @Test
  void anAcknowledgementWithoutEntriesReadsAsBeforeCapabilities() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String plain = json.writeValueAsString(FleetAck.applied("gw", "v1"));
    FleetAck withEntries =
        FleetAck.applied(
            "gw", "v1", List.of(new NotEnforced("LLMRoute", "a/b", List.of("cache/exact"), "why")));

    assertThat(plain).isEqualTo("{\"pod\":\"gw\",\"version\":\"v1\",\"applied\":true}");
    assertThat(json.readValue(json.writeValueAsString(withEntries), FleetAck.class))
        .isEqualTo(withEntries);
  }
}
