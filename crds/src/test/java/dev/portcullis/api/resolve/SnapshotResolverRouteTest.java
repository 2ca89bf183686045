package dev.portcullis.api.resolve;

import static dev.portcullis.api.resolve.Manifests.read;
import static dev.portcullis.api.resolve.Manifests.secret;
import static dev.portcullis.api.resolve.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig.CacheMode;
import dev.portcullis.api.snapshot.RouteConfig.StrategyConfig.Mode;
import dev.portcullis.api.snapshot.SecretValue;
import dev.portcullis.api.snapshot.TargetConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotResolverRouteTest {

  private static final String MINIMAL_ROUTE =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: chat, namespace: team-a, generation: 7}
      spec:
        model: gpt-4o
        targets:
          - {name: primary, provider: openai, credentials: {secretRef: {name: openai, key: apiKey}}}
      """;

  private static RouteConfig onlyRoute(Resolution resolution) {
    assertThat(resolution.problems()).isEmpty();
    assertThat(resolution.snapshot().routes()).hasSize(1);
    return resolution.snapshot().routes().get(0);
  }

  private static ResourceRef route(String namespace, String name) {
    return new ResourceRef("LLMRoute", namespace, name);
  }

  private static List<String> routeNames(Resolution resolution) {
    return resolution.snapshot().routes().stream().map(r -> r.id().qualifiedName()).toList();
  }

  @Test
  void appliesTheDocumentedDefaultsToAMinimalRoute() {
    RouteConfig route =
        onlyRoute(
            SnapshotResolver.resolve(
                with(read(MINIMAL_ROUTE), secret("team-a", "openai", "apiKey", "sk-openai"))));

    assertThat(route.id()).isEqualTo(new ResourceId("team-a", "chat", 7));
    assertThat(route.aliases()).isEmpty();
    assertThat(route.strategy().mode()).isEqualTo(Mode.SINGLE);
    assertThat(route.strategy().fallbackOn())
        .isEqualTo(new RouteConfig.FallbackOn(Set.of(429, 500, 502, 503, 504), true, true));
    assertThat(route.strategy().hedgeAfter()).isNull();
    assertThat(route.strategy().adaptive()).isNull();
    assertThat(route.retry())
        .isEqualTo(
            new RouteConfig.RetryConfig(
                0,
                Duration.ofMillis(200),
                Duration.ofSeconds(5),
                Set.of(429, 502, 503),
                true,
                Duration.ofSeconds(30)));
    assertThat(route.cooldown()).isNull();
    assertThat(route.timeout()).isNull();
    assertThat(route.cache().mode()).isEqualTo(CacheMode.DISABLED);
    assertThat(route.inputGuardrails()).isEmpty();
    assertThat(route.promptTemplate()).isNull();
    assertThat(route.accessNamespaces()).isEmpty();
    assertThat(route.logBodies()).isFalse();
    TargetConfig target = route.targets().get(0);
    assertThat(target.weight()).isEqualTo(1);
    assertThat(target.timeouts()).isEqualTo(TargetConfig.Timeouts.NONE);
    assertThat(target.params().isEmpty()).isTrue();
    assertThat(target.apiKey()).isEqualTo(SecretValue.of("sk-openai"));
  }

  @Test
  void mapsEveryFieldOfTheApiExample() {
    Resolution resolution =
        SnapshotResolver.resolve(
            with(
                read(
                    """
                    apiVersion: portcullis.dev/v1alpha1
                    kind: LLMRoute
                    metadata: {name: chat, namespace: team-a}
                    spec:
                      model: gpt-4o
                      aliases: [chat-default]
                      strategy:
                        mode: Conditional
                        fallbackOn: {statusCodes: [500], timeouts: false}
                        conditions:
                          - when: {"metadata.tier": {in: [pro]}}
                            target: secondary
                        hedge: {after: 800ms}
                      targets:
                        - name: primary
                          provider: azure-openai
                          model: gpt-4o-2024-08-06
                          baseUrl: https://example.openai.azure.com
                          credentials: {secretRef: {name: azure, key: key1}}
                          weight: 3
                          timeouts: {connect: 2s, firstByte: 20s, total: 2m}
                          params: {temperature: 0.2, max_tokens: 100}
                          azure: {deployment: gpt4o-prod, apiVersion: "2024-10-21"}
                          pricing: {inputPerMTok: "2.50", outputPerMTok: "10.00"}
                          limits: {requestsPerMinute: 500, tokensPerMinute: 200000}
                        - {name: secondary, provider: echo}
                      retry: {attempts: 2, backoff: {base: 100ms}, onStatusCodes: [429], honorRetryAfter: false}
                      cooldown: {failures: 5, duration: 30s}
                      timeout: 300s
                      cache: {mode: Semantic, ttl: 10m}
                      access: {namespaces: [team-b, team-c]}
                      logging: {bodies: true}
                    """),
                secret("team-a", "azure", "key1", "azure-secret")));

    RouteConfig route = onlyRoute(resolution);
    assertThat(route.aliases()).containsExactly("chat-default");
    assertThat(route.strategy().mode()).isEqualTo(Mode.CONDITIONAL);
    assertThat(route.strategy().fallbackOn())
        .isEqualTo(new RouteConfig.FallbackOn(Set.of(500), false, true));
    assertThat(route.strategy().conditions()).hasSize(1);
    assertThat(route.strategy().conditions().get(0).target()).isEqualTo("secondary");
    assertThat(
            route.strategy().conditions().get(0).when().copy().at("/metadata.tier/in/0").asText())
        .isEqualTo("pro");
    assertThat(route.strategy().defaultTarget())
        .as("absent default: first target")
        .isEqualTo("primary");
    assertThat(route.strategy().hedgeAfter()).isEqualTo(Duration.ofMillis(800));
    TargetConfig primary = route.targets().get(0);
    assertThat(primary.provider()).isEqualTo("azure-openai");
    assertThat(primary.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(primary.baseUrl()).isEqualTo("https://example.openai.azure.com");
    assertThat(primary.apiKey().reveal()).isEqualTo("azure-secret");
    assertThat(primary.weight()).isEqualTo(3);
    assertThat(primary.timeouts())
        .isEqualTo(
            new TargetConfig.Timeouts(
                Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofMinutes(2)));
    assertThat(primary.params().copy().path("max_tokens").asInt()).isEqualTo(100);
    assertThat(primary.azure()).isEqualTo(new TargetConfig.Azure("gpt4o-prod", "2024-10-21"));
    assertThat(primary.pricing())
        .isEqualTo(new TargetConfig.Pricing(new BigDecimal("2.50"), new BigDecimal("10.00"), null));
    assertThat(primary.limits()).isEqualTo(new TargetConfig.Limits(500, 200000));
    assertThat(route.targets().get(1).apiKey()).as("echo needs no credentials").isNull();
    assertThat(route.retry().attempts()).isEqualTo(2);
    assertThat(route.retry().backoffBase()).isEqualTo(Duration.ofMillis(100));
    assertThat(route.retry().backoffMax()).isEqualTo(Duration.ofSeconds(5));
    assertThat(route.retry().onStatusCodes()).containsExactly(429);
    assertThat(route.retry().honorRetryAfter()).isFalse();
    assertThat(route.cooldown())
        .isEqualTo(
            new RouteConfig.CooldownConfig(5, Duration.ofSeconds(60), Duration.ofSeconds(30)));
    assertThat(route.timeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(route.cache())
        .isEqualTo(new RouteConfig.CacheConfig(CacheMode.SEMANTIC, Duration.ofMinutes(10), 0.88));
    assertThat(route.accessNamespaces()).containsExactlyInAnyOrder("team-b", "team-c");
    assertThat(route.admits("team-b")).isTrue();
    assertThat(route.admits("team-d")).isFalse();
    assertThat(route.logBodies()).isTrue();
  }

  @Test
  void adaptiveModeGetsDefaultWeightsForThoseNotGiven() {
    RouteConfig route =
        onlyRoute(
            SnapshotResolver.resolve(
                read(
                    """
                    apiVersion: portcullis.dev/v1alpha1
                    kind: LLMRoute
                    metadata: {name: adaptive, namespace: team-a}
                    spec:
                      model: m
                      strategy: {mode: Adaptive, adaptive: {costWeight: 0.9}}
                      targets: [{name: a, provider: echo}, {name: b, provider: echo}]
                    """)));

    assertThat(route.strategy().adaptive())
        .isEqualTo(new RouteConfig.AdaptiveWeights(0.5, 0.3, 0.9, 0.01));
  }

  @Test
  void exactCacheWithoutTtlKeepsResponsesFiveMinutes() {
    RouteConfig route =
        onlyRoute(
            SnapshotResolver.resolve(
                read(
                    """
                    apiVersion: portcullis.dev/v1alpha1
                    kind: LLMRoute
                    metadata: {name: cached, namespace: team-a}
                    spec:
                      model: m
                      targets: [{name: a, provider: echo}]
                      cache: {mode: Exact}
                    """)));

    assertThat(route.cache())
        .isEqualTo(new RouteConfig.CacheConfig(CacheMode.EXACT, Duration.ofMinutes(5), 0));
  }

  @Test
  void cacheScopeKeyIsCarriedAndNamespaceIsTheDefault() {
    String manifest =
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: cached, namespace: team-a}
        spec:
          model: m
          targets: [{name: a, provider: echo}]
          cache: {mode: Semantic, scope: Key}
        """;
    RouteConfig keyScoped = onlyRoute(SnapshotResolver.resolve(read(manifest)));
    assertThat(keyScoped.cache())
        .isEqualTo(
            new RouteConfig.CacheConfig(
                CacheMode.SEMANTIC,
                Duration.ofMinutes(5),
                0.88,
                RouteConfig.CacheConfig.CacheScope.KEY));

    RouteConfig byDefault =
        onlyRoute(SnapshotResolver.resolve(read(manifest.replace(", scope: Key", ""))));
    assertThat(byDefault.cache().scope()).isEqualTo(RouteConfig.CacheConfig.CacheScope.NAMESPACE);
  }

  @Test
  void anUnparsableDurationIsAProblemAtItsField() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(
                """
                apiVersion: portcullis.dev/v1alpha1
                kind: LLMRoute
                metadata: {name: slow, namespace: team-a}
                spec:
                  model: m
                  targets: [{name: a, provider: echo, timeouts: {total: 2 minutes}}]
                """));

    assertThat(resolution.snapshot().routes()).isEmpty();
    assertThat(resolution.problemsFor(route("team-a", "slow")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.targets[0].timeouts.total");
              assertThat(p.message()).contains("'2 minutes' is not a duration");
            });
  }

  @Test
  void aMissingCredentialSecretIsAProblemNamingTheSecret() {
    Resolution resolution = SnapshotResolver.resolve(read(MINIMAL_ROUTE));

    assertThat(resolution.snapshot().routes()).isEmpty();
    assertThat(resolution.problemsFor(route("team-a", "chat")))
        .containsExactly(
            new Problem(
                "spec.targets[0].credentials.secretRef",
                "Secret team-a/openai does not exist (an LLMRoute reads Secrets only from its own"
                    + " namespace, team-a)"));
  }

  @Test
  void aSecretWithoutTheNamedKeyIsAProblem() {
    Resolution resolution =
        SnapshotResolver.resolve(
            with(read(MINIMAL_ROUTE), secret("team-a", "openai", "token", "sk-openai")));

    assertThat(resolution.problemsFor(route("team-a", "chat")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.targets[0].credentials.secretRef");
              assertThat(p.message()).startsWith("Secret team-a/openai has no data key apiKey");
            });
  }

  @Test
  void anEmptySecretValueIsAProblem() {
    Resolution resolution =
        SnapshotResolver.resolve(
            with(read(MINIMAL_ROUTE), secret("team-a", "openai", "apiKey", "\n")));

    assertThat(resolution.problemsFor(route("team-a", "chat")))
        .extracting(Problem::message)
        .containsExactly("data key apiKey of Secret team-a/openai is empty");
  }

  @Test
  void aSecretOfTheSameNameInAnotherNamespaceIsNotRead() {
    Resolution resolution =
        SnapshotResolver.resolve(
            with(read(MINIMAL_ROUTE), secret("team-b", "openai", "apiKey", "sk-team-b")));

    assertThat(resolution.snapshot().routes()).isEmpty();
    assertThat(resolution.problemsFor(route("team-a", "chat")))
        .extracting(Problem::message)
        .singleElement()
        .asString()
        .contains("Secret team-a/openai does not exist")
        .doesNotContain("team-b");
  }

  @Test
  void stringDataIsNotReadOnlyData() {
    var secret = secret("team-a", "openai");
    secret.setStringData(java.util.Map.of("apiKey", "sk-string-data"));

    Resolution resolution = SnapshotResolver.resolve(with(read(MINIMAL_ROUTE), secret));

    assertThat(resolution.problemsFor(route("team-a", "chat")))
        .extracting(Problem::message)
        .singleElement()
        .asString()
        .contains("has no data key apiKey")
        .contains("stringData");
  }

  @Test
  void secretValuesLoseSurroundingWhitespace() {
    RouteConfig route =
        onlyRoute(
            SnapshotResolver.resolve(
                with(read(MINIMAL_ROUTE), secret("team-a", "openai", "apiKey", "sk-openai\n"))));

    assertThat(route.targets().get(0).apiKey()).isEqualTo(SecretValue.of("sk-openai"));
  }

  private static final String CHAT_FALLING_BACK_TO_SHARED_CLAUDE =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: chat, namespace: team-a}
      spec:
        model: gpt-4o
        strategy: {mode: Fallback}
        targets:
          - {name: primary, provider: echo}
          - {name: secondary, route: {name: claude, namespace: shared}}
      """;

  @Test
  void aNestedRouteInAnotherNamespaceThatAdmitsTheReferrerIsQualified() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(
                CHAT_FALLING_BACK_TO_SHARED_CLAUDE
                    + """
                    ---
                    apiVersion: portcullis.dev/v1alpha1
                    kind: LLMRoute
                    metadata: {name: claude, namespace: shared}
                    spec:
                      model: claude
                      targets: [{name: a, provider: echo}]
                      access: {namespaces: [team-a]}
                    """));

    assertThat(resolution.problems()).isEmpty();
    RouteConfig chat = resolution.snapshot().routes().get(1);
    assertThat(chat.id().qualifiedName()).isEqualTo("team-a/chat");
    assertThat(chat.targets().get(1).route()).isEqualTo("shared/claude");
    assertThat(chat.targets().get(1).isRoute()).isTrue();
  }

  @Test
  void aNestedRouteAdmittingAllNamespacesIsAdmitted() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(
                CHAT_FALLING_BACK_TO_SHARED_CLAUDE
                    + """
                    ---
                    apiVersion: portcullis.dev/v1alpha1
                    kind: LLMRoute
                    metadata: {name: claude, namespace: shared}
                    spec:
                      model: claude
                      targets: [{name: a, provider: echo}]
                      access: {namespaces: ["*"]}
                    """));

    assertThat(resolution.problems()).isEmpty();
  }

  @Test
  void aNestedRouteInAnotherNamespaceThatDoesNotAdmitTheReferrerIsAProblem() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(
                CHAT_FALLING_BACK_TO_SHARED_CLAUDE
                    + """
                    ---
                    apiVersion: portcullis.dev/v1alpha1
                    kind: LLMRoute
                    metadata: {name: claude, namespace: shared}
                    spec:
                      model: claude
                      targets: [{name: a, provider: echo}]
                      access: {namespaces: [team-b]}
                    """));

    assertThat(routeNames(resolution)).containsExactly("shared/claude");
    assertThat(resolution.problemsFor(route("team-a", "chat")))
        .containsExactly(
            new Problem(
                "spec.targets[1].route",
                "LLMRoute shared/claude does not admit namespace team-a; add team-a to its"
                    + " spec.access.namespaces"));
  }

  @Test
  void anUnknownNestedRouteIsAProblem() {
    Resolution resolution = SnapshotResolver.resolve(read(CHAT_FALLING_BACK_TO_SHARED_CLAUDE));

    assertThat(resolution.problemsFor(route("team-a", "chat")))
        .containsExactly(
            new Problem("spec.targets[1].route", "LLMRoute shared/claude does not exist"));
  }

  @Test
  void aRouteWhoseNestedRouteIsLeftOutIsLeftOutToo() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(
                CHAT_FALLING_BACK_TO_SHARED_CLAUDE
                    + """
                    ---
                    apiVersion: portcullis.dev/v1alpha1
                    kind: LLMRoute
                    metadata: {name: claude, namespace: shared}
                    spec:
                      model: claude
                      targets: [{name: a, provider: anthropic, credentials: {secretRef: {name: missing, key: k}}}]
                      access: {namespaces: ["*"]}
                    """));

    assertThat(resolution.snapshot().routes()).isEmpty();
    assertThat(resolution.problemsFor(route("team-a", "chat")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.targets[1].route");
              assertThat(p.message())
                  .startsWith("LLMRoute shared/claude is left out of the snapshot");
            });
  }

  private static String routeTo(String name, String next) {
    return """
        ---
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: %s, namespace: team-a}
        spec:
          model: model-%s
          strategy: {mode: Fallback}
          targets:
            - {name: direct, provider: echo}
            - {name: via, route: {name: %s}}
        """
        .formatted(name, name, next);
  }

  @Test
  void aCycleOfTwoRoutesIsAProblemOnBothNamingTheCycle() {
    Resolution resolution = SnapshotResolver.resolve(read(routeTo("a", "b") + routeTo("b", "a")));

    assertThat(resolution.snapshot().routes()).isEmpty();
    assertThat(resolution.problemsFor(route("team-a", "a")))
        .contains(
            new Problem(
                "spec.targets[1].route",
                "nested route targets form a cycle: team-a/a -> team-a/b -> team-a/a; a route"
                    + " cannot send requests to itself, directly or through other routes"));
    assertThat(resolution.problemsFor(route("team-a", "b")))
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("cycle: team-a/b -> team-a/a -> team-a/b"));
  }

  @Test
  void aCycleOfThreeRoutesIsAProblemOnAllThree() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(routeTo("a", "b") + routeTo("b", "c") + routeTo("c", "a") + routeTo("d", "a")));

    assertThat(resolution.snapshot().routes()).isEmpty();
    assertThat(resolution.problemsFor(route("team-a", "c")))
        .extracting(Problem::message)
        .anySatisfy(
            m -> assertThat(m).contains("cycle: team-a/c -> team-a/a -> team-a/b -> team-a/c"));
    assertThat(resolution.problemsFor(route("team-a", "a"))).isNotEmpty();
    assertThat(resolution.problemsFor(route("team-a", "b"))).isNotEmpty();
    assertThat(resolution.problemsFor(route("team-a", "d")))
        .as("d only leads into the cycle")
        .extracting(Problem::message)
        .singleElement()
        .asString()
        .startsWith("LLMRoute team-a/a is left out");
  }

  @Test
  void aRouteTargetingItselfIsACycle() {
    Resolution resolution = SnapshotResolver.resolve(read(routeTo("a", "a")));

    assertThat(resolution.problemsFor(route("team-a", "a")))
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("cycle: team-a/a -> team-a/a"));
  }

  private static final String GUARDED_ROUTE =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: guarded, namespace: team-a}
      spec:
        model: m
        targets: [{name: a, provider: echo}]
        guardrails: {input: [{name: pii}], output: [{name: json-only}, {name: pii}]}
        promptTemplate: {name: bot}
      """;

  private static final String POLICIES_AND_TEMPLATE =
      """
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: GuardrailPolicy
      metadata: {name: pii, namespace: team-a}
      spec:
        checks: [{name: p, stages: [Input], action: Redact, pii: {}}]
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: GuardrailPolicy
      metadata: {name: json-only, namespace: team-a}
      spec:
        checks: [{name: j, stages: [Output], action: Deny, jsonSchema: {schema: {type: object}}}]
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: PromptTemplate
      metadata: {name: bot, namespace: team-a}
      spec:
        versions: [{name: v1, messages: [{role: user, content: hi}]}]
      """;

  @Test
  void policiesAndTemplateAreQualifiedInOrder() {
    RouteConfig route =
        SnapshotResolver.resolve(read(GUARDED_ROUTE + POLICIES_AND_TEMPLATE))
            .snapshot()
            .routes()
            .get(0);

    assertThat(route.inputGuardrails()).containsExactly("team-a/pii");
    assertThat(route.outputGuardrails()).containsExactly("team-a/json-only", "team-a/pii");
    assertThat(route.promptTemplate()).isEqualTo("team-a/bot");
  }

  @Test
  void unknownPolicyAndTemplateAreProblemsNamingThem() {
    Resolution resolution = SnapshotResolver.resolve(read(GUARDED_ROUTE));

    assertThat(resolution.problemsFor(route("team-a", "guarded")))
        .containsExactly(
            new Problem("spec.guardrails.input[0]", "GuardrailPolicy team-a/pii does not exist"),
            new Problem(
                "spec.guardrails.output[0]", "GuardrailPolicy team-a/json-only does not exist"),
            new Problem("spec.guardrails.output[1]", "GuardrailPolicy team-a/pii does not exist"),
            new Problem("spec.promptTemplate", "PromptTemplate team-a/bot does not exist"));
  }

  @Test
  void aPolicyFromAnotherNamespaceIsAProblemSayingSo() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(
                """
                apiVersion: portcullis.dev/v1alpha1
                kind: LLMRoute
                metadata: {name: r, namespace: team-a}
                spec:
                  model: m
                  targets: [{name: a, provider: echo}]
                  guardrails: {input: [{name: pii, namespace: team-b}]}
                ---
                apiVersion: portcullis.dev/v1alpha1
                kind: GuardrailPolicy
                metadata: {name: pii, namespace: team-b}
                spec:
                  checks: [{name: p, stages: [Input], action: Redact, pii: {}}]
                """));

    assertThat(resolution.problemsFor(route("team-a", "r")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.guardrails.input[0].namespace");
              assertThat(p.message())
                  .contains("GuardrailPolicys only from its own namespace (team-a), not team-b");
            });
  }

  @Test
  void aRouteWhosePolicyIsLeftOutIsLeftOutRatherThanServedUnguarded() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(
                GUARDED_ROUTE
                    + POLICIES_AND_TEMPLATE.replace(
                        "checks: [{name: p, stages: [Input], action: Redact, pii: {}}]",
                        "checks: [{name: p, stages: [Input], action: Redact}]")));

    assertThat(resolution.problemsFor(new ResourceRef("GuardrailPolicy", "team-a", "pii")))
        .isNotEmpty();
    assertThat(resolution.problemsFor(route("team-a", "guarded")))
        .extracting(Problem::field)
        .containsExactly("spec.guardrails.input[0]", "spec.guardrails.output[1]");
  }

  @Test
  void aRouteAndATemplateThatNameEachOtherAreBothServed() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(
                """
                apiVersion: portcullis.dev/v1alpha1
                kind: LLMRoute
                metadata: {name: chat, namespace: team-a}
                spec:
                  model: m
                  targets: [{name: a, provider: echo}]
                  promptTemplate: {name: bot}
                ---
                apiVersion: portcullis.dev/v1alpha1
                kind: PromptTemplate
                metadata: {name: bot, namespace: team-a}
                spec:
                  versions: [{name: v1, messages: [{role: user, content: hi}], route: {name: chat}}]
                """));

    assertThat(resolution.problems()).isEmpty();
    assertThat(resolution.snapshot().templates()).hasSize(1);
  }

  @Test
  void aModelNameClaimedTwiceInANamespaceStaysWithTheRouteWhoseNameSortsFirst() {
    String routes =
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: zeta, namespace: team-a}
        spec: {model: gpt-4o, targets: [{name: a, provider: echo}]}
        ---
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: alpha, namespace: team-a}
        spec: {model: gpt-4o-mini, aliases: [gpt-4o], targets: [{name: a, provider: echo}]}
        ---
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: other, namespace: team-b}
        spec: {model: gpt-4o, targets: [{name: a, provider: echo}]}
        """;

    Resolution resolution = SnapshotResolver.resolve(read(routes));

    assertThat(routeNames(resolution)).containsExactly("team-a/alpha", "team-b/other");
    assertThat(resolution.problemsFor(route("team-a", "zeta")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.model");
              assertThat(p.message())
                  .startsWith("model name gpt-4o is already used by LLMRoute team-a/alpha");
            });
  }

  @Test
  void oneBrokenRouteLeavesTheOthersInTheSnapshot() {
    Resolution resolution =
        SnapshotResolver.resolve(
            with(
                read(
                    MINIMAL_ROUTE
                        + """
                        ---
                        apiVersion: portcullis.dev/v1alpha1
                        kind: LLMRoute
                        metadata: {name: broken, namespace: team-a}
                        spec:
                          model: other
                          targets: [{name: a, provider: openai, credentials: {secretRef: {name: nope, key: apiKey}}}]
                        ---
                        apiVersion: portcullis.dev/v1alpha1
                        kind: LLMRoute
                        metadata: {name: local, namespace: team-b}
                        spec: {model: llama, targets: [{name: a, provider: echo}]}
                        """),
                secret("team-a", "openai", "apiKey", "sk-openai")));

    assertThat(routeNames(resolution)).containsExactly("team-a/chat", "team-b/local");
    assertThat(resolution.problems()).containsOnlyKeys(route("team-a", "broken"));
  }

  @Test
  void aResourceDefinedTwiceIsLeftOut() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(
                """
                apiVersion: portcullis.dev/v1alpha1
                kind: LLMRoute
                metadata: {name: twice, namespace: team-a}
                spec: {model: one, targets: [{name: a, provider: echo}]}
                ---
                apiVersion: portcullis.dev/v1alpha1
                kind: LLMRoute
                metadata: {name: twice, namespace: team-a}
                spec: {model: two, targets: [{name: a, provider: echo}]}
                """));

    assertThat(resolution.snapshot().routes()).isEmpty();
    assertThat(resolution.problemsFor(route("team-a", "twice")))
        .extracting(Problem::message)
        .containsExactly("LLMRoute team-a/twice is defined 2 times; keep one definition");
  }

  @Test
  void aResourceWithoutNamespaceIsInTheDefaultNamespace() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(
                """
                apiVersion: portcullis.dev/v1alpha1
                kind: LLMRoute
                metadata: {name: plain}
                spec: {model: m, targets: [{name: a, provider: echo}]}
                """));

    assertThat(routeNames(resolution)).containsExactly("default/plain");
  }

  @Test
  void theSnapshotListsRoutesByNamespaceThenName() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(
                """
                apiVersion: portcullis.dev/v1alpha1
                kind: LLMRoute
                metadata: {name: b, namespace: team-b}
                spec: {model: m1, targets: [{name: a, provider: echo}]}
                ---
                apiVersion: portcullis.dev/v1alpha1
                kind: LLMRoute
                metadata: {name: z, namespace: team-a}
                spec: {model: m2, targets: [{name: a, provider: echo}]}
                ---
                apiVersion: portcullis.dev/v1alpha1
                kind: LLMRoute
                metadata: {name: a, namespace: team-b}
                spec: {model: m3, targets: [{name: a, provider: echo}]}
                """));

    assertThat(routeNames(resolution)).containsExactly("team-a/z", "team-b/a", "team-b/b");
  }
}
