package dev.portcullis.api.validation;

import static dev.portcullis.api.validation.ResourceValidatorTest.fields;
import static dev.portcullis.api.validation.ResourceValidatorTest.template;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.Problem;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.prompt.RolloutEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of a PromptTemplate, through {@link ResourceValidator#validate}. */
class TemplateValidatorTest {
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

  static void setContent(PromptTemplate template, int message, String content) {
    template.getSpec().getVersions().get(0).getMessages().get(message).setContent(content);
  }

  @Test
  void acceptsSectionsAndInvertedSections() {
    PromptTemplate template = template();
    setContent(
        template,
        0,
        "You are a support agent.{{#tone}} Be {{tone}}.{{/tone}}{{^tone}} Be neutral.{{/tone}}");

    assertThat(ResourceValidator.validate(template)).isEmpty();
  }

  @Test
  void reportsAnUnclosedSectionWithTheFieldAndTheLibrarysMessage() {
    PromptTemplate template = template();
    setContent(template, 1, "{{#tone}}Be {{tone}}. {{question}}");

    assertThat(ResourceValidator.validate(template))
        .containsExactly(
            new Problem(
                "spec.versions[0].messages[1].content",
                "is not a valid Mustache template: Section missing close tag 'tone' @ line 1"));
  }

  @Test
  void reportsASectionClosedWithAnotherName() {
    PromptTemplate template = template();
    setContent(template, 1, "{{#tone}}\n{{question}}\n{{/question}}");

    assertThat(ResourceValidator.validate(template))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.versions[0].messages[1].content");
              assertThat(p.message()).contains("mismatched open tag").contains("@ line 3");
            });
  }

  @Test
  void reportsAnUndeclaredVariableUsedAsASectionByName() {
    PromptTemplate template = template();
    setContent(template, 0, "{{#premium}}Priority support.{{/premium}} Be {{tone}}.");

    assertThat(ResourceValidator.validate(template))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.versions[0].messages[0].content");
              assertThat(p.message()).contains("{{#premium}}").contains("spec.variables");
            });
  }

  @Test
  void reportsAnUndeclaredVariableInsideASection() {
    PromptTemplate template = template();
    setContent(template, 0, "{{#tone}}Be {{tone}} to {{customer}}.{{/tone}}");

    assertThat(ResourceValidator.validate(template))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("{{customer}}"));
  }

  @Test
  void reportsAPartialWhichHasNothingToLoad() {
    PromptTemplate template = template();
    setContent(template, 0, "{{> header}} Be {{tone}}.");

    assertThat(ResourceValidator.validate(template))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.versions[0].messages[0].content");
              assertThat(p.message()).contains("{{>header}} is not supported");
            });
  }

  @Test
  void reportsATagThatHoldsNoVariableName() {
    PromptTemplate template = template();
    setContent(template, 1, "{{question please}}");

    assertThat(ResourceValidator.validate(template))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("{{question please}} is not a variable"));
  }
}
