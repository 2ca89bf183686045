package dev.portcullis.api.prompt;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A template message. */
@JsonClassDescription("A template message.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PromptMessage {

  @JsonPropertyDescription("system, developer, user or assistant.")
  @Required
  private MessageRole role;

  @JsonPropertyDescription(
      "The text, a Mustache template without HTML escaping: {{variable}}, sections {{#variable}}...{{/variable}} and inverted sections {{^variable}}...{{/variable}}, over the variables declared in spec.variables.")
  @Required
  @Size(max = 65536)
  private String content;

  public MessageRole getRole() {
    return role;
  }

  public void setRole(MessageRole role) {
    this.role = role;
  }

  public String getContent() {
    return content;
  }

  public void setContent(String content) {
    this.content = content;
  }
}
