package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.ObjectRef;
import dev.portcullis.api.Provider;
import dev.portcullis.api.ValidationPatterns;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where a route sends requests: a provider endpoint or another LLMRoute. */
@JsonClassDescription("Where a route sends requests: a provider endpoint or another LLMRoute.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.provider) != has(self.route)",
    message = "a target sets exactly one of provider or route",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.provider) || self.provider != 'openai-compatible' || has(self.baseUrl)",
    message = "provider openai-compatible needs baseUrl",
    reason = "FieldValueRequired")
@ValidationRule(
    value =
        "!has(self.route) || !(has(self.model) || has(self.baseUrl) || has(self.credentials) || has(self.azure) || has(self.pricing) || has(self.limits))",
    message =
        "a target that is another route takes no provider settings (model, baseUrl, credentials, azure, pricing, limits)",
    reason = "FieldValueForbidden")
public class Target {

  @JsonPropertyDescription(
      "Name of the target, unique in the route; shown in the x-portcullis-target header and metrics.")
  @Required
  @Pattern(ValidationPatterns.DNS_LABEL)
  @Size(min = 1, max = 63)
  private String name;

  @JsonPropertyDescription(
      "The upstream provider: openai, azure-openai, anthropic, gemini, openai-compatible, bedrock or echo. Exactly one of provider and route is set.")
  private Provider provider;

  @JsonPropertyDescription(
      "Another LLMRoute serving this target; cycles are rejected. Exactly one of provider and route is set.")
  private ObjectRef route;

  @JsonPropertyDescription("The upstream model name. Absent: the model the client sent.")
  @Size(max = 253)
  private String model;

  @JsonPropertyDescription(
      "The upstream base URL, e.g. https://api.openai.com/v1. Absent: the provider's default. Required for openai-compatible.")
  @Pattern(ValidationPatterns.HTTP_URL)
  @Size(max = 2048)
  private String baseUrl;

  @JsonPropertyDescription(
      "Where the upstream API key is kept. Absent: none (echo, or keyless servers).")
  private Credentials credentials;

  @JsonPropertyDescription("LoadBalance weight relative to the other targets. Absent: 1.")
  @Min(1)
  @Max(10000)
  private Integer weight;

  @JsonPropertyDescription("Per-attempt time limits for this target.")
  private Timeouts timeouts;

  @JsonPropertyDescription(
      "Request parameters forced onto every request to this target (e.g. temperature), overriding the client's.")
  @PreserveUnknownFields
  private ObjectNode params;

  @JsonPropertyDescription("Azure OpenAI deployment settings (provider azure-openai).")
  private AzureSettings azure;

  @JsonPropertyDescription(
      "USD per million tokens, for cost accounting and budgets. Absent: the built-in price table.")
  private Pricing pricing;

  @JsonPropertyDescription(
      "The upstream's own quota, enforced fleet-wide so the gateway backs off before the provider does.")
  private TargetLimits limits;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Provider getProvider() {
    return provider;
  }

  public void setProvider(Provider provider) {
    this.provider = provider;
  }

  public ObjectRef getRoute() {
    return route;
  }

  public void setRoute(ObjectRef route) {
    this.route = route;
  }

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  public void setBaseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public Credentials getCredentials() {
    return credentials;
  }

  public void setCredentials(Credentials credentials) {
    this.credentials = credentials;
  }

  public Integer getWeight() {
    return weight;
  }

  public void setWeight(Integer weight) {
    this.weight = weight;
  }

  public Timeouts getTimeouts() {
    return timeouts;
  }

  public void setTimeouts(Timeouts timeouts) {
    this.timeouts = timeouts;
  }

  public ObjectNode getParams() {
    return params;
  }

  public void setParams(ObjectNode params) {
    this.params = params;
  }

  public AzureSettings getAzure() {
    return azure;
  }

  public void setAzure(AzureSettings azure) {
    this.azure = azure;
  }

  public Pricing getPricing() {
    return pricing;
  }

  public void setPricing(Pricing pricing) {
    this.pricing = pricing;
  }

  public TargetLimits getLimits() {
    return limits;
  }

  public void setLimits(TargetLimits limits) {
    this.limits = limits;
  }
}
