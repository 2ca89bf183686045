package dev.portcullis.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.prompt.PromptTemplate;
import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** The sample manifests under {@code src/test/resources/samples}, and a strict YAML mapper. */
public final class Samples {
  /** The API.md examples (and a few more) that must be accepted as written. */
  public static final List<String> VALID =
      List.of(
          "valid/llmroute-chat.yaml",
          "valid/llmroute-claude.yaml",
          "valid/llmroute-local.yaml",
          "valid/virtualkey-checkout-service.yaml",
          "valid/guardrailpolicy-pii.yaml",
          "valid/prompttemplate-support-bot.yaml");

  /** Fails on unknown properties, so a field the types lack cannot slip through a round trip. */
  public static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static final Map<String, Class<? extends CustomResource<?, ?>>> TYPES_BY_KIND =
      Map.of(
          "LLMRoute", LLMRoute.class,
          "VirtualKey", VirtualKey.class,
          "GuardrailPolicy", GuardrailPolicy.class,
          "PromptTemplate", PromptTemplate.class);

  private Samples() {}

  public static JsonNode tree(String sample) {
    try (InputStream in = Samples.class.getResourceAsStream("/samples/" + sample)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample " + sample);
      }
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The tree as it reads back from JSON text, so that equal documents compare equal whatever
   * numeric node types (int or long) built them.
   */
  public static JsonNode normalized(JsonNode tree) {
    try {
      return YAML.readTree(YAML.writeValueAsString(tree));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Class<? extends CustomResource<?, ?>> typeOf(JsonNode resource) {
    Class<? extends CustomResource<?, ?>> type = TYPES_BY_KIND.get(resource.path("kind").asText());
    if (type == null) {
      throw new IllegalArgumentException("unknown kind in " + resource);
    }
    return type;
  }

  public static <T> T read(String sample, Class<T> type) {
    try {
      return YAML.treeToValue(tree(sample), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
