package dev.portcullis.api.key;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.ValidationPatterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/** The desired state of a VirtualKey. */
@JsonClassDescription("The desired state of a VirtualKey.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VirtualKeySpec {

  @JsonPropertyDescription(
      "Secret (in this namespace, owned by the VirtualKey) the operator writes the key to, under data key \"apiKey\".")
  @Required
  @Pattern(ValidationPatterns.DNS_SUBDOMAIN)
  @Size(min = 1, max = 253)
  private String secretName;

  @JsonPropertyDescription(
      "LLMRoutes this key may use, as name (this namespace) or namespace/name. Empty or absent: every route visible to this namespace.")
  @Size(max = 128)
  private List<@Pattern(ValidationPatterns.ROUTE_REFERENCE) String> routes;

  @JsonPropertyDescription(
      "Rate and concurrency limits, enforced across the gateway fleet. Absent: unlimited.")
  private KeyLimits limits;

  @JsonPropertyDescription("A spend limit per period. Absent: no budget.")
  private Budget budget;

  @JsonPropertyDescription(
      "When the key stops working (RFC 3339), e.g. 2027-01-01T00:00:00Z. Absent: never.")
  @Pattern(ValidationPatterns.TIMESTAMP)
  private String expiresAt;

  @JsonPropertyDescription(
      "Automatic rotation. Annotate portcullis.dev/rotate=<any new value> to rotate by hand. Absent: no automatic rotation.")
  private Rotation rotation;

  @JsonPropertyDescription(
      "FailOpen or FailClosed: what happens when the shared store (Redis) cannot be reached. Absent: FailOpen.")
  private StoreUnavailableMode onStoreUnavailable;

  @JsonPropertyDescription(
      "Bring-your-own credentials: for each provider, a Secret key in this namespace that replaces the route's credentials.")
  @Size(max = 16)
  @ValidationRule(
      value = "self.all(a, self.exists_one(b, b.provider == a.provider))",
      message = "at most one credential per provider")
  private List<ProviderCredential> providerCredentials;

  @JsonPropertyDescription(
      "Attribution labels (team, cost center, ...) recorded with usage and passed to Conditional routing as metadata.*.")
  @Size(max = 32)
  private Map<String, String> metadata;

  @JsonPropertyDescription("Refuse every request with this key while true. Absent: false.")
  private Boolean disabled;

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public List<String> getRoutes() {
    return routes;
  }

  public void setRoutes(List<String> routes) {
    this.routes = routes;
  }

  public KeyLimits getLimits() {
    return limits;
  }

  public void setLimits(KeyLimits limits) {
    this.limits = limits;
  }

  public Budget getBudget() {
    return budget;
  }

  public void setBudget(Budget budget) {
    this.budget = budget;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public Rotation getRotation() {
    return rotation;
  }

  public void setRotation(Rotation rotation) {
    this.rotation = rotation;
  }

  public StoreUnavailableMode getOnStoreUnavailable() {
    return onStoreUnavailable;
  }

  public void setOnStoreUnavailable(StoreUnavailableMode onStoreUnavailable) {
    this.onStoreUnavailable = onStoreUnavailable;
  }

  public List<ProviderCredential> getProviderCredentials() {
    return providerCredentials;
  }

  public void setProviderCredentials(List<ProviderCredential> providerCredentials) {
    this.providerCredentials = providerCredentials;
  }

  public Map<String, String> getMetadata() {
    return metadata;
  }

  public void setMetadata(Map<String, String> metadata) {
    this.metadata = metadata;
  }

  public Boolean getDisabled() {
    return disabled;
  }

  public void setDisabled(Boolean disabled) {
    this.disabled = disabled;
  }
}
