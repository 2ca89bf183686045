package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.ValidationPatterns;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** How a target is chosen for each request. */
@JsonClassDescription("How a target is chosen for each request.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.mode != 'Conditional' || (has(self.conditions) && size(self.conditions) > 0)",
    message = "mode Conditional needs at least one entry in conditions",
    reason = "FieldValueRequired")
public class Strategy {

  @JsonPropertyDescription(
      "Single, LoadBalance (by weight), Fallback (in order), Conditional (first matching condition) or Adaptive (by observed latency, errors and cost).")
  @Required
  private StrategyMode mode;

  @JsonPropertyDescription(
      "Which failures move on to the next target. Absent: status codes 429, 500, 502, 503, 504, timeouts and connection errors.")
  private FallbackOn fallbackOn;

  @JsonPropertyDescription(
      "Conditional mode: rules tried in order; the first that matches picks the target.")
  @Size(max = 32)
  private List<ConditionalRule> conditions;

  @JsonProperty("default")
  @JsonPropertyDescription(
      "Conditional mode: the target name used when no condition matches. Absent: the first target.")
  @Pattern(ValidationPatterns.DNS_LABEL)
  @Size(min = 1, max = 63)
  private String defaultTarget;

  @JsonPropertyDescription(
      "Race the next target when the current one has sent no first byte in time. Absent: no hedging.")
  private Hedge hedge;

  @JsonPropertyDescription(
      "Adaptive mode: how much latency, errors and cost count when scoring targets.")
  private Adaptive adaptive;

  public StrategyMode getMode() {
    return mode;
  }

  public void setMode(StrategyMode mode) {
    this.mode = mode;
  }

  public FallbackOn getFallbackOn() {
    return fallbackOn;
  }

  public void setFallbackOn(FallbackOn fallbackOn) {
    this.fallbackOn = fallbackOn;
  }

  public List<ConditionalRule> getConditions() {
    return conditions;
  }

  public void setConditions(List<ConditionalRule> conditions) {
    this.conditions = conditions;
  }

  public String getDefaultTarget() {
    return defaultTarget;
  }

  public void setDefaultTarget(String defaultTarget) {
    this.defaultTarget = defaultTarget;
  }

  public Hedge getHedge() {
    return hedge;
  }

  public void setHedge(Hedge hedge) {
    this.hedge = hedge;
  }

  public Adaptive getAdaptive() {
    return adaptive;
  }

  public void setAdaptive(Adaptive adaptive) {
    this.adaptive = adaptive;
  }
}
