package dev.portcullis.api.validation;

import static dev.portcullis.api.validation.ResourceValidatorTest.chat;
import static dev.portcullis.api.validation.ResourceValidatorTest.fields;
import static dev.portcullis.api.validation.ResourceValidatorTest.json;
import static dev.portcullis.api.validation.ResourceValidatorTest.local;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.ObjectRef;
import dev.portcullis.api.Problem;
import dev.portcullis.api.Provider;
import dev.portcullis.api.Samples;
import dev.portcullis.api.route.Backoff;
import dev.portcullis.api.route.CacheMode;
import dev.portcullis.api.route.ConditionalRule;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.api.route.StrategyMode;
import dev.portcullis.api.route.Target;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of an LLMRoute, through {@link ResourceValidator#validate}. */
class RouteValidatorTest {
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
    void reportsARegexWithLookAroundWhichTheGatewaysRe2EngineCannotRun() {
      LLMRoute route = withWhen("{headers.x-region: {regex: \"^eu-(?!central)\"}}");

      assertThat(ResourceValidator.validate(route))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.field())
                    .isEqualTo("spec.strategy.conditions[0].when[\"headers.x-region\"].regex");
                assertThat(p.message()).contains("RE2 syntax");
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
