package dev.portcullis.api.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.api.validation.CrdSchemaValidator;
import dev.portcullis.api.validation.ResourceValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads a folder of resource YAML for standalone mode, where there is no API server: every {@code
 * *.yaml}/{@code *.yml} file below it (sorted; hidden files and {@code README*} skipped), each
 * possibly holding several documents, each an LLMRoute, VirtualKey, GuardrailPolicy or
 * PromptTemplate ({@code portcullis.dev/v1alpha1}), a {@code v1} Secret, or a {@code v1} List of
 * those. {@code v1} Namespace documents, there for {@code kubectl apply}, are skipped.
 *
 * <p>It does what the API server would have done: defaults the namespace to {@code default}, checks
 * each Portcullis resource against its CRD schema (leaving out those that fail), and folds a
 * Secret's {@code stringData} into {@code data}. Unlike an API server it expands {@code
 * ${env:NAME}} in {@code stringData} values, so provider keys can come from the environment instead
 * of a file; an unset variable leaves its key out and is noted for {@link
 * ManifestSet#describeProblems}.
 *
 * <p>Nothing is fatal but an unreadable folder: every other problem is recorded against its file
 * and the rest is read on.
 */
public final class ManifestReader {
  /** Namespace of resources whose metadata names none, as kubectl's default context would use. */
  public static final String DEFAULT_NAMESPACE = "default";

  private static final String PORTCULLIS_API_VERSION = LLMRoute.GROUP + "/" + LLMRoute.VERSION;
  private static final Map<String, Class<? extends HasMetadata>> PORTCULLIS_KINDS =
      Map.of(
          "LLMRoute", LLMRoute.class,
          "VirtualKey", VirtualKey.class,
          "GuardrailPolicy", GuardrailPolicy.class,
          "PromptTemplate", PromptTemplate.class);
  private static final Set<String> SECRET_FIELDS =
      Set.of("apiVersion", "kind", "metadata", "data", "stringData", "type", "immutable");
  private static final Pattern ENV_PLACEHOLDER =
      Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
  private static final String KINDS_READ =
      "LLMRoute, VirtualKey, GuardrailPolicy, PromptTemplate (apiVersion "
          + PORTCULLIS_API_VERSION
          + "), or Secret and List (apiVersion v1)";

  private static final YAMLFactory YAML = YAMLFactory.builder().build();
  private static final ObjectMapper TREES = new ObjectMapper(YAML);
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final CrdSchemaValidator SCHEMAS = CrdSchemaValidator.load();

  private final Function<String, String> env;
  private final ManifestSet.Builder result = new ManifestSet.Builder();

  private ManifestReader(Function<String, String> env) {
    this.env = env;
  }

  /** Reads {@code dir}, expanding {@code ${env:NAME}} from this process's environment. */
  public static ManifestSet readDirectory(Path dir) {
    return readDirectory(dir, System::getenv);
  }

  /**
   * Reads {@code dir}, expanding {@code ${env:NAME}} with {@code env} (null or empty = unset).
   *
   * @throws UncheckedIOException if the folder cannot be listed
   */
  public static ManifestSet readDirectory(Path dir, Function<String, String> env) {
    ManifestReader reader = new ManifestReader(env);
    for (Path file : manifestFiles(dir)) {
      Path shown = dir.resolve(dir.relativize(file));
      try {
        reader.readDocuments(shown, Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        reader.result.problem(
            new ManifestLocation(shown, 0, 0), null, "", "cannot read the file: " + e);
      }
    }
    return reader.result.build();
  }

  /**
   * Reads the YAML text of one file (shown in problems as {@code file}); for tests and for callers
   * that hold manifests in memory.
   */
  public static ManifestSet readText(Path file, String yaml, Function<String, String> env) {
    ManifestReader reader = new ManifestReader(env);
    reader.readDocuments(file, yaml);
    return reader.result.build();
  }

  private static List<Path> manifestFiles(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths
          .filter(Files::isRegularFile)
          .filter(p -> isManifest(dir.relativize(p)))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list manifest folder " + dir, e);
    }
  }

  private static boolean isManifest(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return false;
      }
    }
    String name = relative.getFileName().toString();
    return !name.startsWith("README") && (name.endsWith(".yaml") || name.endsWith(".yml"));
  }

  private void readDocuments(Path file, String text) {
    int document = 0;
    try (JsonParser parser = YAML.createParser(text)) {
      parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        document++;
        ManifestLocation location =
            new ManifestLocation(file, document, parser.currentTokenLocation().getLineNr());
        JsonNode node = TREES.readTree(parser);
        if (isEmptyDocument(token, node)) {
          continue; // e.g. after a leading or trailing ---
        }
        readDocument(location, node);
      }
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      result.problem(
          new ManifestLocation(file, 0, line), null, "", "not valid YAML: " + yamlError(e));
    } catch (IOException e) {
      result.problem(new ManifestLocation(file, 0, 0), null, "", "cannot read the file: " + e);
    }
  }

  private static boolean isEmptyDocument(JsonToken token, JsonNode node) {
    return token == JsonToken.VALUE_NULL
        || node == null
        || node.isNull()
        || (node.isTextual() && node.asText().isEmpty());
  }

  /**
   * The parser's explanation without the excerpt of the offending line that SnakeYAML adds (its
   * indented lines): that line may hold a secret.
   */
  private static String yamlError(JsonProcessingException e) {
    String message = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
    return message
        .lines()
        .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
        .collect(Collectors.joining("; "));
  }

  private void readDocument(ManifestLocation location, JsonNode node) {
    if (!node.isObject()) {
      result.problem(location, null, "", "a document must be a mapping with apiVersion and kind");
      return;
    }
    String apiVersion = node.path("apiVersion").asText("");
    String kind = node.path("kind").asText("");
    if (PORTCULLIS_API_VERSION.equals(apiVersion) && PORTCULLIS_KINDS.containsKey(kind)) {
      readPortcullisResource(location, (ObjectNode) node, PORTCULLIS_KINDS.get(kind));
    } else if ("v1".equals(apiVersion) && "Secret".equals(kind)) {
      readSecret(location, (ObjectNode) node);
    } else if ("v1".equals(apiVersion) && "Namespace".equals(kind)) {
      // Examples carry Namespaces for kubectl apply; standalone mode has nothing to create.
      return;
    } else if ("v1".equals(apiVersion) && "List".equals(kind)) {
      JsonNode items = node.path("items");
      if (!items.isArray()) {
        result.problem(location, null, "items", "a List needs items, a list of resources");
        return;
      }
      items.forEach(item -> readDocument(location, item));
    } else if (apiVersion.isEmpty() || kind.isEmpty()) {
      result.problem(
          location,
          null,
          apiVersion.isEmpty() ? "apiVersion" : "kind",
          "required field is missing; standalone mode reads " + KINDS_READ);
    } else {
      result.problem(
          location,
          null,
          "kind",
          "kind '"
              + kind
              + "' of apiVersion '"
              + apiVersion
              + "' is not one standalone mode reads; use "
              + KINDS_READ);
    }
  }

  /**
   * Sets the default namespace and returns the resource's reference, or null (with a problem) when
   * the metadata does not name it.
   */
  private ResourceRef prepareMetadata(ManifestLocation location, ObjectNode node, String kind) {
    JsonNode metadata = node.path("metadata");
    if (!metadata.isObject() || !metadata.path("name").isTextual()) {
      result.problem(location, null, "metadata.name", kind + " has no metadata.name");
      return null;
    }
    ObjectNode meta = (ObjectNode) metadata;
    if (!meta.path("namespace").isTextual() || meta.path("namespace").asText().isEmpty()) {
      meta.put("namespace", DEFAULT_NAMESPACE);
    }
    return new ResourceRef(kind, meta.path("namespace").asText(), meta.path("name").asText());
  }

  private void readPortcullisResource(
      ManifestLocation location, ObjectNode node, Class<? extends HasMetadata> type) {
    ResourceRef ref = prepareMetadata(location, node, node.path("kind").asText());
    if (ref == null) {
      return;
    }
    List<Problem> problems = SCHEMAS.validate(node);
    if (!problems.isEmpty()) {
      explainBetter(problems, node, type).forEach(p -> result.problem(location, ref, p));
      return;
    }
    HasMetadata resource;
    try {
      resource = SERIALIZATION.convertValue(node, type);
    } catch (IllegalArgumentException e) {
      result.problem(location, ref, "", "cannot be read as " + ref.kind() + ": " + e.getMessage());
      return;
    }
    result.resource(new ManifestEntry<>(resource, location));
  }

  /**
   * The schema's problems, each replaced by the Java validator's at the same field where it has
   * one: "'30x' is not a duration: use a number with a unit..." says more than the schema's "does
   * not match the regex pattern ...".
   */
  private static List<Problem> explainBetter(
      List<Problem> schemaProblems, ObjectNode node, Class<? extends HasMetadata> type) {
    Map<String, List<Problem>> javaProblems;
    try {
      javaProblems =
          ResourceValidator.validate(SERIALIZATION.convertValue(node, type)).stream()
              .collect(Collectors.groupingBy(Problem::field));
    } catch (IllegalArgumentException e) {
      // Not even readable as the type: the schema's words, with the value they are about.
      return schemaProblems.stream().map(p -> withValue(p, node)).toList();
    }
    List<Problem> problems = new ArrayList<>();
    Set<String> replaced = new HashSet<>();
    for (Problem problem : schemaProblems) {
      List<Problem> better = javaProblems.get(problem.field());
      if (better == null) {
        problems.add(withValue(problem, node));
      } else if (replaced.add(problem.field())) {
        problems.addAll(better);
      }
    }
    return problems;
  }

  private static final Pattern PATH_STEP = Pattern.compile("([^.\\[]+)|\\[(\\d+)]");

  /**
   * Puts the offending value in front of a schema message that is about a value ("does not have a
   * value in the enumeration ..." says which values are allowed but not which one was given).
   * Portcullis resources hold no secrets, so quoting their values is safe.
   */
  private static Problem withValue(Problem problem, JsonNode resource) {
    String message = problem.message();
    if (!message.startsWith("does not") && !message.endsWith("expected")) {
      return problem;
    }
    JsonNode value = resource;
    Matcher step = PATH_STEP.matcher(problem.field());
    while (step.find() && value != null) {
      value =
          step.group(1) != null
              ? value.get(step.group(1))
              : value.get(Integer.parseInt(step.group(2)));
    }
    if (value == null || !value.isValueNode()) {
      return problem;
    }
    return new Problem(problem.field(), "'" + value.asText() + "' " + message);
  }

  private void readSecret(ManifestLocation location, ObjectNode node) {
    ResourceRef ref = prepareMetadata(location, node, "Secret");
    if (ref == null) {
      return;
    }
    boolean valid = true;
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!SECRET_FIELDS.contains(name)) {
        result.problem(location, ref, name, "unknown field");
        valid = false;
      }
    }
    valid &= stringsOnly(location, ref, node, "data");
    valid &= stringsOnly(location, ref, node, "stringData");
    if (!valid) {
      return;
    }
    foldStringData(ref, node);
    Secret secret;
    try {
      secret = SERIALIZATION.convertValue(node, Secret.class);
    } catch (IllegalArgumentException e) {
      // Jackson's message might quote a value; say only where.
      result.problem(location, ref, "", "cannot be read as a Secret; check its data and metadata");
      return;
    }
    result.resource(new ManifestEntry<>(secret, location));
  }

  private boolean stringsOnly(
      ManifestLocation location, ResourceRef ref, ObjectNode node, String field) {
    JsonNode map = node.get(field);
    if (map == null || map.isNull()) {
      return true;
    }
    if (!map.isObject()) {
      result.problem(location, ref, field, "must be a mapping of key to value");
      return false;
    }
    boolean valid = true;
    for (Map.Entry<String, JsonNode> entry : map.properties()) {
      if (!entry.getValue().isTextual()) {
        result.problem(
            location,
            ref,
            field + "." + entry.getKey(),
            "must be a string; put the value in quotes");
        valid = false;
      }
    }
    return valid;
  }

  /**
   * What the API server does on write: each {@code stringData} entry becomes a base64 {@code data}
   * entry (winning over one of the same key). Here {@code ${env:NAME}} is expanded first; a value
   * naming an unset variable leaves the key out, so a reference to it fails like a missing key.
   */
  private void foldStringData(ResourceRef ref, ObjectNode node) {
    JsonNode stringData = node.remove("stringData");
    if (stringData == null || stringData.isNull()) {
      return;
    }
    ObjectNode data =
        node.path("data").isObject() ? (ObjectNode) node.get("data") : node.putObject("data");
    for (Map.Entry<String, JsonNode> entry : stringData.properties()) {
      String key = entry.getKey();
      String value = expand(ref, key, entry.getValue().asText());
      if (value == null) {
        data.remove(key);
      } else {
        data.put(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  /** The value with its placeholders filled in, or null if a variable is unset or empty. */
  private String expand(ResourceRef secret, String key, String value) {
    Matcher placeholder = ENV_PLACEHOLDER.matcher(value);
    StringBuilder expanded = new StringBuilder();
    Map<String, String> seen = new HashMap<>();
    List<String> missing = new ArrayList<>();
    while (placeholder.find()) {
      String name = placeholder.group(1);
      String replacement = seen.computeIfAbsent(name, n -> env.apply(n));
      if (replacement == null || replacement.isEmpty()) {
        missing.add(name);
        replacement = "";
      }
      placeholder.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
    }
    placeholder.appendTail(expanded);
    if (!missing.isEmpty()) {
      missing.stream()
          .distinct()
          .forEach(name -> result.missing(new MissingEnvironmentVariable(secret, key, name)));
      return null;
    }
    return expanded.toString();
  }
}
