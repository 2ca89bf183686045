package dev.portcullis.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.api.validation.CrdSchemaValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the CRDs generated from the resource classes must say. */
class GeneratedCrdTest {

  static final String ROUTES = "llmroutes.portcullis.dev";
  static final String KEYS = "virtualkeys.portcullis.dev";
  static final String POLICIES = "guardrailpolicies.portcullis.dev";
  static final String TEMPLATES = "prompttemplates.portcullis.dev";

  static JsonNode crd(String name) {
    String resource = "/" + CrdSchemaValidator.CRD_RESOURCE_DIR + name + "-v1.yml";
    try (InputStream in = GeneratedCrdTest.class.getResourceAsStream(resource)) {
      assertThat(in).as("generated CRD %s on the classpath", resource).isNotNull();
      return Samples.YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode version(JsonNode crd) {
    JsonNode versions = crd.path("spec").path("versions");
    assertThat(versions).hasSize(1);
    return versions.get(0);
  }

  static JsonNode schema(String crdName) {
    return version(crd(crdName)).path("schema").path("openAPIV3Schema");
  }

  /** The schema at a dotted path of property names; "[]" steps into array items. */
  static JsonNode at(JsonNode schema, String path) {
    JsonNode node = schema;
    for (String step : path.split("\\.")) {
      node = step.equals("[]") ? node.path("items") : node.path("properties").path(step);
      assertThat(node.isMissingNode()).as("schema has %s", path).isFalse();
    }
    return node;
  }

  static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  static List<String> rules(JsonNode schema) {
    return StreamSupport.stream(schema.path("x-kubernetes-validations").spliterator(), false)
        .map(v -> v.path("rule").asText())
        .toList();
  }

  static List<String> columns(String crdName) {
    return StreamSupport.stream(
            version(crd(crdName)).path("additionalPrinterColumns").spliterator(), false)
        .filter(c -> c.path("priority").asInt() == 0)
        .map(c -> c.path("name").asText())
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {ROUTES, KEYS, POLICIES, TEMPLATES})
  void everyKindIsNamespacedInGroupPortcullisDevV1alpha1AndInCategoryPortcullis(String name) {
    JsonNode crd = crd(name);

    assertThat(crd.path("spec").path("group").asText()).isEqualTo("portcullis.dev");
    assertThat(crd.path("spec").path("scope").asText()).isEqualTo("Namespaced");
    assertThat(version(crd).path("name").asText()).isEqualTo("v1alpha1");
    assertThat(texts(crd.path("spec").path("names").path("categories")))
        .containsExactly("portcullis");
    assertThat(version(crd).path("subresources").has("status")).isTrue();
  }

  @Test
  void shortNamesAreLlmrVkGpPt() {
    assertThat(texts(crd(ROUTES).path("spec").path("names").path("shortNames")))
        .containsExactly("llmr");
    assertThat(texts(crd(KEYS).path("spec").path("names").path("shortNames")))
        .containsExactly("vk");
    assertThat(texts(crd(POLICIES).path("spec").path("names").path("shortNames")))
        .containsExactly("gp");
    assertThat(texts(crd(TEMPLATES).path("spec").path("names").path("shortNames")))
        .containsExactly("pt");
  }

  @Test
  void getVirtualKeysShowsSecretBudgetSpendAndReady() {
    assertThat(columns(KEYS)).contains("Secret", "Budget", "Spend", "Ready", "Age");
  }

  @Test
  void getRoutesShowsModelStrategyTargetsAndReady() {
    assertThat(columns(ROUTES)).contains("Model", "Strategy", "Targets", "Ready", "Age");
  }

  @Test
  void getPoliciesAndTemplatesShowWhatTheyHoldAndReady() {
    assertThat(columns(POLICIES)).contains("Checks", "Ready", "Age");
    assertThat(columns(TEMPLATES)).contains("Rollout", "Ready", "Age");
  }

  /**
   * The API server prints only the first value a column's path selects (its table convertor takes
   * the first result), so a path over every element of a list would show one target, check or
   * version as if it were all of them. Lists are summarised into status strings instead.
   */
  @ParameterizedTest
  @ValueSource(strings = {ROUTES, KEYS, POLICIES, TEMPLATES})
  void everyPrinterColumnSelectsOneValue(String name) {
    List<String> paths =
        StreamSupport.stream(
                version(crd(name)).path("additionalPrinterColumns").spliterator(), false)
            .map(c -> c.path("jsonPath").asText())
            .toList();

    assertThat(paths)
        .isNotEmpty()
        .allSatisfy(path -> assertThat(path).doesNotContain("[*]", "..", ":").startsWith("."));
  }

  @Test
  void readyColumnReadsTheReadyCondition() {
    JsonNode ready =
        StreamSupport.stream(
                version(crd(KEYS)).path("additionalPrinterColumns").spliterator(), false)
            .filter(c -> c.path("name").asText().equals("Ready"))
            .findFirst()
            .orElseThrow();

    assertThat(ready.path("jsonPath").asText())
        .isEqualTo(".status.conditions[?(@.type==\"Ready\")].status");
  }

  @ParameterizedTest
  @ValueSource(strings = {ROUTES, KEYS, POLICIES, TEMPLATES})
  void everyPropertyHasADescriptionForKubectlExplain(String name) {
    List<String> undescribed = new ArrayList<>();
    collectUndescribed(schema(name), "", undescribed);

    assertThat(undescribed).isEmpty();
  }

  private static void collectUndescribed(JsonNode schema, String path, List<String> undescribed) {
    schema
        .path("properties")
        .properties()
        .forEach(
            e -> {
              String child = path + "." + e.getKey();
              if (e.getValue().path("description").asText().isBlank()) {
                undescribed.add(child);
              }
              collectUndescribed(e.getValue(), child, undescribed);
            });
    if (schema.has("items")) {
      collectUndescribed(schema.get("items"), path + "[]", undescribed);
    }
    if (schema.path("additionalProperties").isObject()) {
      collectUndescribed(schema.get("additionalProperties"), path + "{}", undescribed);
    }
  }

  @Test
  void enumsCarryTheSpellingOfTheApi() {
    JsonNode route = schema(ROUTES);
    assertThat(texts(at(route, "spec.targets.[].provider").path("enum")))
        .containsExactlyInAnyOrder(
            "openai",
            "azure-openai",
            "anthropic",
            "gemini",
            "openai-compatible",
            "bedrock",
            "echo");
    assertThat(texts(at(route, "spec.strategy.mode").path("enum")))
        .containsExactlyInAnyOrder("Single", "LoadBalance", "Fallback", "Conditional", "Adaptive");
    assertThat(texts(at(route, "spec.cache.mode").path("enum")))
        .containsExactlyInAnyOrder("Disabled", "Exact", "Semantic");
    JsonNode key = schema(KEYS);
    assertThat(texts(at(key, "spec.budget.period").path("enum")))
        .containsExactlyInAnyOrder("Daily", "Weekly", "Monthly", "Total");
    assertThat(texts(at(key, "spec.onStoreUnavailable").path("enum")))
        .containsExactlyInAnyOrder("FailOpen", "FailClosed");
    JsonNode policy = schema(POLICIES);
    assertThat(texts(at(policy, "spec.checks.[].stages.[]").path("enum")))
        .containsExactlyInAnyOrder("Input", "Output");
    assertThat(texts(at(policy, "spec.checks.[].action").path("enum")))
        .containsExactlyInAnyOrder("Deny", "Redact", "Flag");
  }

  @Test
  void requiredFieldsAreMarkedRequired() {
    assertThat(texts(at(schema(ROUTES), "spec").path("required"))).contains("model", "targets");
    assertThat(texts(at(schema(ROUTES), "spec.targets.[]").path("required"))).contains("name");
    assertThat(texts(at(schema(KEYS), "spec").path("required"))).contains("secretName");
    assertThat(texts(at(schema(POLICIES), "spec").path("required"))).contains("checks");
    assertThat(texts(at(schema(POLICIES), "spec.checks.[]").path("required")))
        .contains("name", "stages", "action");
    assertThat(texts(at(schema(TEMPLATES), "spec").path("required"))).contains("versions");
    assertThat(texts(at(schema(TEMPLATES), "spec.rollout.[]").path("required")))
        .contains("version", "weight");
  }

  @Test
  void numbersHaveTheirBounds() {
    JsonNode route = schema(ROUTES);
    assertThat(at(route, "spec.targets.[].weight").path("minimum").asDouble()).isEqualTo(1);
    assertThat(at(route, "spec.strategy.adaptive.explore").path("minimum").asDouble()).isEqualTo(0);
    assertThat(at(route, "spec.strategy.adaptive.explore").path("maximum").asDouble()).isEqualTo(1);
    assertThat(at(route, "spec.strategy.fallbackOn.statusCodes.[]").path("maximum").asDouble())
        .isEqualTo(599);
    JsonNode rolloutWeight = at(schema(TEMPLATES), "spec.rollout.[].weight");
    assertThat(rolloutWeight.path("minimum").asDouble()).isEqualTo(0);
    assertThat(rolloutWeight.path("maximum").asDouble()).isEqualTo(100);
  }

  @Test
  void durationsMoneyAndNamesHavePatterns() {
    JsonNode route = schema(ROUTES);
    assertThat(at(route, "spec.timeout").path("pattern").asText()).isEqualTo(Durations.PATTERN);
    assertThat(at(route, "spec.targets.[].timeouts.firstByte").path("pattern").asText())
        .isEqualTo(Durations.PATTERN);
    assertThat(at(route, "spec.targets.[].pricing.inputPerMTok").path("pattern").asText())
        .isEqualTo(ValidationPatterns.MONEY);
    assertThat(at(route, "spec.targets.[].name").path("pattern").asText())
        .isEqualTo(ValidationPatterns.DNS_LABEL);
    assertThat(at(schema(KEYS), "spec.budget.amountUSD").path("pattern").asText())
        .isEqualTo(ValidationPatterns.MONEY);
    assertThat(at(schema(KEYS), "spec.secretName").path("pattern").asText())
        .isEqualTo(ValidationPatterns.DNS_SUBDOMAIN);
  }

  @Test
  void freeFormFieldsPreserveUnknownFields() {
    assertThat(
            at(schema(ROUTES), "spec.targets.[].params")
                .path("x-kubernetes-preserve-unknown-fields")
                .asBoolean())
        .isTrue();
    assertThat(
            at(schema(ROUTES), "spec.strategy.conditions.[].when")
                .path("x-kubernetes-preserve-unknown-fields")
                .asBoolean())
        .isTrue();
    assertThat(
            at(schema(TEMPLATES), "spec.versions.[].params")
                .path("x-kubernetes-preserve-unknown-fields")
                .asBoolean())
        .isTrue();
    assertThat(
            at(schema(POLICIES), "spec.checks.[].jsonSchema.schema")
                .path("x-kubernetes-preserve-unknown-fields")
                .asBoolean())
        .isTrue();
  }

  @Test
  void routeRulesRequireOneOfProviderOrRouteAndBaseUrlForOpenAiCompatible() {
    assertThat(rules(at(schema(ROUTES), "spec.targets.[]")))
        .contains(
            "has(self.provider) != has(self.route)",
            "!has(self.provider) || self.provider != 'openai-compatible' || has(self.baseUrl)");
  }

  @Test
  void routeRulesRequireUniqueTargetNamesAndConditionsForConditionalMode() {
    assertThat(rules(at(schema(ROUTES), "spec.targets")))
        .contains("self.all(t, self.exists_one(u, u.name == t.name))");
    assertThat(rules(at(schema(ROUTES), "spec.strategy")))
        .contains(
            "self.mode != 'Conditional' || (has(self.conditions) && size(self.conditions) > 0)");
  }

  @Test
  void guardrailRulesRequireExactlyOneCheckTypeAndUniqueNames() {
    assertThat(rules(at(schema(POLICIES), "spec.checks.[]")))
        .anyMatch(
            rule ->
                rule.startsWith("(has(self.regex) ? 1 : 0) + (has(self.pii) ? 1 : 0)")
                    && rule.endsWith("== 1"));
    assertThat(rules(at(schema(POLICIES), "spec.checks")))
        .contains("self.all(c, self.exists_one(d, d.name == c.name))");
  }

  @Test
  void templateRulesRequireRolloutSummingTo100OverExistingUniqueVersions() {
    JsonNode spec = at(schema(TEMPLATES), "spec");
    assertThat(rules(at(spec, "rollout"))).contains("self.map(r, r.weight).sum() == 100");
    assertThat(rules(at(spec, "versions")))
        .contains("self.all(v, self.exists_one(w, w.name == v.name))");
    assertThat(rules(spec))
        .contains(
            "!has(self.rollout) || self.rollout.all(r, self.versions.exists(v, v.name == r.version))");
  }

  @ParameterizedTest
  @ValueSource(strings = {ROUTES, KEYS, POLICIES, TEMPLATES})
  void listsThatRulesIterateAreBoundedToKeepCelCostLow(String name) {
    List<String> unbounded = new ArrayList<>();
    collectUnboundedRuleLists(schema(name), "", unbounded);

    assertThat(unbounded).isEmpty();
  }

  private static void collectUnboundedRuleLists(JsonNode schema, String path, List<String> out) {
    if ("array".equals(schema.path("type").asText())
        && schema.has("x-kubernetes-validations")
        && !schema.has("maxItems")) {
      out.add(path);
    }
    schema
        .path("properties")
        .properties()
        .forEach(e -> collectUnboundedRuleLists(e.getValue(), path + "." + e.getKey(), out));
    if (schema.has("items")) {
      collectUnboundedRuleLists(schema.get("items"), path + "[]", out);
    }
  }
}
