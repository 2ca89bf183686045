package dev.portcullis.api.fleet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig;
import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.api.snapshot.RouteConfig.CacheConfig.CacheMode;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.api.snapshot.TargetConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a gateway enforces, announced when it connects to the config service (in {@value
 * FleetProtocol#CAPABILITIES_HEADER} on the snapshot stream's request), and the rule that says
 * which snapshot entries need what. Both ends use {@link #notEnforced}: the gateway to answer each
 * version with the entries it cannot enforce, the operator for gateways too old to say so.
 *
 * <p>What an entry needs:
 *
 * <ul>
 *   <li>a GuardrailPolicy: every check type it uses ({@code guardrail/<type>});
 *   <li>a PromptTemplate: prompt templates ({@value #PROMPT_TEMPLATES});
 *   <li>an LLMRoute: its cache mode unless disabled ({@code cache/<mode>}), and everything its
 *       input and output guardrail policies, its prompt template and the routes it targets need.
 * </ul>
 *
 * Endpoints are announced for the operator's view of the fleet; no entry needs one yet (routes do
 * not name the endpoints they serve).
 *
 * @param version the capability vocabulary the gateway speaks: {@value #VERSION} now; 0 is {@link
 *     #BASELINE}, what a gateway that announces nothing is taken to enforce
 * @param endpoints client paths served, e.g. {@code /v1/chat/completions}
 * @param guardrailCheckTypes guardrail check types enforced, as named in the CRD ({@code regex},
 *     {@code pii}, ...)
 * @param promptTemplates whether prompt templates are rendered
 * @param cacheModes cache modes served besides {@code DISABLED}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GatewayCapabilities(
    int version,
    Set<String> endpoints,
    Set<String> guardrailCheckTypes,
    boolean promptTemplates,
    Set<CacheMode> cacheModes) {

  /** The vocabulary this build speaks. */
  public static final int VERSION = 1;

  /** The capability name of prompt templates. */
  public static final String PROMPT_TEMPLATES = "prompt-templates";

  /**
   * What a gateway that announces nothing enforces: gateways built before capabilities existed
   * applied guardrail policies, templates and cache settings without enforcing any of them.
   */
  public static final GatewayCapabilities BASELINE =
      new GatewayCapabilities(0, Set.of(), Set.of(), false, Set.of());

  private static final ObjectMapper JSON = new ObjectMapper();

  @JsonCreator
  public GatewayCapabilities(
      @JsonProperty("version") int version,
      @JsonProperty("endpoints") Set<String> endpoints,
      @JsonProperty("guardrailCheckTypes") Set<String> guardrailCheckTypes,
      @JsonProperty("promptTemplates") boolean promptTemplates,
      @JsonProperty("cacheModes") Set<CacheMode> cacheModes) {
    this.version = version;
    this.endpoints = endpoints == null ? Set.of() : Set.copyOf(endpoints);
    this.guardrailCheckTypes =
        guardrailCheckTypes == null ? Set.of() : Set.copyOf(guardrailCheckTypes);
    this.promptTemplates = promptTemplates;
    this.cacheModes =
        cacheModes == null
            ? Set.of()
            : Set.copyOf(cacheModes.stream().filter(m -> m != CacheMode.DISABLED).toList());
  }

  /** The announcement as sent in {@value FleetProtocol#CAPABILITIES_HEADER}: one line of JSON. */
  public String toHeader() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The capabilities announced in a header value; {@link #BASELINE} when there is none (a gateway
   * older than capabilities).
   *
   * @throws IllegalArgumentException when the value is not an announcement
   */
  public static GatewayCapabilities fromHeader(String value) {
    if (value == null || value.isBlank()) {
      return BASELINE;
    }
    try {
      GatewayCapabilities announced = JSON.readValue(value, GatewayCapabilities.class);
      if (announced == null || announced.version() < 1) {
        throw new IllegalArgumentException(
            FleetProtocol.CAPABILITIES_HEADER + " must name a capability version of 1 or more");
      }
      return announced;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          FleetProtocol.CAPABILITIES_HEADER + " is not a capability announcement (JSON object)");
    }
  }

  /** Every capability as one name, sorted: {@code endpoint/...}, {@code guardrail/...}, ... */
  public Set<String> names() {
    Set<String> names = new TreeSet<>();
    endpoints.forEach(e -> names.add("endpoint" + e));
    guardrailCheckTypes.forEach(t -> names.add(guardrail(t)));
    if (promptTemplates) {
      names.add(PROMPT_TEMPLATES);
    }
    cacheModes.forEach(m -> names.add(cache(m)));
    return names;
  }

  /** The entries of {@code snapshot} this gateway cannot enforce, policies, templates, routes. */
  public List<NotEnforced> notEnforced(Snapshot snapshot) {
    return notEnforced(snapshot.routes(), snapshot.policies(), snapshot.templates());
  }

  /**
   * The entries among these that this gateway cannot enforce: policies first, then templates, then
   * routes, each in the order given.
   */
  public List<NotEnforced> notEnforced(
      Collection<RouteConfig> routes,
      Collection<GuardrailPolicyConfig> policies,
      Collection<PromptTemplateConfig> templates) {
    List<NotEnforced> out = new ArrayList<>();
    Map<String, Set<String>> policyNeeds = new HashMap<>();
    for (GuardrailPolicyConfig policy : policies) {
      Set<String> missing = new TreeSet<>();
      for (GuardrailPolicyConfig.Check check : policy.checks()) {
        if (!guardrailCheckTypes.contains(check.type())) {
          missing.add(guardrail(check.type()));
        }
      }
      if (!missing.isEmpty()) {
        String name = policy.id().qualifiedName();
        policyNeeds.put(name, missing);
        out.add(
            new NotEnforced(
                "GuardrailPolicy",
                name,
                List.copyOf(missing),
                "needs " + String.join(", ", missing) + ", which this gateway does not enforce"));
      }
    }
    Set<String> templatesMissing = new TreeSet<>();
    if (!promptTemplates) {
      for (PromptTemplateConfig template : templates) {
        String name = template.id().qualifiedName();
        templatesMissing.add(name);
        out.add(
            new NotEnforced(
                "PromptTemplate",
                name,
                List.of(PROMPT_TEMPLATES),
                "needs " + PROMPT_TEMPLATES + ", which this gateway does not enforce"));
      }
    }
    // Routes: their own needs first, then what the routes they target need, until nothing moves
    // (the resolver rejects cycles; the bound only guards a snapshot built by hand).
    Map<String, RouteConfig> byName = new HashMap<>();
    routes.forEach(r -> byName.put(r.id().qualifiedName(), r));
    Map<String, Set<String>> routeNeeds = new HashMap<>();
    Map<String, List<String>> why = new HashMap<>();
    for (RouteConfig route : routes) {
      Set<String> missing = new TreeSet<>();
      List<String> reasons = new ArrayList<>();
      CacheMode mode = route.cache() == null ? CacheMode.DISABLED : route.cache().mode();
      if (mode != CacheMode.DISABLED && !cacheModes.contains(mode)) {
        missing.add(cache(mode));
        reasons.add("cache mode " + mode.name().toLowerCase(Locale.ROOT) + " needs " + cache(mode));
      }
      List<String> guardrails = new ArrayList<>(route.inputGuardrails());
      guardrails.addAll(route.outputGuardrails());
      for (String policy : new TreeSet<>(guardrails)) {
        Set<String> needs = policyNeeds.get(policy);
        if (needs != null) {
          missing.addAll(needs);
          reasons.add("guardrail policy " + policy + " needs " + String.join(", ", needs));
        }
      }
      if (route.promptTemplate() != null && templatesMissing.contains(route.promptTemplate())) {
        missing.add(PROMPT_TEMPLATES);
        reasons.add("prompt template " + route.promptTemplate() + " needs " + PROMPT_TEMPLATES);
      }
      if (!missing.isEmpty()) {
        routeNeeds.put(route.id().qualifiedName(), missing);
        why.put(route.id().qualifiedName(), reasons);
      }
    }
    boolean moved = true;
    for (int round = 0; moved && round <= routes.size(); round++) {
      moved = false;
      for (RouteConfig route : routes) {
        String name = route.id().qualifiedName();
        for (TargetConfig target : route.targets()) {
          Set<String> needs = target.isRoute() ? routeNeeds.get(target.route()) : null;
          if (needs == null || target.route().equals(name)) {
            continue;
          }
          Set<String> mine = routeNeeds.computeIfAbsent(name, n -> new TreeSet<>());
          String reason = "target route " + target.route() + " is not enforced";
          List<String> reasons = why.computeIfAbsent(name, n -> new ArrayList<>());
          if (!reasons.contains(reason)) {
            reasons.add(reason);
            moved = true;
          }
          if (mine.addAll(needs)) {
            moved = true;
          }
        }
      }
    }
    for (RouteConfig route : routes) {
      String name = route.id().qualifiedName();
      Set<String> missing = routeNeeds.get(name);
      if (missing != null) {
        out.add(
            new NotEnforced(
                "LLMRoute",
                name,
                List.copyOf(missing),
                String.join("; ", why.get(name)) + ", which this gateway does not enforce"));
      }
    }
    return out;
  }

  private static String guardrail(String type) {
    return "guardrail/" + type;
  }

  private static String cache(CacheMode mode) {
    return "cache/" + mode.name().toLowerCase(Locale.ROOT);
  }
}
