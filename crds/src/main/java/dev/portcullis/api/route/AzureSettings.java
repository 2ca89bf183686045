package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** Azure OpenAI specifics. */
@JsonClassDescription("Azure OpenAI specifics.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AzureSettings {

  @JsonPropertyDescription("The Azure deployment name. Absent: the target's model.")
  @Size(max = 253)
  private String deployment;

  @JsonPropertyDescription("The Azure OpenAI api-version query parameter, e.g. 2024-10-21.")
  @Size(max = 64)
  private String apiVersion;

  public String getDeployment() {
    return deployment;
  }

  public void setDeployment(String deployment) {
    this.deployment = deployment;
  }

  public String getApiVersion() {
    return apiVersion;
  }

  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }
}
