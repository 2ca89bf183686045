package dev.portcullis.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.Problem;
import dev.portcullis.api.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class CrdSchemaValidatorTest {
  static final CrdSchemaValidator VALIDATOR = CrdSchemaValidator.load();

  static ObjectNode sample(String name) {
    return (ObjectNode) Samples.tree(name);
  }

  static ObjectNode chat() {
    return sample("valid/llmroute-chat.yaml");
  }

  static ObjectNode at(ObjectNode node, String pointer) {
    return (ObjectNode) node.at(pointer);
  }

  @ParameterizedTest
  @FieldSource("dev.portcullis.api.Samples#VALID")
  void acceptsEverySample(String sample) {
    assertThat(VALIDATOR.validate(Samples.tree(sample))).isEmpty();
  }

  @Test
  void reportsADurationThatIsNotKubernetesStyle() {
    ObjectNode route = chat();
    at(route, "/spec").put("timeout", "5 minutes");

    assertThat(VALIDATOR.validate(route))
        .extracting(Problem::field)
        .containsExactly("spec.timeout");
  }

  @Test
  void reportsAnUnknownFieldByItsOwnPath() {
    ObjectNode route = chat();
    at(route, "/spec/targets/0").put("temprature", 0.2);

    assertThat(VALIDATOR.validate(route))
        .containsExactly(new Problem("spec.targets[0].temprature", "unknown field"));
  }

  @Test
  void acceptsAnyFieldsInsideFreeFormParams() {
    ObjectNode route = chat();
    at(route, "/spec/targets/0/params").putObject("response_format").put("type", "json_object");

    assertThat(VALIDATOR.validate(route)).isEmpty();
  }

  @Test
  void reportsAMissingRequiredField() {
    ObjectNode route = chat();
    at(route, "/spec").remove("model");

    assertThat(VALIDATOR.validate(route))
        .containsExactly(new Problem("spec.model", "required field is missing"));
  }

  @Test
  void reportsAProviderOutsideTheEnum() {
    ObjectNode route = chat();
    at(route, "/spec/targets/0").put("provider", "OpenAI");

    assertThat(VALIDATOR.validate(route))
        .extracting(Problem::field)
        .containsExactly("spec.targets[0].provider");
  }

  @Test
  void reportsMoneyWrittenAsANumber() {
    ObjectNode key = sample("valid/virtualkey-checkout-service.yaml");
    at(key, "/spec/budget").put("amountUSD", 100);

    assertThat(VALIDATOR.validate(key))
        .extracting(Problem::field)
        .containsExactly("spec.budget.amountUSD");
  }

  @Test
  void reportsARolloutWeightAbove100() {
    ObjectNode template = sample("valid/prompttemplate-support-bot.yaml");
    at(template, "/spec/rollout/1").put("weight", 190);

    assertThat(VALIDATOR.validate(template))
        .extracting(Problem::field)
        .containsExactly("spec.rollout[1].weight");
  }

  @Test
  void reportsACheckWithoutAction() {
    ObjectNode policy = sample("valid/guardrailpolicy-pii.yaml");
    at(policy, "/spec/checks/2").remove("action");

    assertThat(VALIDATOR.validate(policy))
        .containsExactly(new Problem("spec.checks[2].action", "required field is missing"));
  }

  @Test
  void rejectsAResourceOfAnotherKind() {
    ObjectNode deployment = chat();
    deployment.put("apiVersion", "apps/v1").put("kind", "Deployment");

    assertThat(VALIDATOR.validate(deployment)).extracting(Problem::field).containsExactly("kind");
    assertThat(VALIDATOR.supports("apps/v1", "Deployment")).isFalse();
    assertThat(VALIDATOR.supports("portcullis.dev/v1alpha1", "VirtualKey")).isTrue();
  }

  @Test
  void reportsACheckThatSaysOnInsteadOfStages() throws Exception {
    String yaml =
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: GuardrailPolicy
        metadata: {name: p, namespace: a}
        spec:
          checks:
            - {name: size, on: [Input], action: Deny, length: {maxTokens: 10}}
        """;

    assertThat(VALIDATOR.validate(Samples.YAML.readTree(yaml)))
        .containsExactly(
            new Problem("spec.checks[0].on", "unknown field"),
            new Problem("spec.checks[0].stages", "required field is missing"));
  }
}
