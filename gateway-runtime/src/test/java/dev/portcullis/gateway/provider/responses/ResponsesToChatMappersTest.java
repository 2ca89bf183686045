package dev.portcullis.gateway.provider.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.StreamTranslator;
import dev.portcullis.gateway.sse.SseEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Responses ⇄ chat mappers on their own, through the translator facade. */
class ResponsesToChatMappersTest {
  private final ResponsesToChatTranslator translator = new ResponsesToChatTranslator();

  private static ObjectNode json(String text) throws Exception {
    return (ObjectNode) Jackson.MAPPER.readTree(text);
  }

  private ObjectNode request(String body) throws Exception {
    return translator.request(Operation.RESPONSES, json(body));
  }

  @Test
  void instructionsBecomeASystemMessageBeforeTheInput() throws Exception {
    ObjectNode chat =
        request(
            "{\"model\":\"m\",\"instructions\":\"be brief\",\"input\":\"hi\","
                + "\"max_output_tokens\":50,\"temperature\":0.2,\"top_p\":0.9}");
    assertThat(chat.path("messages").toString())
        .isEqualTo(
            "[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"hi\"}]");
    assertThat(chat.path("max_completion_tokens").asInt()).isEqualTo(50);
    assertThat(chat.path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(chat.path("top_p").asDouble()).isEqualTo(0.9);
  }

  @Test
  void aStreamAsksTheChatUpstreamForUsage() throws Exception {
    ObjectNode chat = request("{\"model\":\"m\",\"input\":\"hi\",\"stream\":true}");
    assertThat(chat.path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  @Test
  void functionCallsJoinTheAssistantTurnAndOutputsBecomeToolMessages() throws Exception {
    ObjectNode chat =
        request(
            "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                + "\"text\":\"two cities\"}]},"
                + "{\"type\":\"function_call\",\"call_id\":\"c1\",\"name\":\"w\",\"arguments\":\"{}\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"c2\",\"name\":\"w\",\"arguments\":\"{}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"sun\"},"
                + "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[]}]}");
    JsonNode messages = chat.path("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.get(0).path("content").get(0).path("type").asText()).isEqualTo("text");
    assertThat(messages.get(1).path("tool_calls")).hasSize(2);
    assertThat(messages.get(2).path("role").asText()).isEqualTo("tool");
    assertThat(messages.get(2).path("tool_call_id").asText()).isEqualTo("c1");
  }

  @Test
  void whatOnlyOpenAiCanServeIsRefusedNamingTheField() {
    assertThatThrownBy(() -> request("{\"model\":\"m\",\"input\":\"x\",\"background\":true}"))
        .hasMessageStartingWith("background:");
    assertThatThrownBy(
            () -> request("{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":\"r\"}"))
        .hasMessageStartingWith("previous_response_id:");
    assertThatThrownBy(
            () ->
                request("{\"model\":\"m\",\"input\":\"x\",\"tools\":[{\"type\":\"file_search\"}]}"))
        .hasMessageStartingWith("tools[0].type: 'file_search'");
    assertThatThrownBy(
            () ->
                request("{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"x\"}]}"))
        .hasMessageStartingWith("input[0].type: 'item_reference'");
  }

  @Test
  void aChatAnswerCutByLengthIsAnIncompleteResponse() throws Exception {
    ObjectNode response =
        translator.response(
            Operation.RESPONSES,
            json(
                "{\"id\":\"chatcmpl-1\",\"created\":5,\"choices\":[{\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"par\"},\"finish_reason\":\"length\"}],"
                    + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":1,\"total_tokens\":8}}"),
            "client-model");
    assertThat(response.path("id").asText()).isEqualTo("resp_1");
    assertThat(response.path("status").asText()).isEqualTo("incomplete");
    assertThat(response.path("incomplete_details").path("reason").asText())
        .isEqualTo("max_output_tokens");
    assertThat(response.path("model").asText()).isEqualTo("client-model");
    assertThat(response.path("usage").path("input_tokens").asInt()).isEqualTo(7);
    assertThat(response.path("output").get(0).path("content").get(0).path("text").asText())
        .isEqualTo("par");
  }

  private static List<String> types(List<SseEvent> events) {
    return events.stream().map(SseEvent::event).toList();
  }

  private static List<SseEvent> feed(StreamTranslator stream, String... chunks) {
    List<SseEvent> out = new ArrayList<>();
    for (String chunk : chunks) {
      out.addAll(stream.onEvent(SseEvent.data(chunk)));
    }
    out.addAll(stream.finish());
    return out;
  }

  @Test
  void textThenToolCallCloseInOrderAndCompleteWithUsage() {
    List<SseEvent> events =
        feed(
            translator.stream(Operation.RESPONSES, "m"),
            "{\"id\":\"chatcmpl-9\",\"choices\":[{\"delta\":{\"content\":\"Let me look\"}}]}",
            "{\"id\":\"chatcmpl-9\",\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,"
                + "\"id\":\"c1\",\"function\":{\"name\":\"w\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}",
            "{\"id\":\"chatcmpl-9\",\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,"
                + "\"function\":{\"arguments\":\":1}\"}}]},\"finish_reason\":\"tool_calls\"}]}",
            "{\"id\":\"chatcmpl-9\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,"
                + "\"completion_tokens\":4}}",
            "[DONE]");
    assertThat(types(events))
        .containsExactly(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added",
            "response.output_text.delta",
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.output_item.added",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.delta",
            "response.function_call_arguments.done",
            "response.output_item.done",
            "response.completed");
    String completed = events.getLast().data();
    assertThat(completed)
        .contains("\"arguments\":\"{\\\"a\\\":1}\"")
        .contains("\"output_tokens\":4")
        .contains("\"sequence_number\":13");
  }

  @Test
  void aStreamCutBeforeItsFinishReasonEndsFailed() {
    List<SseEvent> events =
        feed(
            translator.stream(Operation.RESPONSES, "m"),
            "{\"id\":\"chatcmpl-9\",\"choices\":[{\"delta\":{\"content\":\"Hal\"}}]}");
    assertThat(events.getLast().event()).isEqualTo("response.failed");
    assertThat(events.getLast().data()).contains("\"status\":\"failed\"");
  }

  @Test
  void anUpstreamErrorEventEndsTheStreamFailedWithItsMessage() {
    StreamTranslator stream = translator.stream(Operation.RESPONSES, "m");
    List<SseEvent> events =
        stream.onEvent(SseEvent.data("{\"error\":{\"message\":\"overloaded\"}}"));
    assertThat(events.getLast().event()).isEqualTo("response.failed");
    assertThat(events.getLast().data()).contains("overloaded");
    assertThat(stream.finish()).isEmpty();
  }
}
