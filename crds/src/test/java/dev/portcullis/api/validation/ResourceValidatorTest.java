package dev.portcullis.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.Problem;
import dev.portcullis.api.Samples;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

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
}
