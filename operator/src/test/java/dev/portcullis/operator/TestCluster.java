package dev.portcullis.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.route.LLMRoute;
import dev.portcullis.api.validation.CrdSchemaValidator;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Resources in the fabric8 mock API server, written as YAML so tests read like manifests. */
public final class TestCluster {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static final List<String> CRDS =
      List.of("llmroutes", "virtualkeys", "guardrailpolicies", "prompttemplates");

  final KubernetesClient client;

  TestCluster(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the generated CRDs first, so the mock keeps status apart from spec as a real one. */
  static void installCrds(KubernetesClient client) {
    for (String plural : CRDS) {
      try (InputStream in = crd(plural)) {
        CustomResourceDefinition crd =
            client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The generated CRD of {@code plural} (e.g. {@code llmroutes}), from the classpath. */
  static InputStream crd(String plural) {
    return TestCluster.class
        .getClassLoader()
        .getResourceAsStream(
            CrdSchemaValidator.CRD_RESOURCE_DIR + plural + ".portcullis.dev-v1.yml");
  }

  /** Creates the namespace unless it exists. */
  void namespace(String name) {
    if (client.namespaces().withName(name).get() == null) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
  }

  /** A namespace name no other test uses. */
  public static String freshNamespace() {
    return "ns-" + NAMESPACES.incrementAndGet();
  }

  static Path tokenFile(String token) {
    try {
      Path file = Files.createTempFile("fleet-token", ".txt");
      Files.writeString(file, token + "\n");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository's {@code examples/} folder. */
  static Path examples() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path examples = dir.resolve("examples");
      if (Files.isDirectory(examples) && Files.exists(dir.resolve("pom.xml"))) {
        return examples;
      }
    }
    throw new IllegalStateException("no examples/ folder above " + Path.of("").toAbsolutePath());
  }

  /**
   * Applies the YAML files of {@code examples/<name>} as {@code kubectl apply -f} would: Namespaces
   * first, then the four kinds, each passed through {@code edit} (to point targets at a fake
   * upstream, say). Documents without a namespace go to {@code namespace}, which is created.
   * Secrets are left out: the examples' key Secrets are for standalone mode (in a cluster the
   * operator mints them), the others hold real providers' keys.
   */
  void applyExample(String name, String namespace, Consumer<ObjectNode> edit) {
    List<ObjectNode> documents = new ArrayList<>();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (Stream<Path> list = Files.list(examples().resolve(name))) {
      for (Path file : list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (var docs = yaml.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
          docs.forEachRemaining(
              d -> {
                if (d instanceof ObjectNode o) {
                  documents.add(o);
                }
              });
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> namespaces = new ArrayList<>(List.of(namespace));
    for (ObjectNode doc : documents) {
      if (doc.path("kind").asText().equals("Namespace")) {
        namespaces.add(doc.path("metadata").path("name").asText());
      }
    }
    namespaces.forEach(this::namespace);
    Map<String, Class<? extends HasMetadata>> kinds =
        Map.of(
            "LLMRoute", LLMRoute.class,
            "VirtualKey", VirtualKey.class,
            "GuardrailPolicy", GuardrailPolicy.class,
            "PromptTemplate", PromptTemplate.class);
    for (ObjectNode doc : documents) {
      Class<? extends HasMetadata> type = kinds.get(doc.path("kind").asText());
      if (type == null) {
        continue;
      }
      ObjectNode metadata = (ObjectNode) doc.path("metadata");
      if (!metadata.hasNonNull("namespace")) {
        metadata.put("namespace", namespace);
      }
      edit.accept(doc);
      createFrom(type, doc);
    }
  }

  private <T extends HasMetadata> void createFrom(Class<T> type, ObjectNode doc) {
    T resource = client.getKubernetesSerialization().convertValue(doc, type);
    client.resources(type).resource(resource).create();
  }

  <T extends HasMetadata> T create(Class<T> type, String yaml) {
    T resource = client.getKubernetesSerialization().unmarshal(yaml, type);
    return client.resources(type).resource(resource).create();
  }

  <T extends HasMetadata> T update(Class<T> type, String yaml) {
    T resource = client.getKubernetesSerialization().unmarshal(yaml, type);
    return client
        .resources(type)
        .inNamespace(resource.getMetadata().getNamespace())
        .withName(resource.getMetadata().getName())
        .edit(
            old -> {
              resource.getMetadata().setResourceVersion(null);
              resource.getMetadata().setUid(old.getMetadata().getUid());
              resource.getMetadata().setCreationTimestamp(old.getMetadata().getCreationTimestamp());
              return resource;
            });
  }

  /**
   * Sets an annotation with a JSON merge patch. Unlike {@code edit}, it carries no resourceVersion,
   * so it cannot lose a race with the operator's own status writes.
   */
  <T extends HasMetadata> void annotate(
      Class<T> type, String namespace, String name, String annotation, String value) {
    String patch =
        client
            .getKubernetesSerialization()
            .asJson(
                java.util.Map.of(
                    "metadata",
                    java.util.Map.of("annotations", java.util.Map.of(annotation, value))));
    client
        .resources(type)
        .inNamespace(namespace)
        .withName(name)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            patch);
  }

  <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  <T extends HasMetadata> void delete(Class<T> type, String namespace, String name) {
    client.resources(type).inNamespace(namespace).withName(name).delete();
  }

  /** A Secret with {@code data} (base64), as a real API server stores it. */
  Secret secret(String namespace, String name, String... keysAndValues) {
    Map<String, String> data = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      data.put(
          keysAndValues[i],
          Base64.getEncoder()
              .encodeToString(keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8)));
    }
    return client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withData(data)
                .build())
        .create();
  }

  /** A data value of a Secret, decoded; null when absent. */
  String secretValue(String namespace, String name, String key) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null || secret.getData() == null || !secret.getData().containsKey(key)) {
      return null;
    }
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  List<Event> events(String namespace, String involvedName) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> involvedName.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  List<String> eventReasons(String namespace, String involvedName) {
    return events(namespace, involvedName).stream().map(Event::getReason).toList();
  }
}
