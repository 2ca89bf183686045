package dev.portcullis.gateway.endpoint.openai.prompts;

/**
 * {@code POST /v1/prompts/{name}/render}: answers the chat completions request the template named
 * in the path renders to, with the chosen {@code version}, without calling a model.
 */
public final class PromptRenderEndpoint extends PromptEndpoint {
  @Override
  public String path() {
    return "/v1/prompts/{name}/render";
  }

  @Override
  public boolean rendersOnly() {
    return true;
  }
}
