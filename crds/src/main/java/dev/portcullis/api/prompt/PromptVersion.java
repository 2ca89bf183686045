package dev.portcullis.api.prompt;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.ObjectRef;
import dev.portcullis.api.ValidationPatterns;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** One version of a template. */
@JsonClassDescription("One version of a template.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PromptVersion {

  @JsonPropertyDescription(
      "Version name, e.g. v2; reported in the x-portcullis-prompt-version header.")
  @Required
  @Pattern(ValidationPatterns.DNS_LABEL)
  @Size(min = 1, max = 63)
  private String name;

  @JsonPropertyDescription("Messages rendered in order, with {{variables}} substituted.")
  @Required
  @Size(min = 1, max = 64)
  private List<PromptMessage> messages;

  @JsonPropertyDescription(
      "Default request parameters (e.g. temperature, max_tokens); the caller's own take precedence.")
  @PreserveUnknownFields
  private ObjectNode params;

  @JsonPropertyDescription(
      "The LLMRoute this version is sent to. Absent: the route the request named.")
  private ObjectRef route;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<PromptMessage> getMessages() {
    return messages;
  }

  public void setMessages(List<PromptMessage> messages) {
    this.messages = messages;
  }

  public ObjectNode getParams() {
    return params;
  }

  public void setParams(ObjectNode params) {
    this.params = params;
  }

  public ObjectRef getRoute() {
    return route;
  }

  public void setRoute(ObjectRef route) {
    this.route = route;
  }
}
