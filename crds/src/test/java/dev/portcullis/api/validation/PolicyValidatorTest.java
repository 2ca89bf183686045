package dev.portcullis.api.validation;

import static dev.portcullis.api.validation.ResourceValidatorTest.fields;
import static dev.portcullis.api.validation.ResourceValidatorTest.json;
import static dev.portcullis.api.validation.ResourceValidatorTest.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.guardrail.Action;
import dev.portcullis.api.guardrail.DenyListCheck;
import dev.portcullis.api.guardrail.GuardrailCheck;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.guardrail.LengthCheck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of a GuardrailPolicy, through {@link ResourceValidator#validate}. */
class PolicyValidatorTest {
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
  void reportsRedactOnAWholeTextCheckNamingTheAction() {
    GuardrailPolicy policy = policy();
    check(policy, 4).setAction(Action.REDACT);

    assertThat(ResourceValidator.validate(policy))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.checks[4].action");
              assertThat(p.message()).contains("Redact").contains("length");
            });
  }

  @Test
  void acceptsRedactOnASpanCheck() {
    GuardrailPolicy policy = policy();
    check(policy, 2).setAction(Action.REDACT);

    assertThat(ResourceValidator.validate(policy)).isEmpty();
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
              assertThat(p.message()).contains("missing closing )").contains("at index 14");
            });
  }

  @Test
  void reportsABackReferenceWhichRe2CannotCompile() {
    GuardrailPolicy policy = policy();
    check(policy, 2).getRegex().setPattern("(TICKET)-\\1");

    assertThat(ResourceValidator.validate(policy))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.checks[2].regex.pattern");
              assertThat(p.message())
                  .contains("invalid escape sequence `\\1` at index 9")
                  .contains("no look-around or back-references");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"secret(?=[0-9])", "secret(?![0-9])", "(?<=id:)[0-9]+", "(?<!x)y"})
  void reportsLookAroundWhichRe2CannotCompile(String pattern) {
    GuardrailPolicy policy = policy();
    check(policy, 2).getRegex().setPattern(pattern);

    assertThat(ResourceValidator.validate(policy))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.checks[2].regex.pattern");
              assertThat(p.message())
                  .contains("is not a valid regular expression")
                  .contains("RE2 syntax, which has no look-around or back-references");
            });
  }

  @Test
  void acceptsRe2SyntaxThatJavaRegexDoesNot() {
    GuardrailPolicy policy = policy();
    // A Python-style named group: RE2 reads it, java.util.regex refuses it.
    check(policy, 2).getRegex().setPattern("TICKET-(?P<id>[0-9]+)");

    assertThat(ResourceValidator.validate(policy)).isEmpty();
  }

  @Test
  void reportsAStrayClosingParenthesisInRe2Words() {
    GuardrailPolicy policy = policy();
    check(policy, 2).getRegex().setPattern("TICKET)");

    assertThat(ResourceValidator.validate(policy))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("unexpected )"));
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

    assertThat(fields(policy)).containsExactly("spec.checks[3].jsonSchema.schema.exclusiveMaximum");
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
