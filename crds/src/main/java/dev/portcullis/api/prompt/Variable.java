package dev.portcullis.api.prompt;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.ValidationPatterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A variable of a template. */
@JsonClassDescription("A variable of a template.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Variable {

  @JsonPropertyDescription("The name used as {{name}} in messages.")
  @Required
  @Pattern(ValidationPatterns.IDENTIFIER)
  @Size(min = 1, max = 63)
  private String name;

  @JsonPropertyDescription("Whether a caller must supply a value. Absent: false.")
  private Boolean required;

  @JsonProperty("default")
  @JsonPropertyDescription("The value used when the caller supplies none.")
  @Size(max = 4096)
  private String defaultValue;

  @JsonPropertyDescription("What the variable is for, for people writing callers.")
  @Size(max = 1024)
  private String description;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Boolean getRequired() {
    return required;
  }

  public void setRequired(Boolean required) {
    this.required = required;
  }

  public String getDefaultValue() {
    return defaultValue;
  }

  public void setDefaultValue(String defaultValue) {
    this.defaultValue = defaultValue;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }
}
