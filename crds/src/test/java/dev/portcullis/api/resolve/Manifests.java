package dev.portcullis.api.resolve;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Resource sets for resolver tests, written as YAML manifests the way users write them. */
final class Manifests {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private Manifests() {}

  /** A set from multi-document YAML (Portcullis kinds and Secrets with base64 data). */
  static ResourceSet read(String yaml) {
    List<LLMRoute> routes = new ArrayList<>();
    List<VirtualKey> keys = new ArrayList<>();
    List<GuardrailPolicy> policies = new ArrayList<>();
    List<PromptTemplate> templates = new ArrayList<>();
    List<Secret> secrets = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null || doc.isEmpty()) {
          continue;
        }
        switch (doc.path("kind").asText()) {
          case "LLMRoute" -> routes.add(YAML.treeToValue(doc, LLMRoute.class));
          case "VirtualKey" -> keys.add(YAML.treeToValue(doc, VirtualKey.class));
          case "GuardrailPolicy" -> policies.add(YAML.treeToValue(doc, GuardrailPolicy.class));
          case "PromptTemplate" -> templates.add(YAML.treeToValue(doc, PromptTemplate.class));
          case "Secret" -> secrets.add(YAML.treeToValue(doc, Secret.class));
          default -> throw new IllegalArgumentException("unknown kind in " + doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ResourceSet(routes, keys, policies, templates, secrets);
  }

  /** {@code set} with more Secrets. */
  static ResourceSet with(ResourceSet set, Secret... more) {
    List<Secret> secrets = new ArrayList<>(set.secrets());
    secrets.addAll(List.of(more));
    return new ResourceSet(set.routes(), set.keys(), set.policies(), set.templates(), secrets);
  }

  /** A Secret with {@code data} holding the base64 of the given plain key/value pairs. */
  static Secret secret(String namespace, String name, String... keysAndValues) {
    return secret(namespace, name, Map.of(), keysAndValues);
  }

  static Secret secret(
      String namespace, String name, Map<String, String> annotations, String... keysAndValues) {
    Map<String, String> data = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      data.put(
          keysAndValues[i],
          Base64.getEncoder()
              .encodeToString(keysAndValues[i + 1].getBytes(StandardCharsets.UTF_8)));
    }
    return new SecretBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withNamespace(namespace)
                .withName(name)
                .withAnnotations(annotations)
                .build())
        .withData(data)
        .build();
  }
}
