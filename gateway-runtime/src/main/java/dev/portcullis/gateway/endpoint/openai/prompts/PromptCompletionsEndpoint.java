package dev.portcullis.gateway.endpoint.openai.prompts;

/**
 * {@code POST /v1/prompts/{name}/completions}: renders the template named in the path and sends the
 * rendering on as a chat completions request, answered (whole or streamed) as {@code
 * /v1/chat/completions} answers.
 */
public final class PromptCompletionsEndpoint extends PromptEndpoint {
  @Override
  public String path() {
    return "/v1/prompts/{name}/completions";
  }
}
