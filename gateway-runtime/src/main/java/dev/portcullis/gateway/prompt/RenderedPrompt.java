package dev.portcullis.gateway.prompt;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A template rendered for one request.
 *
 * @param request the OpenAI chat completions request to send on: {@code model}, {@code messages},
 *     then the params; owned by the caller, who may change it
 * @param template the template's {@code namespace/name}
 * @param version the version rendered, for {@code x-portcullis-prompt-version} and the results
 * @param route the {@code namespace/name} of the route the request goes to, or null when the
 *     template has none and the request's own {@code model} decides
 * @param uid the template's {@code metadata.uid}, or null where the snapshot names none: its
 *     results are counted for that resource only
 */
public record RenderedPrompt(
    ObjectNode request, String template, String version, String route, String uid) {

  /** A rendering of a template whose uid is not known. */
  public RenderedPrompt(ObjectNode request, String template, String version, String route) {
    this(request, template, version, route, null);
  }

  /** Whether the caller asked for a stream. */
  public boolean stream() {
    return request.path("stream").asBoolean(false);
  }

  /**
   * The answer of {@code POST /v1/prompts/{name}/render}: the request with the chosen {@code
   * version} added.
   */
  public ObjectNode renderAnswer() {
    ObjectNode answer = request.deepCopy();
    answer.put("version", version);
    return answer;
  }
}
