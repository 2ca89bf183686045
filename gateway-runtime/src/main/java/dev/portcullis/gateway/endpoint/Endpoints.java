package dev.portcullis.gateway.endpoint;

import dev.portcullis.gateway.endpoint.anthropic.AnthropicFamily;
import dev.portcullis.gateway.endpoint.anthropic.counttokens.CountTokensEndpoint;
import dev.portcullis.gateway.endpoint.anthropic.messages.MessagesEndpoint;
import dev.portcullis.gateway.endpoint.anthropic.models.AnthropicModelList;
import dev.portcullis.gateway.endpoint.gemini.GeminiFamily;
import dev.portcullis.gateway.endpoint.openai.OpenAiFamily;
import dev.portcullis.gateway.endpoint.openai.chat.ChatCompletionsEndpoint;
import dev.portcullis.gateway.endpoint.openai.completions.CompletionsEndpoint;
import dev.portcullis.gateway.endpoint.openai.embeddings.EmbeddingsEndpoint;
import dev.portcullis.gateway.endpoint.openai.models.OpenAiModelList;
import dev.portcullis.gateway.endpoint.openai.prompts.PromptCompletionsEndpoint;
import dev.portcullis.gateway.endpoint.openai.prompts.PromptRenderEndpoint;
import dev.portcullis.gateway.endpoint.openai.responses.ResponsesEndpoint;
import dev.portcullis.gateway.endpoint.openai.responses.ResponsesFamily;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The client endpoints the gateway serves, by path: the traffic port routes from here, so a new
 * endpoint is its folder plus one line in {@link #builtIn()}. Also where a wire format's family is
 * found, for the formats upstreams speak.
 */
public final class Endpoints {
  private static final Endpoints BUILT_IN =
      new Endpoints(
          List.of(
              new ChatCompletionsEndpoint(),
              new CompletionsEndpoint(),
              new EmbeddingsEndpoint(),
              new PromptCompletionsEndpoint(),
              new PromptRenderEndpoint(),
              new MessagesEndpoint(),
              new CountTokensEndpoint(),
              new ResponsesEndpoint()),
          List.of(new OpenAiModelList(), new AnthropicModelList()));

  private final Map<String, Endpoint> byPath;
  private final Map<WireFormat, Map<Operation, Endpoint>> byOperation;
  private final Map<WireFormat, ModelList> modelLists;

  /** Every built-in endpoint. Adding one: its folder plus one line here. */
  public static Endpoints builtIn() {
    return BUILT_IN;
  }

  public Endpoints(Collection<? extends Endpoint> endpoints, Collection<ModelList> modelLists) {
    Map<String, Endpoint> paths = new LinkedHashMap<>();
    Map<WireFormat, Map<Operation, Endpoint>> operations = new EnumMap<>(WireFormat.class);
    for (Endpoint e : endpoints) {
      Endpoint previous = paths.putIfAbsent(e.path(), e);
      if (previous != null) {
        throw new IllegalArgumentException(
            "two endpoints for "
                + e.path()
                + ": "
                + previous.getClass().getName()
                + " and "
                + e.getClass().getName());
      }
      operations
          .computeIfAbsent(e.format(), f -> new EnumMap<>(Operation.class))
          .putIfAbsent(e.operation(), e);
    }
    Map<WireFormat, ModelList> lists = new EnumMap<>(WireFormat.class);
    for (ModelList list : modelLists) {
      lists.put(list.format(), list);
    }
    this.byPath = paths;
    this.byOperation = operations;
    this.modelLists = lists;
  }

  /** The proxied endpoints, in registration order. */
  public Collection<Endpoint> all() {
    return byPath.values();
  }

  public Optional<Endpoint> forPath(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  /**
   * The endpoint a format serves an operation at (the first registered, when several do).
   *
   * @throws IllegalArgumentException when none does
   */
  public Endpoint of(WireFormat format, Operation operation) {
    Endpoint e = byOperation.getOrDefault(format, Map.of()).get(operation);
    if (e == null) {
      throw new IllegalArgumentException("no " + format + " endpoint serves " + operation);
    }
    return e;
  }

  /** The model list in a client's format. */
  public ModelList models(WireFormat format) {
    ModelList list = modelLists.get(format);
    if (list == null) {
      throw new IllegalArgumentException("no model list in " + format);
    }
    return list;
  }

  /** Every path served, proxied endpoints first, each once. */
  public List<String> paths() {
    Set<String> paths = new LinkedHashSet<>(byPath.keySet());
    if (!modelLists.isEmpty()) {
      paths.add(ModelList.PATH);
    }
    return new ArrayList<>(paths);
  }

  /** What every endpoint of a format shares on the upstream side (its usage). */
  public static FormatFamily family(WireFormat format) {
    return switch (format) {
      case OPENAI -> OpenAiFamily.INSTANCE;
      case OPENAI_RESPONSES -> ResponsesFamily.INSTANCE;
      case ANTHROPIC -> AnthropicFamily.INSTANCE;
      case GEMINI -> GeminiFamily.INSTANCE;
    };
  }

  /**
   * What every endpoint of a client format shares (its error body and stream ending).
   *
   * @throws IllegalArgumentException for a format no client speaks
   */
  public static ClientFormatFamily clientFamily(WireFormat format) {
    if (family(format) instanceof ClientFormatFamily client) {
      return client;
    }
    throw new IllegalArgumentException(format + " is not a client format");
  }
}
