package dev.portcullis.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Optional;

/** What every Portcullis resource reports: the generation last processed and its conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ResourceStatus {

  @JsonPropertyDescription("The metadata.generation the operator last processed.")
  @Min(0)
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Accepted, ResolvedRefs, Programmed and Ready, with reasons and messages a person can act on.")
  @Size(max = 16)
  private List<Condition> conditions;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  /** The condition of the given type, if present. */
  public Optional<Condition> findCondition(String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
