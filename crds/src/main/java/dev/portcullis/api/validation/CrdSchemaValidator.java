package dev.portcullis.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.portcullis.api.Problem;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a Portcullis resource against the OpenAPI schema of its generated CRD, as the API server
 * would before admitting it, so that standalone mode and tests catch what {@code kubectl apply}
 * would reject.
 *
 * <p>The CRDs are read from the classpath ({@value #CRD_RESOURCE_DIR}), where the build puts them.
 * Like {@code kubectl}'s default strict field validation, unknown fields are problems, except below
 * fields that preserve unknown fields (free-form JSON such as {@code params}). The CEL rules
 * ({@code x-kubernetes-validations}) are not evaluated here: the Java validator of the API module
 * checks those rules. Problems use the field paths of {@link Problem}.
 */
public final class CrdSchemaValidator {
  /** Where the build writes the generated CRDs, one {@code <plural>.<group>-v1.yml} per kind. */
  public static final String CRD_RESOURCE_DIR = "META-INF/portcullis/crds/";

  private static final List<Class<? extends CustomResource<?, ?>>> RESOURCE_TYPES =
      List.of(LLMRoute.class, VirtualKey.class, GuardrailPolicy.class, PromptTemplate.class);

  private static final Set<String> KUBERNETES_EXTENSIONS =
      Set.of(
          "x-kubernetes-validations",
          "x-kubernetes-preserve-unknown-fields",
          "x-kubernetes-int-or-string",
          "x-kubernetes-embedded-resource",
          "x-kubernetes-list-type",
          "x-kubernetes-list-map-keys",
          "x-kubernetes-map-type");

  private static final Set<String> NAMES_A_FIELD = Set.of("additionalProperties", "required");

  private final Map<String, JsonSchema> schemasByApiVersionAndKind;

  private CrdSchemaValidator(Map<String, JsonSchema> schemasByApiVersionAndKind) {
    this.schemasByApiVersionAndKind = Map.copyOf(schemasByApiVersionAndKind);
  }

  /** Loads the schemas of all four Portcullis kinds from the classpath. */
  public static CrdSchemaValidator load() {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();
    Map<String, JsonSchema> schemas = new LinkedHashMap<>();
    for (Class<? extends CustomResource<?, ?>> type : RESOURCE_TYPES) {
      String apiVersion = HasMetadata.getApiVersion(type);
      String kind = HasMetadata.getKind(type);
      JsonNode crd = readCrd(yaml, CustomResource.getCRDName(type));
      JsonNode openApiSchema = schemaOfVersion(crd, HasMetadata.getVersion(type));
      schemas.put(
          key(apiVersion, kind), factory.getSchema(toStrictJsonSchema(openApiSchema), config));
    }
    return new CrdSchemaValidator(schemas);
  }

  /**
   * The problems of {@code resource} (a whole object with apiVersion, kind, metadata, spec), in
   * document order; empty when it is valid. Paths look like {@code spec.targets[0].timeouts.total}.
   */
  public List<Problem> validate(JsonNode resource) {
    if (resource == null || !resource.isObject()) {
      return List.of(new Problem("", "a resource must be a mapping (object)"));
    }
    String apiVersion = resource.path("apiVersion").asText("");
    String kind = resource.path("kind").asText("");
    JsonSchema schema = schemasByApiVersionAndKind.get(key(apiVersion, kind));
    if (schema == null) {
      return List.of(
          new Problem(
              "kind",
              "not a Portcullis resource: apiVersion '"
                  + apiVersion
                  + "', kind '"
                  + kind
                  + "'; expected one of "
                  + schemasByApiVersionAndKind.keySet()));
    }
    List<Problem> problems = new ArrayList<>();
    for (ValidationMessage message : schema.validate(resource)) {
      problems.add(new Problem(fieldPath(message), describe(message)));
    }
    problems.sort(Comparator.comparing(Problem::field));
    return List.copyOf(problems);
  }

  /**
   * Whether this validator knows the kind (e.g. {@code portcullis.dev/v1alpha1}, {@code LLMRoute}).
   */
  public boolean supports(String apiVersion, String kind) {
    return schemasByApiVersionAndKind.containsKey(key(apiVersion, kind));
  }

  private static String key(String apiVersion, String kind) {
    return apiVersion + "/" + kind;
  }

  private static JsonNode readCrd(ObjectMapper yaml, String crdName) {
    String resource = CRD_RESOURCE_DIR + crdName + "-v1.yml";
    try (InputStream in = CrdSchemaValidator.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "CRD " + resource + " is not on the classpath; build the crds module first");
      }
      return yaml.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRD " + resource, e);
    }
  }

  private static JsonNode schemaOfVersion(JsonNode crd, String version) {
    for (JsonNode v : crd.path("spec").path("versions")) {
      if (version.equals(v.path("name").asText())) {
        return v.path("schema").path("openAPIV3Schema");
      }
    }
    throw new IllegalStateException(
        "CRD " + crd.path("metadata").path("name").asText() + " has no version " + version);
  }

  /**
   * A JSON-schema (draft 4) copy of a CRD's structural schema: Kubernetes extensions removed, the
   * object envelope (apiVersion, kind, metadata) allowed at the root, and unknown fields forbidden
   * wherever the CRD does not preserve them.
   */
  static ObjectNode toStrictJsonSchema(JsonNode openApiSchema) {
    ObjectNode root = strict(openApiSchema);
    ObjectNode properties = root.with("properties");
    properties.set("apiVersion", typeOnly("string"));
    properties.set("kind", typeOnly("string"));
    properties.set("metadata", typeOnly("object"));
    requireFields(root, "apiVersion", "kind", "metadata");
    return root;
  }

  private static ObjectNode strict(JsonNode schema) {
    ObjectNode copy = schema.deepCopy();
    boolean preservesUnknown = copy.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    for (Iterator<String> names = copy.fieldNames(); names.hasNext(); ) {
      if (KUBERNETES_EXTENSIONS.contains(names.next())) {
        names.remove();
      }
    }
    if (copy.has("properties")) {
      ObjectNode properties = (ObjectNode) copy.get("properties");
      properties.properties().forEach(e -> e.setValue(strict(e.getValue())));
      if (!preservesUnknown) {
        copy.put("additionalProperties", false);
      }
    }
    if (copy.has("items")) {
      copy.set("items", strict(copy.get("items")));
    }
    if (copy.path("additionalProperties").isObject()) {
      copy.set("additionalProperties", strict(copy.get("additionalProperties")));
    }
    return copy;
  }

  private static void requireFields(ObjectNode schema, String... names) {
    ArrayNode required = schema.withArray("required");
    for (String name : names) {
      boolean present = false;
      for (JsonNode existing : required) {
        present |= existing.asText().equals(name);
      }
      if (!present) {
        required.add(name);
      }
    }
  }

  private static ObjectNode typeOnly(String type) {
    return JsonNodeFactory.instance.objectNode().put("type", type);
  }

  /**
   * A path such as {@code spec.targets[0].name}; for an unknown or missing field, the path names
   * that field rather than the object holding it.
   */
  private static String fieldPath(ValidationMessage message) {
    StringBuilder path = new StringBuilder();
    JsonNodePath location = message.getInstanceLocation();
    for (int i = 0; i < location.getNameCount(); i++) {
      appendStep(path, location.getElement(i));
    }
    if (NAMES_A_FIELD.contains(message.getType()) && message.getProperty() != null) {
      appendStep(path, message.getProperty());
    }
    return path.toString();
  }

  private static void appendStep(StringBuilder path, Object step) {
    if (step instanceof Integer index) {
      path.append('[').append(index).append(']');
    } else {
      path.append(path.isEmpty() ? "" : ".").append(step);
    }
  }

  private static String describe(ValidationMessage message) {
    if ("additionalProperties".equals(message.getType())) {
      return "unknown field";
    }
    if ("required".equals(message.getType())) {
      return "required field is missing";
    }
    // The message starts with the location in the validator's own notation; ours is in path.
    String text = message.getMessage();
    String prefix = message.getInstanceLocation() + ": ";
    return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
  }
}
