package dev.portcullis.api.route;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A model name clients send, and how the gateway serves it: targets, strategy, retries, cooldown,
 * cache, guardrails, prompt template and which namespaces may use it.
 */
@JsonClassDescription(
    "LLMRoute: a model name clients send, and how the Portcullis gateway serves it.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@Group(LLMRoute.GROUP)
@Version(LLMRoute.VERSION)
@Kind("LLMRoute")
@Plural("llmroutes")
@Singular("llmroute")
@ShortNames("llmr")
@Categories("portcullis")
@AdditionalPrinterColumn(
    name = "Model",
    jsonPath = ".spec.model",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "The model name clients send")
@AdditionalPrinterColumn(
    name = "Strategy",
    jsonPath = ".status.strategy",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "How targets are chosen")
@AdditionalPrinterColumn(
    name = "Targets",
    jsonPath = ".status.targets",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Target names in order")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING,
    getDescription = "Whether the route is valid, resolved and applied by the fleet")
@AdditionalPrinterColumn(
    name = "Synced",
    jsonPath = ".status.fleet.synced",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1,
    getDescription = "Gateway pods serving this generation")
@AdditionalPrinterColumn(
    name = "Config",
    jsonPath = ".status.configVersion",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    getDescription = "First snapshot version that carried the route as it is now")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class LLMRoute extends CustomResource<LLMRouteSpec, LLMRouteStatus> implements Namespaced {

  public static final String GROUP = "portcullis.dev";
  public static final String VERSION = "v1alpha1";

  // Overridden only to describe spec and status in the CRD schema (kubectl explain).
  @Override
  @JsonPropertyDescription("The desired state of the LLMRoute.")
  public LLMRouteSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("The state of the LLMRoute as observed by the Portcullis operator.")
  public LLMRouteStatus getStatus() {
    return super.getStatus();
  }
}
