package dev.portcullis.gateway.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.api.snapshot.RouteConfig;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.http.GatewayException;
import dev.portcullis.gateway.routing.RequestAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a template into an OpenAI chat completions request, for a prompt request ({@link
 * #render}) and for a plain chat request to a route with a default template ({@link
 * #applyRouteDefault}). Stateless apart from its random source; one instance serves every request.
 *
 * <p>Both paths follow the same rules: the version is the body's {@code version}, else the
 * rollout's pick (sticky on the template's {@code stickyOn} attribute when the request has it); the
 * body's {@code variables} must be declared, required ones present, defaults fill the rest; the
 * rendered messages come first, then the caller's own {@code messages}; the version's params are
 * the defaults and every other body field overrides them, {@code stream} included. Errors are
 * {@link GatewayException}s with a 400 and a code ({@code missing_variable}, {@code
 * unknown_variable}, {@code unknown_version}, …) whose {@code param} points at the field.
 */
public final class PromptRenderer {
  /** Body fields that steer the rendering and never reach the upstream. */
  static final String VARIABLES = "variables";

  static final String VERSION = "version";

  private static final Set<String> PROMPT_FIELDS = Set.of(VARIABLES, VERSION, "messages", "model");
  private static final Set<String> ROUTE_DEFAULT_FIELDS = Set.of(VARIABLES, VERSION, "messages");

  private final RolloutPicker picker;

  /** A renderer that draws non-sticky picks at random. */
  public PromptRenderer() {
    this(new RolloutPicker());
  }

  PromptRenderer(RolloutPicker picker) {
    this.picker = picker;
  }

  /**
   * Renders a prompt request ({@code POST /v1/prompts/{name}/render} or {@code …/completions}).
   *
   * <p>The request goes to the version's {@code route}, else to the route that names the template
   * as its default; its {@code model} is that route's model name. Only a template with neither
   * takes the body's {@code model}, resolved as for {@code /v1/chat/completions}.
   *
   * @param body the request body, a JSON object: {@code {"variables": {…}, "version"?, "stream"?,
   *     "messages"?, …params}}
   * @param attributes the request's attributes, read for the template's {@code stickyOn}
   * @throws GatewayException 400 for a bad version, variable, model or messages field
   */
  public RenderedPrompt render(
      CompiledPrompt prompt, ObjectNode body, RequestAttributes attributes) {
    CompiledVersion version = chooseVersion(prompt, body, attributes);
    Map<String, Object> values = values(prompt, body);
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    RouteConfig route = prompt.routeFor(version);
    String routeRef;
    if (route != null) {
      request.put("model", modelName(prompt, route));
      checkModel(prompt, version, route, body.get("model"));
      routeRef = route.id().qualifiedName();
    } else if (version.route() != null) {
      throw new GatewayException(
          ErrorKind.UNAVAILABLE,
          "prompt_route_unavailable",
          "Prompt template "
              + prompt.qualifiedName()
              + " version "
              + version.name()
              + " is sent to route "
              + version.route()
              + ", which is not ready on this gateway.");
    } else {
      JsonNode model = body.get("model");
      if (model == null || !model.isTextual() || model.asText().isBlank()) {
        throw badRequest(
            "missing_model",
            "Prompt template "
                + prompt.qualifiedName()
                + " names no route and no LLMRoute uses it as its promptTemplate: send the model"
                + " to use in the body's model field.",
            "model");
      }
      request.put("model", model.asText());
      routeRef = null;
    }
    request.set("messages", messages(prompt, version, values, body));
    request.setAll(version.paramsCopy());
    overrideParams(request, body, PROMPT_FIELDS);
    return new RenderedPrompt(
        request, prompt.qualifiedName(), version.name(), routeRef, prompt.id().uid());
  }

  /**
   * Applies a route's default template ({@code LLMRoute.spec.promptTemplate}) to a plain chat
   * completions request for that route: the template renders with the body's {@code variables}
   * (none sent: the defaults), its messages come before the caller's own {@code messages}, the
   * version's params are defaults the body overrides, and {@code variables} and {@code version} are
   * removed. The caller's {@code model} stays, and the request stays on {@code route}: a version's
   * own {@code route} applies to prompt requests only.
   *
   * @param body the chat completions request body
   * @throws GatewayException 400 for a bad version, variable or messages field
   */
  public RenderedPrompt applyRouteDefault(
      CompiledPrompt prompt, RouteConfig route, ObjectNode body, RequestAttributes attributes) {
    CompiledVersion version = chooseVersion(prompt, body, attributes);
    Map<String, Object> values = values(prompt, body);
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    if (body.has("model")) {
      request.set("model", body.get("model").deepCopy());
    }
    request.set("messages", messages(prompt, version, values, body));
    request.setAll(version.paramsCopy());
    overrideParams(request, body, ROUTE_DEFAULT_FIELDS);
    return new RenderedPrompt(
        request,
        prompt.qualifiedName(),
        version.name(),
        route.id().qualifiedName(),
        prompt.id().uid());
  }

  private CompiledVersion chooseVersion(
      CompiledPrompt prompt, ObjectNode body, RequestAttributes attributes) {
    JsonNode asked = body.get(VERSION);
    String name;
    if (asked == null || asked.isNull()) {
      PromptTemplateConfig config = prompt.config();
      name = picker.pick(prompt.qualifiedName(), config.rollout(), stickyValue(config, attributes));
    } else if (!asked.isTextual()) {
      throw badRequest(
          "invalid_version",
          "version must be the name of a version of prompt template "
              + prompt.qualifiedName()
              + " ("
              + String.join(", ", prompt.versionNames())
              + ").",
          VERSION);
    } else {
      name = asked.asText();
    }
    CompiledVersion version = prompt.version(name);
    if (version == null) {
      throw badRequest(
          "unknown_version",
          "Prompt template "
              + prompt.qualifiedName()
              + " has no version '"
              + name
              + "'; its versions are "
              + String.join(", ", prompt.versionNames())
              + ".",
          VERSION);
    }
    return version;
  }

  /**
   * The caller's value of the template's {@code stickyOn} attribute ({@code metadata.<key>}, {@code
   * params.<name>}, {@code headers.<name>}; a bare {@code user} means {@code params.user}), or null
   * when the template has none or the request does not carry it.
   */
  private static String stickyValue(PromptTemplateConfig config, RequestAttributes attributes) {
    String on = config.stickyOn();
    if (on == null) {
      return null;
    }
    JsonNode value = attributes.get("user".equals(on) ? "params.user" : on);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    String text = value.isValueNode() ? value.asText() : value.toString();
    return text.isEmpty() ? null : text;
  }

  /**
   * The values the template renders with: the body's variables, checked against the declared ones,
   * then the defaults. An undeclared name is reported before a missing one, since a misspelled
   * variable causes both and the undeclared name points at the typo.
   */
  private static Map<String, Object> values(CompiledPrompt prompt, ObjectNode body) {
    JsonNode given = body.get(VARIABLES);
    if (given == null || given.isNull()) {
      given = JsonNodeFactory.instance.objectNode();
    } else if (!given.isObject()) {
      throw badRequest(
          "invalid_variables",
          "variables must be a JSON object of variable names to values, e.g. {\"question\": \"…\"}.",
          VARIABLES);
    }
    Map<String, PromptTemplateConfig.Variable> declared = prompt.variables();
    Map<String, Object> values = new HashMap<>();
    for (Map.Entry<String, JsonNode> field : given.properties()) {
      if (!declared.containsKey(field.getKey())) {
        throw badRequest(
            "unknown_variable",
            "Prompt template "
                + prompt.qualifiedName()
                + " has no variable '"
                + field.getKey()
                + "'; its variables are "
                + (declared.isEmpty() ? "none" : String.join(", ", declared.keySet()))
                + ".",
            VARIABLES + "." + field.getKey());
      }
      if (!field.getValue().isNull()) {
        values.put(field.getKey(), plain(field.getValue()));
      }
    }
    for (PromptTemplateConfig.Variable variable : declared.values()) {
      if (values.containsKey(variable.name())) {
        continue;
      }
      if (variable.defaultValue() != null) {
        values.put(variable.name(), variable.defaultValue());
      } else if (variable.required()) {
        throw badRequest(
            "missing_variable",
            "Prompt template "
                + prompt.qualifiedName()
                + " requires variable '"
                + variable.name()
                + "'; send it in variables.",
            VARIABLES + "." + variable.name());
      }
    }
    return values;
  }

  /**
   * A JSON value as Mustache reads it: text, number and boolean as themselves, arrays as lists (a
   * section repeats over them), objects as maps (a section reads their fields).
   */
  private static Object plain(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isNumber()) {
      return node.numberValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      for (JsonNode element : node) {
        list.add(element.isNull() ? "" : plain(element));
      }
      return list;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (!field.getValue().isNull()) {
          map.put(field.getKey(), plain(field.getValue()));
        }
      }
      return map;
    }
    return node.asText();
  }

  private static ArrayNode messages(
      CompiledPrompt prompt, CompiledVersion version, Map<String, Object> values, ObjectNode body) {
    ArrayNode messages = JsonNodeFactory.instance.arrayNode();
    for (CompiledVersion.Message message : version.messages()) {
      ObjectNode m = messages.addObject();
      m.put("role", message.role());
      m.put("content", message.content().render(values));
    }
    JsonNode own = body.get("messages");
    if (own != null && !own.isNull()) {
      if (!own.isArray()) {
        throw badRequest(
            "invalid_messages",
            "messages must be a list of chat messages; prompt template "
                + prompt.qualifiedName()
                + " puts its own first.",
            "messages");
      }
      for (JsonNode m : own) {
        messages.add(m.deepCopy());
      }
    }
    return messages;
  }

  /** Copies every body field but the {@code steering} ones over the version's params. */
  private static void overrideParams(ObjectNode request, ObjectNode body, Set<String> steering) {
    for (Map.Entry<String, JsonNode> field : body.properties()) {
      if (!steering.contains(field.getKey())) {
        request.set(field.getKey(), field.getValue().deepCopy());
      }
    }
  }

  /**
   * The model name that reaches {@code route} from the template's namespace: the bare name for a
   * route of that namespace, {@code namespace/model} for one shared from another.
   */
  private static String modelName(CompiledPrompt prompt, RouteConfig route) {
    return route.id().namespace().equals(prompt.id().namespace())
        ? route.model()
        : route.id().namespace() + "/" + route.model();
  }

  /**
   * A prompt request's own {@code model} may repeat the route's but not name another: the template
   * decides where it goes, and silently sending it elsewhere than asked would surprise.
   */
  private static void checkModel(
      CompiledPrompt prompt, CompiledVersion version, RouteConfig route, JsonNode model) {
    if (model == null || model.isNull()) {
      return;
    }
    String asked = model.asText();
    boolean same =
        asked.equals(route.model())
            || asked.equals(route.id().namespace() + "/" + route.model())
            || route.aliases().contains(asked);
    if (!same) {
      throw badRequest(
          "model_not_allowed",
          "Prompt template "
              + prompt.qualifiedName()
              + " version "
              + version.name()
              + " is sent to model '"
              + route.model()
              + "' (route "
              + route.id().qualifiedName()
              + "); leave model out of the body.",
          "model");
    }
  }

  private static GatewayException badRequest(String code, String message, String param) {
    return new GatewayException(ErrorKind.BAD_REQUEST, code, message, param);
  }
}
