package dev.portcullis.api.key;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.Provider;
import dev.portcullis.api.SecretKeySelector;
import io.fabric8.generator.annotation.Required;

/** A bring-your-own credential for one provider. */
@JsonClassDescription("A bring-your-own credential for one provider.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProviderCredential {

  @JsonPropertyDescription("The provider whose targets use this credential instead of the route's.")
  @Required
  private Provider provider;

  @JsonPropertyDescription(
      "The Secret key (in the VirtualKey's namespace) holding the provider API key.")
  @Required
  private SecretKeySelector secretRef;

  public Provider getProvider() {
    return provider;
  }

  public void setProvider(Provider provider) {
    this.provider = provider;
  }

  public SecretKeySelector getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretKeySelector secretRef) {
    this.secretRef = secretRef;
  }
}
