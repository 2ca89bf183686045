package dev.portcullis.api;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A key of a Secret in the same namespace as the resource that refers to it. */
@JsonClassDescription("A key of a Secret in the same namespace as the resource that refers to it.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeySelector {

  @JsonPropertyDescription("Name of the Secret, in the namespace of the referring resource.")
  @Required
  @Pattern(ValidationPatterns.DNS_SUBDOMAIN)
  @Size(min = 1, max = 253)
  private String name;

  @JsonPropertyDescription("Key within the Secret's data whose value is the credential.")
  @Required
  @Pattern(ValidationPatterns.SECRET_KEY)
  @Size(min = 1, max = 253)
  private String key;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public SecretKeySelector() {}

  public SecretKeySelector(String name, String key) {
    this.name = name;
    this.key = key;
  }

  @Override
  public String toString() {
    return "SecretKeySelector[" + name + "/" + key + "]";
  }
}
