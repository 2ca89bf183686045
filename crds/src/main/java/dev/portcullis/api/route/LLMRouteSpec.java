package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.portcullis.api.Durations;
import dev.portcullis.api.ObjectRef;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The desired state of an LLMRoute. */
@JsonClassDescription("The desired state of an LLMRoute.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.strategy) || !has(self.strategy.conditions) || self.strategy.conditions.all(c, self.targets.exists(t, t.name == c.target))",
    message = "every strategy.conditions[].target must name one of spec.targets",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.strategy) || !has(self.strategy.default) || self.targets.exists(t, t.name == self.strategy.default)",
    message = "strategy.default must name one of spec.targets",
    reason = "FieldValueInvalid")
public class LLMRouteSpec {

  @JsonPropertyDescription(
      "The model name clients send in the request's \"model\" field to use this route.")
  @Required
  @Size(min = 1, max = 253)
  private String model;

  @JsonPropertyDescription("Further model names that select this route.")
  @Size(max = 16)
  private List<String> aliases;

  @JsonPropertyDescription("How a target is chosen for each request. Absent: Single.")
  private Strategy strategy;

  @JsonPropertyDescription(
      "Where requests go: provider endpoints or other LLMRoutes, in order. Names must be unique.")
  @Required
  @Size(min = 1, max = 32)
  @ValidationRule(
      value = "self.all(t, self.exists_one(u, u.name == t.name))",
      message = "target names must be unique")
  private List<Target> targets;

  @JsonPropertyDescription(
      "Retries of a failed attempt on the same target, before any byte reached the client. Absent: no retries.")
  private Retry retry;

  @JsonPropertyDescription(
      "Take a target out of rotation for a while after repeated failures. Absent: no cooldown.")
  private Cooldown cooldown;

  @JsonPropertyDescription(
      "Deadline for the whole request, retries and fallbacks included (e.g. 300s). Absent: none beyond target timeouts.")
  @Pattern(Durations.PATTERN)
  private String timeout;

  @JsonPropertyDescription("Response caching. Absent: disabled.")
  private Cache cache;

  @JsonPropertyDescription("GuardrailPolicies applied to this route's input and output.")
  private GuardrailRefs guardrails;

  @JsonPropertyDescription("A PromptTemplate rendered for requests that name none themselves.")
  private ObjectRef promptTemplate;

  @JsonPropertyDescription(
      "Which other namespaces' VirtualKeys may use this route. Keys from the route's own namespace always may.")
  private Access access;

  @JsonPropertyDescription("What the gateway's access log records for this route.")
  private Logging logging;

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public List<String> getAliases() {
    return aliases;
  }

  public void setAliases(List<String> aliases) {
    this.aliases = aliases;
  }

  public Strategy getStrategy() {
    return strategy;
  }

  public void setStrategy(Strategy strategy) {
    this.strategy = strategy;
  }

  public List<Target> getTargets() {
    return targets;
  }

  public void setTargets(List<Target> targets) {
    this.targets = targets;
  }

  public Retry getRetry() {
    return retry;
  }

  public void setRetry(Retry retry) {
    this.retry = retry;
  }

  public Cooldown getCooldown() {
    return cooldown;
  }

  public void setCooldown(Cooldown cooldown) {
    this.cooldown = cooldown;
  }

  public String getTimeout() {
    return timeout;
  }

  public void setTimeout(String timeout) {
    this.timeout = timeout;
  }

  public Cache getCache() {
    return cache;
  }

  public void setCache(Cache cache) {
    this.cache = cache;
  }

  public GuardrailRefs getGuardrails() {
    return guardrails;
  }

  public void setGuardrails(GuardrailRefs guardrails) {
    this.guardrails = guardrails;
  }

  public ObjectRef getPromptTemplate() {
    return promptTemplate;
  }

  public void setPromptTemplate(ObjectRef promptTemplate) {
    this.promptTemplate = promptTemplate;
  }

  public Access getAccess() {
    return access;
  }

  public void setAccess(Access access) {
    this.access = access;
  }

  public Logging getLogging() {
    return logging;
  }

  public void setLogging(Logging logging) {
    this.logging = logging;
  }
}
