package dev.portcullis.api.prompt;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.ResourceStatus;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The observed state of a PromptTemplate. */
@JsonClassDescription("The observed state of a PromptTemplate.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PromptTemplateStatus extends ResourceStatus {

  @JsonPropertyDescription("Version names the fleet serves.")
  @Size(max = 32)
  private List<String> versions;

  @JsonPropertyDescription(
      "How the fleet splits traffic between versions, e.g. v1=90%,v2=10% (the last version"
          + " takes 100% without a rollout), for the ROLLOUT column. Empty while the template is"
          + " left out of the snapshot.")
  @Size(max = 4096)
  private String rollout;

  @JsonPropertyDescription(
      "Results per version (requests, errors, tokens, cost, mean latency), summed over the"
          + " fleet's gateways since they started; written by the operator from the gateways'"
          + " usage reports.")
  @Size(max = 32)
  private List<PromptVersionResults> results;

  @JsonPropertyDescription(
      "Requests served per version, e.g. v1=1200,v2=130, for the REQUESTS column beside ROLLOUT.")
  @Size(max = 4096)
  private String requests;

  public List<PromptVersionResults> getResults() {
    return results;
  }

  public void setResults(List<PromptVersionResults> results) {
    this.results = results;
  }

  public String getRequests() {
    return requests;
  }

  public void setRequests(String requests) {
    this.requests = requests;
  }

  public List<String> getVersions() {
    return versions;
  }

  public void setVersions(List<String> versions) {
    this.versions = versions;
  }

  public String getRollout() {
    return rollout;
  }

  public void setRollout(String rollout) {
    this.rollout = rollout;
  }
}
