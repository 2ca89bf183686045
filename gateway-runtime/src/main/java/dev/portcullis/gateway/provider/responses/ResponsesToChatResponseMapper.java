package dev.portcullis.gateway.provider.responses;

import static dev.portcullis.gateway.provider.responses.ResponsesChatContent.functionCallItem;
import static dev.portcullis.gateway.provider.responses.ResponsesChatContent.itemId;
import static dev.portcullis.gateway.provider.responses.ResponsesChatContent.messageItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A chat completion as a Responses API response: one message item, then one item per call. */
final class ResponsesToChatResponseMapper {
  private ResponsesToChatResponseMapper() {}

  static ObjectNode response(ObjectNode chat, String clientModel) {
    String id = ResponsesChatContent.responseId(chat.path("id").asText(null));
    JsonNode choice = chat.path("choices").path(0);
    String ending = ResponsesChatContent.ending(choice.path("finish_reason").asText(null));
    ObjectNode response =
        ResponsesChatContent.response(
            id,
            chat.path("created").asLong(System.currentTimeMillis() / 1000),
            clientModel,
            ResponsesChatVocabulary.status(ending),
            ending);
    ArrayNode output = (ArrayNode) response.get("output");
    JsonNode message = choice.path("message");
    JsonNode content = message.get("content");
    JsonNode refusal = message.get("refusal");
    boolean hasRefusal = refusal != null && refusal.isTextual();
    if (hasRefusal || (content != null && content.isTextual() && !content.textValue().isEmpty())) {
      output.add(
          messageItem(
              itemId("msg_", id, output.size()),
              "completed",
              content != null && content.isTextual() ? content.textValue() : "",
              hasRefusal ? refusal.textValue() : null));
    }
    for (JsonNode call : message.path("tool_calls")) {
      output.add(
          functionCallItem(
              itemId("fc_", id, output.size()),
              "completed",
              call.path("id").asText(),
              call.path("function").path("name").asText(),
              call.path("function").path("arguments").asText("{}")));
    }
    ObjectNode usage = ResponsesChatContent.usage(chat.get("usage"));
    if (usage != null) {
      response.set("usage", usage);
    }
    return response;
  }
}
