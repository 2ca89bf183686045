package dev.portcullis.api.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.api.template.TemplateTag.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateSyntaxTest {

  @Test
  void listsTheVariablesOfVariablesSectionsAndInvertedSectionsInOrderOfFirstUse() {
    CompiledTemplate template =
        TemplateSyntax.compile(
            "{{#premium}}Dear {{name}},{{/premium}}{{^premium}}Hi,{{/premium}} {{question}} {{name}}");

    assertThat(template.variables()).containsExactly("premium", "name", "question");
    assertThat(template.tags())
        .containsExactly(
            new TemplateTag(Kind.SECTION, "premium"),
            new TemplateTag(Kind.VARIABLE, "name"),
            new TemplateTag(Kind.INVERTED_SECTION, "premium"),
            new TemplateTag(Kind.VARIABLE, "question"),
            new TemplateTag(Kind.VARIABLE, "name"));
  }

  @Test
  void aPathReadsTheVariableItStartsWithAndTheCurrentItemIsNoVariable() {
    CompiledTemplate template =
        TemplateSyntax.compile("{{user.name}}: {{#topics}}[{{.}}]{{/topics}}");

    assertThat(template.variables()).containsExactly("user", "topics");
  }

  @Test
  void writesTagsAsAPersonWouldForMessages() {
    assertThat(new TemplateTag(Kind.VARIABLE, "q").written()).isEqualTo("{{q}}");
    assertThat(new TemplateTag(Kind.SECTION, "q").written()).isEqualTo("{{#q}}");
    assertThat(new TemplateTag(Kind.INVERTED_SECTION, "q").written()).isEqualTo("{{^q}}");
  }

  @Test
  void rendersWithoutHtmlEscaping() {
    CompiledTemplate template = TemplateSyntax.compile("Q: {{question}} / {{{question}}}");

    assertThat(template.render(Map.of("question", "Is <b> & \"x\" > 'y'?")))
        .isEqualTo("Q: Is <b> & \"x\" > 'y'? / Is <b> & \"x\" > 'y'?");
  }

  @Test
  void rendersASectionWhenItsVariableIsSetAndTheInvertedSectionOtherwise() {
    CompiledTemplate template =
        TemplateSyntax.compile("{{#tone}}Be {{tone}}.{{/tone}}{{^tone}}Be neutral.{{/tone}}");

    assertThat(template.render(Map.of("tone", "friendly"))).isEqualTo("Be friendly.");
    assertThat(template.render(Map.of())).isEqualTo("Be neutral.");
    assertThat(template.render(Map.of("tone", ""))).isEqualTo("Be neutral.");
    assertThat(template.render(Map.of("tone", false))).isEqualTo("Be neutral.");
  }

  @Test
  void repeatsASectionForEachItemOfAList() {
    CompiledTemplate template = TemplateSyntax.compile("{{#topics}}- {{.}}\n{{/topics}}");

    assertThat(template.render(Map.of("topics", List.of("billing", "refunds"))))
        .isEqualTo("- billing\n- refunds\n");
  }

  @Test
  void aVariableWithoutAValueRendersAsNothing() {
    assertThat(TemplateSyntax.compile("Hello {{name}}!").render(Map.of())).isEqualTo("Hello !");
  }

  @Test
  void refusesASectionLeftOpen() {
    assertThatThrownBy(() -> TemplateSyntax.compile("{{#tone}}Be nice."))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessage("Section missing close tag 'tone' @ line 1");
  }

  @Test
  void refusesASectionClosedWithAnotherName() {
    assertThatThrownBy(() -> TemplateSyntax.compile("{{#a}}\n{{#b}}x{{/a}}{{/b}}"))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("mismatched open tag")
        .hasMessageContaining("@ line 2");
  }

  @Test
  void refusesAClosingTagWithoutAnOpeningOne() {
    assertThatThrownBy(() -> TemplateSyntax.compile("text{{/tone}}"))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("no open tag 'tone'");
  }

  @Test
  void refusesPartialsParentsAndBlocks() {
    assertThatThrownBy(() -> TemplateSyntax.compile("{{> header}}"))
        .hasMessageStartingWith("{{>header}} is not supported");
    assertThatThrownBy(() -> TemplateSyntax.compile("{{<base}}{{/base}}"))
        .hasMessageStartingWith("{{<base}} is not supported");
    assertThatThrownBy(() -> TemplateSyntax.compile("{{$body}}x{{/body}}"))
        .hasMessageStartingWith("{{$body}} is not supported");
  }

  @Test
  void refusesAnEmptyTagAsASyntaxError() {
    assertThatThrownBy(() -> TemplateSyntax.compile("Hi {{}}"))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("{{}}");
  }
}
