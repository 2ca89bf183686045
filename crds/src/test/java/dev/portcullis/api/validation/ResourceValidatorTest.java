package dev.portcullis.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.ObjectRef;
import dev.portcullis.api.Problem;
import dev.portcullis.api.Provider;
import dev.portcullis.api.Samples;
import dev.portcullis.api.guardrail.DenyListCheck;
import dev.portcullis.api.guardrail.GuardrailCheck;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.guardrail.LengthCheck;
import dev.portcullis.api.key.ProviderCredential;
import dev.portcullis.api.key.Rotation;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.prompt.RolloutEntry;
import dev.portcullis.api.route.Backoff;
import dev.portcullis.api.route.CacheMode;
import dev.portcullis.api.route.ConditionalRule;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.api.route.StrategyMode;
import dev.portcullis.api.route.Target;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceValidatorTest {

  static LLMRoute chat() {
    return Samples.read("valid/llmroute-chat.yaml", LLMRoute.class);
  }

  static LLMRoute local() {
    return Samples.read("valid/llmroute-local.yaml", LLMRoute.class);
  }

  static VirtualKey key() {
    return Samples.read("valid/virtualkey-checkout-service.yaml", VirtualKey.class);
  }

  static GuardrailPolicy policy() {
    return Samples.read("valid/guardrailpolicy-pii.yaml", GuardrailPolicy.class);
  }

  static PromptTemplate template() {
    return Samples.read("valid/prompttemplate-support-bot.yaml", PromptTemplate.class);
  }

  static List<String> fields(HasMetadata resource) {
    return ResourceValidator.validate(resource).stream().map(Problem::field).toList();
  }

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) Samples.YAML.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @ParameterizedTest
  @FieldSource("dev.portcullis.api.Samples#VALID")
  void acceptsEverySample(String sample) {
    HasMetadata resource =
        Samples.read(sample, Samples.typeOf(Samples.tree(sample)).asSubclass(HasMetadata.class));

    assertThat(ResourceValidator.validate(resource)).isEmpty();
  }

  @Test
  void returnsEveryProblemNotJustTheFirst() {
    LLMRoute route = chat();
    route.getSpec().setTimeout("5 minutes");
    route.getSpec().getTargets().get(0).getTimeouts().setFirstByte("soon");
    route.getSpec().getTargets().get(0).getPricing().setInputPerMTok("-1");

    assertThat(fields(route))
        .containsExactlyInAnyOrder(
            "spec.targets[0].timeouts.firstByte",
            "spec.targets[0].pricing.inputPerMTok",
            "spec.timeout");
  }

  @Test
  void reportsAnInvalidResourceName() {
    LLMRoute route = chat();
    route.getMetadata().setName("Chat_Route");

    assertThat(fields(route)).containsExactly("metadata.name");
  }

  @Nested
  class Routes {
    @Test
    void reportsATimeoutThatIsNotADurationWithItsPathAndTheAcceptedForm() {
      LLMRoute route = chat();
      route.getSpec().getTargets().get(0).getTimeouts().setTotal("30x");

      assertThat(ResourceValidator.validate(route))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.field()).isEqualTo("spec.targets[0].timeouts.total");
                assertThat(p.message()).contains("'30x' is not a duration").contains("30s");
              });
    }

    @Test
    void reportsAZeroCooldown() {
      LLMRoute route = chat();
      route.getSpec().getCooldown().setDuration("0s");

      assertThat(fields(route)).containsExactly("spec.cooldown.duration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-2.50", "1e3", "2.5000001"})
    void reportsPricesThatAreNotNonNegativeDecimals(String price) {
      LLMRoute route = chat();
      route.getSpec().getTargets().get(0).getPricing().setOutputPerMTok(price);

      assertThat(fields(route)).containsExactly("spec.targets[0].pricing.outputPerMTok");
    }

    @Test
    void reportsATargetWithBothProviderAndRoute() {
      LLMRoute route = chat();
      route.getSpec().getTargets().get(1).setProvider(Provider.OPENAI);

      assertThat(ResourceValidator.validate(route))
          .containsExactly(
              new Problem(
                  "spec.targets[1]", "a target sets exactly one of provider or route, not both"));
    }

    @Test
    void reportsATargetWithNeitherProviderNorRoute() {
      LLMRoute route = chat();
      route.getSpec().getTargets().get(1).setRoute(null);

      assertThat(ResourceValidator.validate(route))
          .singleElement()
          .satisfies(p -> assertThat(p.message()).contains("exactly one of provider or route"));
    }

    @Test
    void reportsOpenAiCompatibleWithoutBaseUrl() {
      LLMRoute route = local();
      route.getSpec().getTargets().get(0).setBaseUrl(null);

      assertThat(fields(route)).containsExactly("spec.targets[0].baseUrl");
    }

    @Test
    void reportsAzureOpenAiWithoutBaseUrl() {
      LLMRoute route = local();
      route.getSpec().getTargets().get(1).setProvider(Provider.AZURE_OPENAI);

      assertThat(fields(route)).containsExactly("spec.targets[1].baseUrl");
    }

    @Test
    void reportsProviderSettingsOnATargetThatIsARoute() {
      LLMRoute route = chat();
      route.getSpec().getTargets().get(1).setModel("gpt-4o");

      assertThat(ResourceValidator.validate(route))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.field()).isEqualTo("spec.targets[1]");
                assertThat(p.message()).contains("remove model");
              });
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "api.openai.com/v1",
          "ftp://files.example.com",
          "https://user:pw@api.example.com/v1",
          "http://",
          "https://api.example.com/v1?key=1"
        })
    void reportsABaseUrlThatIsNotAnAbsoluteHttpUrl(String url) {
      LLMRoute route = chat();
      route.getSpec().getTargets().get(0).setBaseUrl(url);

      assertThat(fields(route)).containsExactly("spec.targets[0].baseUrl");
    }

    @Test
    void neverRepeatsCredentialsOfAUrlInTheMessage() {
      LLMRoute route = chat();
      route.getSpec().getTargets().get(0).setBaseUrl("https://me:hunter2@api.example.com/v1");

      assertThat(ResourceValidator.validate(route).toString()).doesNotContain("hunter2");
    }

    @Test
    void reportsDuplicateTargetNamesAtTheRepeatedOne() {
      LLMRoute route = local();
      route.getSpec().getTargets().get(1).setName("vllm");

      assertThat(fields(route)).containsExactly("spec.targets[1].name");
    }

    @Test
    void reportsConditionalWithoutConditions() {
      LLMRoute route = chat();
      route.getSpec().getStrategy().setMode(StrategyMode.CONDITIONAL);
      route.getSpec().getStrategy().setConditions(null);

      assertThat(fields(route)).containsExactly("spec.strategy.conditions");
    }

    @Test
    void reportsAConditionNamingAnUnknownTarget() {
      LLMRoute route = chat();
      route.getSpec().getStrategy().getConditions().get(0).setTarget("tertiary");

      assertThat(ResourceValidator.validate(route))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.field()).isEqualTo("spec.strategy.conditions[0].target");
                assertThat(p.message()).contains("'tertiary'").contains("primary, secondary");
              });
    }

    @Test
    void reportsADefaultNamingAnUnknownTarget() {
      LLMRoute route = chat();
      route.getSpec().getStrategy().setDefaultTarget("nowhere");

      assertThat(fields(route)).containsExactly("spec.strategy.default");
    }

    @Test
    void reportsBackoffBaseLongerThanMax() {
      LLMRoute route = chat();
      Backoff backoff = route.getSpec().getRetry().getBackoff();
      backoff.setBase("10s");
      backoff.setMax("1s");

      assertThat(fields(route)).containsExactly("spec.retry.backoff");
    }

    @Test
    void reportsSemanticSettingsWithoutModeSemantic() {
      LLMRoute route = Samples.read("valid/llmroute-claude.yaml", LLMRoute.class);
      route.getSpec().getCache().setMode(CacheMode.EXACT);

      assertThat(fields(route)).containsExactly("spec.cache.semantic");
    }

    @Test
    void reportsAnAccessEntryThatIsNotANamespace() {
      LLMRoute route = chat();
      route.getSpec().getAccess().setNamespaces(List.of("team-b", "Team B"));

      assertThat(fields(route)).containsExactly("spec.access.namespaces[1]");
    }

    @Test
    void reportsAMalformedReference() {
      LLMRoute route = chat();
      route.getSpec().setPromptTemplate(new ObjectRef("Support Bot", "team_a"));

      assertThat(fields(route))
          .containsExactly("spec.promptTemplate.name", "spec.promptTemplate.namespace");
    }

    @Test
    void reportsACredentialsKeyThatCannotBeASecretKey() {
      LLMRoute route = chat();
      route.getSpec().getTargets().get(0).getCredentials().getSecretRef().setKey("api key");

      assertThat(fields(route)).containsExactly("spec.targets[0].credentials.secretRef.key");
    }
  }

  @Nested
  class ConditionMatchers {
    LLMRoute withWhen(String when) {
      LLMRoute route = chat();
      ConditionalRule rule = route.getSpec().getStrategy().getConditions().get(0);
      rule.setWhen(json(when));
      return route;
    }

    @Test
    void acceptsEveryOperatorAndNestedAndOr() {
      LLMRoute route =
          withWhen(
              """
              metadata.tier: {in: [pro, enterprise], nin: [free]}
              params.max_tokens: {gt: 100, gte: 100, lt: 4000, lte: 4000}
              headers.x-region: {regex: "^eu-", exists: true, ne: us}
              or:
                - params.stream: {eq: true}
                - and:
                    - metadata.team: {eq: a}
              """);

      assertThat(ResourceValidator.validate(route)).isEmpty();
    }

    @Test
    void reportsAKeyThatIsNotARequestAttribute() {
      LLMRoute route = withWhen("{tier: {eq: pro}}");

      assertThat(ResourceValidator.validate(route))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.field()).isEqualTo("spec.strategy.conditions[0].when[\"tier\"]");
                assertThat(p.message()).contains("metadata.<key>");
              });
    }

    @Test
    void reportsAnUnknownOperator() {
      LLMRoute route = withWhen("{metadata.tier: {equals: pro}}");

      assertThat(fields(route))
          .containsExactly("spec.strategy.conditions[0].when[\"metadata.tier\"].equals");
    }

    @Test
    void reportsAValueInsteadOfAnOperatorObject() {
      LLMRoute route = withWhen("{metadata.tier: pro}");

      assertThat(fields(route))
          .containsExactly("spec.strategy.conditions[0].when[\"metadata.tier\"]");
    }

    @Test
    void reportsOperatorsGivenTheWrongKindOfValue() {
      LLMRoute route = withWhen("{metadata.tier: {in: pro, gt: ten, exists: maybe, eq: [a, b]}}");

      String at = "spec.strategy.conditions[0].when[\"metadata.tier\"]";
      assertThat(fields(route))
          .containsExactlyInAnyOrder(at + ".in", at + ".gt", at + ".exists", at + ".eq");
    }

    @Test
    void reportsARegexThatDoesNotCompileWithItsIndex() {
      LLMRoute route = withWhen("{headers.x-region: {regex: \"eu-(west\"}}");

      assertThat(ResourceValidator.validate(route))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.field())
                    .isEqualTo("spec.strategy.conditions[0].when[\"headers.x-region\"].regex");
                assertThat(p.message())
                    .contains("not a valid regular expression")
                    .contains("index");
              });
    }

    @Test
    void reportsProblemsInsideNestedCombinatorsByTheirPath() {
      LLMRoute route = withWhen("{or: [{metadata.tier: {eq: pro}}, {and: [{bogus: {eq: 1}}]}]}");

      assertThat(fields(route))
          .containsExactly("spec.strategy.conditions[0].when[\"or\"][1][\"and\"][0][\"bogus\"]");
    }

    @Test
    void reportsAnEmptyCombinator() {
      LLMRoute route = withWhen("{and: []}");

      assertThat(fields(route)).containsExactly("spec.strategy.conditions[0].when[\"and\"]");
    }

    @Test
    void reportsAnEmptyMatcher() {
      LLMRoute route = withWhen("{}");

      assertThat(fields(route)).containsExactly("spec.strategy.conditions[0].when");
    }
  }

  @Nested
  class VirtualKeys {
    @ParameterizedTest
    @ValueSource(strings = {"2027-01-01", "2027-13-01T00:00:00Z", "2027-02-30T00:00:00Z", "soon"})
    void reportsAnExpiryThatIsNotAnRfc3339Timestamp(String expiresAt) {
      VirtualKey key = key();
      key.getSpec().setExpiresAt(expiresAt);

      assertThat(ResourceValidator.validate(key))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.field()).isEqualTo("spec.expiresAt");
                assertThat(p.message()).contains("2027-01-01T00:00:00Z");
              });
    }

    @Test
    void acceptsAnExpiryWithAnOffset() {
      VirtualKey key = key();
      key.getSpec().setExpiresAt("2027-01-01T09:30:00.5+02:00");

      assertThat(ResourceValidator.validate(key)).isEmpty();
    }

    @Test
    void reportsABudgetThatIsNotMoney() {
      VirtualKey key = key();
      key.getSpec().getBudget().setAmountUsd("100 dollars");

      assertThat(fields(key)).containsExactly("spec.budget.amountUSD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"team-shared/", "/chat", "a/b/c", "Team/chat"})
    void reportsAMalformedRouteReference(String reference) {
      VirtualKey key = key();
      key.getSpec().setRoutes(List.of("chat", reference));

      assertThat(fields(key)).containsExactly("spec.routes[1]");
    }

    @Test
    void reportsTwoCredentialsForOneProvider() {
      VirtualKey key = key();
      List<ProviderCredential> credentials =
          new ArrayList<>(key.getSpec().getProviderCredentials());
      credentials.add(credentials.get(0));
      key.getSpec().setProviderCredentials(credentials);

      assertThat(fields(key)).containsExactly("spec.providerCredentials[1].provider");
    }

    @Test
    void reportsARotationWithoutAPeriod() {
      VirtualKey key = key();
      key.getSpec().setRotation(new Rotation());

      assertThat(fields(key)).containsExactly("spec.rotation.every");
    }

    @Test
    void reportsAMissingSecretName() {
      VirtualKey key = key();
      key.getSpec().setSecretName(null);

      assertThat(ResourceValidator.validate(key))
          .containsExactly(new Problem("spec.secretName", "required field is missing"));
    }
  }

  @Nested
  class GuardrailPolicies {
    GuardrailCheck check(GuardrailPolicy policy, int index) {
      return policy.getSpec().getChecks().get(index);
    }

    @Test
    void reportsTwoCheckTypesInOneCheck() {
      GuardrailPolicy policy = policy();
      DenyListCheck words = new DenyListCheck();
      words.setWords(List.of("acme"));
      check(policy, 2).setDenyList(words);

      assertThat(ResourceValidator.validate(policy))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.field()).isEqualTo("spec.checks[2]");
                assertThat(p.message()).contains("regex and denyList");
              });
    }

    @Test
    void reportsACheckWithoutAType() {
      GuardrailPolicy policy = policy();
      check(policy, 4).setLength(null);

      assertThat(fields(policy)).containsExactly("spec.checks[4]");
    }

    @Test
    void reportsARegexThatDoesNotCompileWithTheErrorIndex() {
      GuardrailPolicy policy = policy();
      check(policy, 2).getRegex().setPattern("TICKET-([0-9]+");

      assertThat(ResourceValidator.validate(policy))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.field()).isEqualTo("spec.checks[2].regex.pattern");
                assertThat(p.message()).contains("Unclosed group").contains("at index 14");
              });
    }

    @Test
    void reportsAJsonSchemaThatIsNotValidJsonSchema() {
      GuardrailPolicy policy = policy();
      check(policy, 3).getJsonSchema().setSchema(json("{type: objekt, required: answer}"));

      assertThat(fields(policy))
          .contains(
              "spec.checks[3].jsonSchema.schema.type", "spec.checks[3].jsonSchema.schema.required");
    }

    @Test
    void checksAJsonSchemaAgainstTheDraftItDeclares() {
      GuardrailPolicy policy = policy();
      // exclusiveMaximum is a boolean in draft-04 and a number from draft-06 on.
      check(policy, 3)
          .getJsonSchema()
          .setSchema(
              json(
                  "{$schema: \"http://json-schema.org/draft-04/schema#\", type: number,"
                      + " maximum: 5, exclusiveMaximum: 5}"));

      assertThat(fields(policy))
          .containsExactly("spec.checks[3].jsonSchema.schema.exclusiveMaximum");
    }

    @Test
    void reportsAnUnknownJsonSchemaDraft() {
      GuardrailPolicy policy = policy();
      check(policy, 3)
          .getJsonSchema()
          .setSchema(json("{$schema: \"https://example.com/my-schema\", type: object}"));

      assertThat(fields(policy)).containsExactly("spec.checks[3].jsonSchema.schema.$schema");
    }

    @Test
    void reportsDuplicateCheckNames() {
      GuardrailPolicy policy = policy();
      check(policy, 1).setName("no-pii");

      assertThat(fields(policy)).containsExactly("spec.checks[1].name");
    }

    @Test
    void reportsALengthCheckWithoutALimit() {
      GuardrailPolicy policy = policy();
      check(policy, 4).setLength(new LengthCheck());

      assertThat(fields(policy)).containsExactly("spec.checks[4].length");
    }

    @Test
    void reportsAWebhookUrlThatIsNotHttp() {
      GuardrailPolicy policy = policy();
      check(policy, 6).getWebhook().setUrl("moderation.team-a.svc/check");

      assertThat(fields(policy)).containsExactly("spec.checks[6].webhook.url");
    }

    @Test
    void reportsAThresholdOutOfRange() {
      GuardrailPolicy policy = policy();
      check(policy, 5).getPromptInjection().setThreshold(1.5);

      assertThat(fields(policy)).containsExactly("spec.checks[5].promptInjection.threshold");
    }
  }

  @Nested
  class PromptTemplates {
    @Test
    void reportsRolloutWeightsThatDoNotSumTo100() {
      PromptTemplate template = template();
      template.getSpec().getRollout().get(0).setWeight(20);

      assertThat(ResourceValidator.validate(template))
          .containsExactly(new Problem("spec.rollout", "weights sum to 110; they must sum to 100"));
    }

    @Test
    void reportsARolloutEntryNamingAnUnknownVersion() {
      PromptTemplate template = template();
      template.getSpec().getRollout().get(0).setVersion("v3");

      assertThat(fields(template)).containsExactly("spec.rollout[0].version");
    }

    @Test
    void reportsAVersionListedTwiceInRollout() {
      PromptTemplate template = template();
      RolloutEntry again = new RolloutEntry();
      again.setVersion("v1");
      again.setWeight(0);
      List<RolloutEntry> rollout = new ArrayList<>(template.getSpec().getRollout());
      rollout.add(again);
      template.getSpec().setRollout(rollout);

      assertThat(fields(template)).containsExactly("spec.rollout[2].version");
    }

    @Test
    void reportsDuplicateVersionNames() {
      PromptTemplate template = template();
      template.getSpec().getVersions().get(1).setName("v1");

      assertThat(fields(template)).contains("spec.versions[1].name");
    }

    @Test
    void reportsAPlaceholderThatNamesNoDeclaredVariable() {
      PromptTemplate template = template();
      template.getSpec().getVersions().get(0).getMessages().get(0).setContent("Hi {{ usr }}");

      assertThat(ResourceValidator.validate(template))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.field()).isEqualTo("spec.versions[0].messages[0].content");
                assertThat(p.message()).contains("{{usr}}").contains("spec.variables");
              });
    }

    @Test
    void reportsARequiredVariableThatAlsoHasADefault() {
      PromptTemplate template = template();
      template.getSpec().getVariables().get(0).setDefaultValue("What?");

      assertThat(fields(template)).containsExactly("spec.variables[0]");
    }

    @Test
    void reportsAStickyOnThatIsNotARequestAttribute() {
      PromptTemplate template = template();
      template.getSpec().setStickyOn("user_id");

      assertThat(fields(template)).containsExactly("spec.stickyOn");
    }
  }

  @Nested
  class Secrets {
    @Test
    void acceptsBase64Data() {
      Secret secret =
          new SecretBuilder()
              .withNewMetadata()
              .withName("openai")
              .endMetadata()
              .withData(Map.of("apiKey", "c2stdGVzdA=="))
              .build();

      assertThat(ResourceValidator.validate(secret)).isEmpty();
    }

    @Test
    void reportsDataThatIsNotBase64WithoutShowingTheValue() {
      Secret secret =
          new SecretBuilder()
              .withNewMetadata()
              .withName("openai")
              .endMetadata()
              .withData(Map.of("apiKey", "sk-live-plain!text"))
              .build();

      List<Problem> problems = ResourceValidator.validate(secret);

      assertThat(problems).extracting(Problem::field).containsExactly("data.apiKey");
      assertThat(problems.toString()).doesNotContain("sk-live");
    }
  }

  @Test
  void reportsAnEmptyRouteListAsMissing() {
    LLMRoute route = chat();
    route.getSpec().setTargets(List.<Target>of());
    route.getSpec().setStrategy(null);

    assertThat(fields(route)).containsExactly("spec.targets");
  }

  @Test
  void acceptsAMatcherTreeBuiltInCode() {
    LLMRoute route = chat();
    ObjectNode when = JsonNodeFactory.instance.objectNode();
    when.putObject("params.stream").put("eq", true);
    route.getSpec().getStrategy().getConditions().get(0).setWhen(when);

    assertThat(ResourceValidator.validate(route)).isEmpty();
  }
}
