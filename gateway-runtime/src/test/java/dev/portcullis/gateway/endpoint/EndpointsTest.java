package dev.portcullis.gateway.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.endpoint.anthropic.AnthropicFamily;
import dev.portcullis.gateway.endpoint.openai.OpenAiFamily;
import dev.portcullis.gateway.http.ApiError;
import dev.portcullis.gateway.http.ApiError.ErrorKind;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointsTest {
  private final Endpoints endpoints = Endpoints.builtIn();

  @Test
  void everyClientPathIsServedByTheEndpointOfItsFormatAndOperation() {
    assertThat(endpoints.all())
        .extracting(e -> e.path() + " " + e.format() + " " + e.operation())
        .containsExactly(
            "/v1/chat/completions OPENAI CHAT",
            "/v1/completions OPENAI COMPLETIONS",
            "/v1/embeddings OPENAI EMBEDDINGS",
            "/v1/prompts/{name}/completions OPENAI CHAT",
            "/v1/prompts/{name}/render OPENAI CHAT",
            "/v1/messages ANTHROPIC CHAT",
            "/v1/messages/count_tokens ANTHROPIC COUNT_TOKENS",
            "/v1/responses OPENAI_RESPONSES RESPONSES");
    for (Endpoint e : endpoints.all()) {
      assertThat(endpoints.forPath(e.path())).containsSame(e);
      if (!e.namesPromptTemplate()) { // a prompt's rendering is a chat request
        assertThat(endpoints.of(e.format(), e.operation())).isSameAs(e);
      }
    }
    assertThat(endpoints.forPath("/v1/responses/resp_1")).isEmpty();
    assertThat(endpoints.paths()).endsWith("/v1/models").doesNotHaveDuplicates();
  }

  @Test
  void twoEndpointsForOnePathAreRefused() {
    Endpoint chat = endpoints.of(WireFormat.OPENAI, Operation.CHAT);
    assertThatThrownBy(() -> new Endpoints(List.of(chat, chat), List.of()))
        .hasMessageContaining("/v1/chat/completions");
  }

  @Test
  void errorsHaveTheirFamilysShape() {
    ApiError error = new ApiError(ErrorKind.BAD_REQUEST, "bad_field", "Fix it.", "model");

    ObjectNode openAi = OpenAiFamily.INSTANCE.errorBody(error);
    assertThat(openAi.toString())
        .isEqualTo(
            "{\"error\":{\"message\":\"Fix it.\",\"type\":\"invalid_request_error\","
                + "\"param\":\"model\",\"code\":\"bad_field\"}}");
    assertThat(AnthropicFamily.INSTANCE.errorBody(error).toString())
        .isEqualTo(
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"Fix it.\"}}");
  }

  @Test
  void aBrokenStreamEndsWithTheFamilysErrorEvent() {
    ApiError error = ApiError.of(ErrorKind.BAD_GATEWAY, "broke", "Broke.");

    assertThat(OpenAiFamily.INSTANCE.streamErrorEvent(error).event()).isNull();
    assertThat(AnthropicFamily.INSTANCE.streamErrorEvent(error).event()).isEqualTo("error");
    assertThat(AnthropicFamily.INSTANCE.streamErrorEvent(error).data()).contains("\"Broke.\"");
  }

  @Test
  void onlyOpenAiClientsLoseUsageOnlyChunksTheyDidNotAskFor() {
    SseEvent usageOnly = SseEvent.data("{\"choices\":[],\"usage\":{\"prompt_tokens\":1}}");

    assertThat(OpenAiFamily.INSTANCE.isUsageOnlyEvent(usageOnly)).isTrue();
    assertThat(OpenAiFamily.INSTANCE.isUsageOnlyEvent(SseEvent.data("{\"choices\":[{}]}")))
        .isFalse();
    assertThat(AnthropicFamily.INSTANCE.isUsageOnlyEvent(usageOnly)).isFalse();
  }

  @Test
  void askingForStreamUsageSetsIncludeUsage() {
    ObjectNode request = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    endpoints.of(WireFormat.OPENAI, Operation.CHAT).askStreamUsage(request);

    assertThat(request.toString()).isEqualTo("{\"stream_options\":{\"include_usage\":true}}");
    assertThatThrownBy(
            () -> endpoints.of(WireFormat.ANTHROPIC, Operation.CHAT).askStreamUsage(request))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void geminiIsReadFromButNeverSpokenToClients() {
    assertThat(Endpoints.family(WireFormat.GEMINI).usageField()).isEqualTo("usageMetadata");
    assertThatThrownBy(() -> Endpoints.clientFamily(WireFormat.GEMINI))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void modelListsTakeEachFormatsShape() {
    LinkedHashMap<String, String> models = new LinkedHashMap<>();
    models.put("gpt", "team-a");
    models.put("claude", "team-b");

    assertThat(endpoints.models(WireFormat.OPENAI).render(models).toString())
        .contains("\"object\":\"list\"")
        .contains("\"owned_by\":\"team-b\"");
    assertThat(endpoints.models(WireFormat.ANTHROPIC).render(models).toString())
        .contains("\"first_id\":\"gpt\"")
        .contains("\"last_id\":\"claude\"");
  }
}
