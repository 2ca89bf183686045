package dev.portcullis.api.guardrail;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.ValidationPatterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** One check of a policy: where it runs, what it looks for, what it does. */
@JsonClassDescription("One check of a policy: where it runs, what it looks for, what it does.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.regex) ? 1 : 0) + (has(self.pii) ? 1 : 0) + (has(self.denyList) ? 1 : 0) + (has(self.length) ? 1 : 0) + (has(self.jsonSchema) ? 1 : 0) + (has(self.promptInjection) ? 1 : 0) + (has(self.webhook) ? 1 : 0) == 1",
    message =
        "a check sets exactly one of regex, pii, denyList, length, jsonSchema, promptInjection, webhook",
    reason = "FieldValueInvalid")
public class GuardrailCheck {

  @JsonPropertyDescription(
      "Name of the check, unique in the policy; reported in errors, headers and metrics.")
  @Required
  @Pattern(ValidationPatterns.DNS_LABEL)
  @Size(min = 1, max = 63)
  private String name;

  @JsonPropertyDescription(
      "Where the check runs: Input, Output or both. (Not called \"on\": YAML 1.1 parsers, kubectl's and Helm's among them, read an unquoted on: key as true.)")
  @Required
  @Size(min = 1, max = 2)
  private List<Stage> stages;

  @JsonPropertyDescription("Deny, Redact or Flag.")
  @Required
  private Action action;

  @JsonPropertyDescription("Match a regular expression.")
  private RegexCheck regex;

  @JsonPropertyDescription("Find personal data and secrets.")
  private PiiCheck pii;

  @JsonPropertyDescription("Find listed words (competitors, profanity, ...).")
  private DenyListCheck denyList;

  @JsonPropertyDescription("Limit the size of the content.")
  private LengthCheck length;

  @JsonPropertyDescription("Require output to be JSON valid against a schema.")
  private JsonSchemaCheck jsonSchema;

  @JsonPropertyDescription("Score the content for prompt-injection attempts.")
  private PromptInjectionCheck promptInjection;

  @JsonPropertyDescription("Ask an external HTTP service.")
  private WebhookCheck webhook;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<Stage> getStages() {
    return stages;
  }

  public void setStages(List<Stage> stages) {
    this.stages = stages;
  }

  public Action getAction() {
    return action;
  }

  public void setAction(Action action) {
    this.action = action;
  }

  public RegexCheck getRegex() {
    return regex;
  }

  public void setRegex(RegexCheck regex) {
    this.regex = regex;
  }

  public PiiCheck getPii() {
    return pii;
  }

  public void setPii(PiiCheck pii) {
    this.pii = pii;
  }

  public DenyListCheck getDenyList() {
    return denyList;
  }

  public void setDenyList(DenyListCheck denyList) {
    this.denyList = denyList;
  }

  public LengthCheck getLength() {
    return length;
  }

  public void setLength(LengthCheck length) {
    this.length = length;
  }

  public JsonSchemaCheck getJsonSchema() {
    return jsonSchema;
  }

  public void setJsonSchema(JsonSchemaCheck jsonSchema) {
    this.jsonSchema = jsonSchema;
  }

  public PromptInjectionCheck getPromptInjection() {
    return promptInjection;
  }

  public void setPromptInjection(PromptInjectionCheck promptInjection) {
    this.promptInjection = promptInjection;
  }

  public WebhookCheck getWebhook() {
    return webhook;
  }

  public void setWebhook(WebhookCheck webhook) {
    this.webhook = webhook;
  }
}
