package dev.portcullis.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.api.guardrail.Action;
import dev.portcullis.api.guardrail.GuardrailCheck;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.guardrail.Stage;
import dev.portcullis.api.key.BudgetPeriod;
import dev.portcullis.api.key.StoreUnavailableMode;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.api.route.LLMRouteSpec;
import dev.portcullis.api.route.StrategyMode;
import dev.portcullis.api.route.Target;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class ResourceRoundTripTest {

  @ParameterizedTest
  @FieldSource("dev.portcullis.api.Samples#VALID")
  void everySampleSurvivesReadAndWriteWithJackson(String sample) throws Exception {
    JsonNode original = Samples.tree(sample);

    Object typed = Samples.YAML.treeToValue(original, Samples.typeOf(original));

    assertThat(Samples.normalized(Samples.YAML.valueToTree(typed)))
        .isEqualTo(Samples.normalized(original));
  }

  @ParameterizedTest
  @FieldSource("dev.portcullis.api.Samples#VALID")
  void everySampleSurvivesReadAndWriteWithTheKubernetesClientSerialization(String sample)
      throws Exception {
    KubernetesSerialization serialization = new KubernetesSerialization();
    JsonNode original = Samples.tree(sample);

    Object typed =
        serialization.unmarshal(
            Samples.YAML.writeValueAsString(original), Samples.typeOf(original));

    assertThat(Samples.YAML.readTree(serialization.asJson(typed))).isEqualTo(original);
  }

  @Test
  void routeExposesTypedFieldsAndFreeFormParams() {
    LLMRoute route = Samples.read("valid/llmroute-chat.yaml", LLMRoute.class);
    LLMRouteSpec spec = route.getSpec();
    Target primary = spec.getTargets().get(0);

    assertThat(spec.getStrategy().getMode()).isEqualTo(StrategyMode.FALLBACK);
    assertThat(spec.getStrategy().getDefaultTarget()).isEqualTo("secondary");
    assertThat(primary.getProvider()).isEqualTo(Provider.OPENAI);
    assertThat(primary.getParams().get("temperature").asDouble()).isEqualTo(0.2);
    assertThat(spec.getStrategy().getConditions().get(0).getWhen().path("metadata.tier"))
        .isEqualTo(
            Samples.YAML
                .createObjectNode()
                .set("in", Samples.YAML.valueToTree(List.of("pro", "enterprise"))));
    assertThat(spec.getTargets().get(1).getRoute().qualifiedName("team-a"))
        .isEqualTo("team-a/claude");
    assertThat(route.getStatus().findCondition(Condition.READY)).get().matches(Condition::isTrue);
  }

  @Test
  void virtualKeyBudgetAmountIsSpelledAmountUsdInCapitals() {
    VirtualKey key = Samples.read("valid/virtualkey-checkout-service.yaml", VirtualKey.class);

    assertThat(key.getSpec().getBudget().getAmountUsd()).isEqualTo("100.00");
    assertThat(key.getSpec().getBudget().getPeriod()).isEqualTo(BudgetPeriod.MONTHLY);
    assertThat(key.getSpec().getOnStoreUnavailable()).isEqualTo(StoreUnavailableMode.FAIL_OPEN);
    assertThat(key.getStatus().getUsage().getSpendUsd()).isEqualTo("12.40");
    assertThat(Samples.YAML.valueToTree(key.getSpec().getBudget()).has("amountUSD")).isTrue();
  }

  @Test
  void guardrailCheckKeepsItsStagesActionAndSchema() {
    GuardrailPolicy policy = Samples.read("valid/guardrailpolicy-pii.yaml", GuardrailPolicy.class);
    GuardrailCheck jsonOnly = policy.getSpec().getChecks().get(3);

    assertThat(policy.getSpec().getChecks().get(0).getStages())
        .containsExactly(Stage.INPUT, Stage.OUTPUT);
    assertThat(jsonOnly.getAction()).isEqualTo(Action.DENY);
    assertThat(jsonOnly.getJsonSchema().getSchema().path("required").get(0).asText())
        .isEqualTo("answer");
  }

  @Test
  void promptVariableDefaultIsSpelledDefault() {
    PromptTemplate template =
        Samples.read("valid/prompttemplate-support-bot.yaml", PromptTemplate.class);

    assertThat(template.getSpec().getVariables().get(1).getDefaultValue()).isEqualTo("friendly");
    assertThat(template.getSpec().getVersions().get(1).getParams().path("max_tokens").asInt())
        .isEqualTo(300);
  }

  @Test
  void enumsWriteTheSpellingOfTheApi() {
    assertThat(Samples.YAML.valueToTree(Provider.OPENAI_COMPATIBLE).asText())
        .isEqualTo("openai-compatible");
    assertThat(Samples.YAML.valueToTree(StrategyMode.LOAD_BALANCE).asText())
        .isEqualTo("LoadBalance");
    assertThat(Provider.fromWireName("azure-openai")).contains(Provider.AZURE_OPENAI);
    assertThat(Provider.fromWireName("AZURE_OPENAI")).isEmpty();
  }

  @Test
  void unsetFieldsAreLeftOutWhenWriting() {
    LLMRoute route = new LLMRoute();
    route.setSpec(new LLMRouteSpec());
    route.getSpec().setModel("gpt-4o");

    JsonNode written = Samples.YAML.valueToTree(route);

    assertThat(written.path("spec").properties())
        .extracting(e -> e.getKey())
        .containsExactly("model");
    assertThat(written.has("status")).isFalse();
  }
}
