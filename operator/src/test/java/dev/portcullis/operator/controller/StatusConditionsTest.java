package dev.portcullis.operator.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.Condition;
import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.resolve.ResourceSet;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.operator.snapshot.Kinds;
import dev.portcullis.operator.snapshot.SnapshotBuild;
import dev.portcullis.operator.snapshot.SnapshotBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The four conditions of one resource, from resources resolved by the real snapshot build (so the
 * resolver's wording and the reasons cannot drift apart) and a fleet described by numbers. The
 * reasons the mock-server tests reach only in passing are pinned here.
 */
class StatusConditionsTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  private static final String ECHO_ROUTE =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: chat, namespace: team-a, generation: 3}
      spec:
        model: chat
        targets: [{name: echo, provider: echo}]
      """;

  private static final String KEY =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: VirtualKey
      metadata: {name: app, namespace: team-a, uid: 0b6e5c1e-2f0a-4d53-9a3e-7c2b1d0e9f11}
      spec: {secretName: app-key}
      """;

  /** The report the operator would make for {@code kind team-a/name} after one build. */
  static ResourceReport report(
      String kind, String name, int synced, int total, List<String> rejections, String... yaml) {
    List<LLMRoute> routes = new ArrayList<>();
    List<VirtualKey> keys = new ArrayList<>();
    List<GuardrailPolicy> policies = new ArrayList<>();
    List<PromptTemplate> templates = new ArrayList<>();
    List<Secret> secrets = new ArrayList<>();
    for (String doc : yaml) {
      String type = YAML.unmarshal(doc, GenericKubernetesResource.class).getKind();
      switch (type) {
        case "LLMRoute" -> routes.add(YAML.unmarshal(doc, LLMRoute.class));
        case "VirtualKey" -> keys.add(YAML.unmarshal(doc, VirtualKey.class));
        case "GuardrailPolicy" -> policies.add(YAML.unmarshal(doc, GuardrailPolicy.class));
        case "PromptTemplate" -> templates.add(YAML.unmarshal(doc, PromptTemplate.class));
        case "Secret" -> secrets.add(YAML.unmarshal(doc, Secret.class));
        default -> throw new IllegalArgumentException(type);
      }
    }
    SnapshotBuild build =
        SnapshotBuilder.build(new ResourceSet(routes, keys, policies, templates, secrets));
    ResourceRef ref = new ResourceRef(kind, "team-a", name);
    Object record = build.records().get(ref);
    return new ResourceReport(
        build.generations().get(ref),
        build.problems().getOrDefault(ref, List.of()),
        record == null ? null : build.version(),
        synced,
        total,
        rejections,
        record);
  }

  /** Condition type to "Status/Reason". */
  static Map<String, String> states(String kind, ResourceReport report) {
    Map<String, String> states = new LinkedHashMap<>();
    for (Condition c : StatusConditions.compose(kind, report, null, NOW)) {
      states.put(c.getType(), c.getStatus() + "/" + c.getReason());
    }
    return states;
  }

  static Condition condition(String kind, ResourceReport report, String type) {
    return StatusConditions.compose(kind, report, null, NOW).stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aRouteEveryConnectedGatewayRunsIsReadyAndEveryConditionCarriesTheGeneration() {
    ResourceReport report = report(Kinds.ROUTE, "chat", 2, 2, List.of(), ECHO_ROUTE);

    assertThat(states(Kinds.ROUTE, report))
        .containsExactly(
            Map.entry("Accepted", "True/Accepted"),
            Map.entry("ResolvedRefs", "True/ResolvedRefs"),
            Map.entry("Programmed", "True/Programmed"),
            Map.entry("Ready", "True/Ready"));
    assertThat(StatusConditions.compose(Kinds.ROUTE, report, null, NOW))
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(3L));
    assertThat(condition(Kinds.ROUTE, report, "Programmed").getMessage())
        .isEqualTo("2 of 2 gateways run configuration " + report.configVersion());
  }

  @Test
  void withoutGatewaysItIsNotProgrammedForReasonNoGateways() {
    ResourceReport report = report(Kinds.ROUTE, "chat", 0, 0, List.of(), ECHO_ROUTE);

    assertThat(states(Kinds.ROUTE, report))
        .containsEntry("Programmed", "False/NoGateways")
        .containsEntry("Ready", "False/NoGateways");
  }

  @Test
  void whileSomeGatewaysRunAnOlderVersionItIsPending() {
    ResourceReport report = report(Kinds.ROUTE, "chat", 1, 3, List.of(), ECHO_ROUTE);

    assertThat(states(Kinds.ROUTE, report)).containsEntry("Programmed", "False/Pending");
    assertThat(condition(Kinds.ROUTE, report, "Programmed").getMessage()).startsWith("1 of 3");
  }

  @Test
  void aRejectionNamesThePodAndItsReason() {
    ResourceReport report =
        report(Kinds.ROUTE, "chat", 1, 2, List.of("gateway-2: unknown provider"), ECHO_ROUTE);

    assertThat(states(Kinds.ROUTE, report)).containsEntry("Programmed", "False/RejectedByGateways");
    assertThat(condition(Kinds.ROUTE, report, "Programmed").getMessage())
        .contains("gateway-2: unknown provider");
  }

  @Test
  void anInvalidSpecIsNotAcceptedReferencesAreUnknownAndItIsLeftOut() {
    ResourceReport report =
        report(
            Kinds.ROUTE,
            "chat",
            2,
            2,
            List.of(),
            """
            apiVersion: portcullis.dev/v1alpha1
            kind: LLMRoute
            metadata: {name: chat, namespace: team-a}
            spec: {model: chat, targets: []}
            """);

    assertThat(states(Kinds.ROUTE, report))
        .containsExactly(
            Map.entry("Accepted", "False/Invalid"),
            Map.entry("ResolvedRefs", "Unknown/NotAccepted"),
            Map.entry("Programmed", "False/LeftOut"),
            Map.entry("Ready", "False/Invalid"));
  }

  @Test
  void aKeyWhoseSecretDoesNotExistYetIsNotMinted() {
    ResourceReport report = report(Kinds.KEY, "app", 2, 2, List.of(), KEY);

    assertThat(states(Kinds.KEY, report))
        .containsEntry("ResolvedRefs", "False/KeyNotMinted")
        .containsEntry("Programmed", "False/LeftOut")
        .containsEntry("Ready", "False/KeyNotMinted");
  }

  @Test
  void aKeyWhoseSecretBelongsToSomeoneElseIsSecretNotOwned() {
    ResourceReport report =
        report(
            Kinds.KEY,
            "app",
            2,
            2,
            List.of(),
            KEY,
            """
            apiVersion: v1
            kind: Secret
            metadata: {name: app-key, namespace: team-a}
            data: {apiKey: cGMtc29tZW9uZS1lbHNlcw==}
            """);

    assertThat(states(Kinds.KEY, report)).containsEntry("ResolvedRefs", "False/SecretNotOwned");
    assertThat(condition(Kinds.KEY, report, "ResolvedRefs").getMessage())
        .contains("never overwrites a Secret it did not create");
  }

  @Test
  void aRefusedSecretWriteComesFirstAndKeepsTheBuildsProblemsInTheMessage() {
    ResourceReport report =
        report(Kinds.KEY, "app", 2, 2, List.of(), KEY)
            .withFirstProblems(
                List.of(
                    new Problem(
                        "spec.secretName",
                        ProblemReasons.SECRET_WRITE_FAILED_PREFIX
                            + "team-a/app-key (403 Forbidden: secrets is forbidden)")));

    assertThat(states(Kinds.KEY, report))
        .containsEntry("ResolvedRefs", "False/SecretWriteFailed")
        .containsEntry("Ready", "False/SecretWriteFailed");
    assertThat(condition(Kinds.KEY, report, "ResolvedRefs").getMessage())
        .contains("403 Forbidden")
        .contains("Secret team-a/app-key does not exist");
  }

  @Test
  void aConditionWhoseStatusDidNotChangeKeepsItsTransitionTime() {
    ResourceReport pending = report(Kinds.ROUTE, "chat", 1, 2, List.of(), ECHO_ROUTE);
    ResourceReport programmed = report(Kinds.ROUTE, "chat", 2, 2, List.of(), ECHO_ROUTE);
    List<Condition> before =
        StatusConditions.compose(Kinds.ROUTE, pending, null, NOW.minusSeconds(60));

    List<Condition> after = StatusConditions.compose(Kinds.ROUTE, programmed, before, NOW);

    Map<String, String> times = new LinkedHashMap<>();
    after.forEach(c -> times.put(c.getType(), c.getLastTransitionTime()));
    assertThat(times)
        .containsEntry("Accepted", NOW.minusSeconds(60).toString())
        .containsEntry("ResolvedRefs", NOW.minusSeconds(60).toString())
        .containsEntry("Programmed", NOW.toString())
        .containsEntry("Ready", NOW.toString());
  }
}
