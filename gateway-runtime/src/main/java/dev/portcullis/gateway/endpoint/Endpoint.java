package dev.portcullis.gateway.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.pipeline.RequestBody;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;

/**
 * One client endpoint the gateway proxies (a POST with a JSON body): everything the gateway knows
 * about it that does not depend on the upstream. Translation between formats is the translators'
 * business ({@code provider}); this is the client's side.
 */
public interface Endpoint {
  /** The request path, e.g. {@code /v1/chat/completions}. */
  String path();

  /** The family of formats the endpoint belongs to: its error body, stream ending and usage. */
  ClientFormatFamily family();

  /** What it asks an upstream to do, as the translators and providers know it. */
  Operation operation();

  RequestSchema schema();

  default WireFormat format() {
    return family().format();
  }

  /** Prompt tokens of a request, counted locally (for reservations and local token counts). */
  int promptTokens(JsonNode request, LocalTokenCounter tokens);

  /**
   * Whether a same-format upstream reports a stream's usage only when asked, so the gateway asks
   * for a client that did not (and drops the usage event on the way back).
   */
  default boolean asksStreamUsage(RequestBody body) {
    return false;
  }

  /** Adds the request for a stream's usage to an upstream request; see {@link #asksStreamUsage}. */
  default void askStreamUsage(ObjectNode request) {
    throw new UnsupportedOperationException(path() + " needs no request for stream usage");
  }

  /** Whether events that only report usage are dropped from a translated stream to this client. */
  default boolean dropsUsageEvents(RequestBody body) {
    return false;
  }

  /**
   * Whether the request names a prompt template in its path ({@code /v1/prompts/{name}/…}): then
   * the template's rendering replaces the body, and the template, not the body's {@code model},
   * decides the route.
   */
  default boolean namesPromptTemplate() {
    return false;
  }

  /** Whether a prompt request asks only for the rendering: no model is called. */
  default boolean rendersOnly() {
    return false;
  }
}
