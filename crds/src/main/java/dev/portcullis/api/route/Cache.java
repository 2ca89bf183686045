package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.Durations;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Response caching. */
@JsonClassDescription("Response caching.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.semantic) || self.mode == 'Semantic'",
    message = "semantic settings need mode Semantic",
    reason = "FieldValueInvalid")
public class Cache {

  @JsonPropertyDescription(
      "Disabled, Exact (identical normalized requests) or Semantic (similar requests).")
  @Required
  private CacheMode mode;

  @JsonPropertyDescription("How long a cached response is reused, e.g. 10m. Absent: 5m.")
  @Pattern(Durations.PATTERN)
  private String ttl;

  @JsonPropertyDescription(
      "Who shares cached answers: Namespace (every VirtualKey of the caller's namespace) or Key"
          + " (the calling VirtualKey alone). Never another namespace. Absent: Namespace.")
  private CacheScope scope;

  @JsonPropertyDescription("Settings of mode Semantic.")
  private SemanticCache semantic;

  public CacheMode getMode() {
    return mode;
  }

  public void setMode(CacheMode mode) {
    this.mode = mode;
  }

  public String getTtl() {
    return ttl;
  }

  public void setTtl(String ttl) {
    this.ttl = ttl;
  }

  public CacheScope getScope() {
    return scope;
  }

  public void setScope(CacheScope scope) {
    this.scope = scope;
  }

  public SemanticCache getSemantic() {
    return semantic;
  }

  public void setSemantic(SemanticCache semantic) {
    this.semantic = semantic;
  }
}
