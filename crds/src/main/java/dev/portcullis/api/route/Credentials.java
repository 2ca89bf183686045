package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.SecretKeySelector;
import io.fabric8.generator.annotation.Required;

/** Where an upstream credential is kept. */
@JsonClassDescription("Where an upstream credential is kept.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Credentials {

  @JsonPropertyDescription(
      "The Secret key (in the route's namespace) holding the upstream API key.")
  @Required
  private SecretKeySelector secretRef;

  public SecretKeySelector getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretKeySelector secretRef) {
    this.secretRef = secretRef;
  }
}
