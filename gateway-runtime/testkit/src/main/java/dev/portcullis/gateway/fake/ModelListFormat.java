package dev.portcullis.gateway.fake;

import static dev.portcullis.gateway.fake.OpenAiChatFormat.utf8;

import java.util.List;
import java.util.StringJoiner;

/** The model lists of the three APIs, for the models the fake was configured with. */
final class ModelListFormat {
  private static final long CREATED = 1_700_000_000L;

  private ModelListFormat() {}

  static byte[] openAi(List<String> models) {
    StringJoiner data = new StringJoiner(",", "{\"object\":\"list\",\"data\":[", "]}");
    for (String model : models) {
      data.add(
          "{\"id\":"
              + JsonText.quoted(model)
              + ",\"object\":\"model\",\"created\":"
              + CREATED
              + ",\"owned_by\":\"portcullis-fake\"}");
    }
    return utf8(data.toString());
  }

  static byte[] anthropic(List<String> models) {
    StringJoiner data = new StringJoiner(",", "{\"data\":[", "]");
    for (String model : models) {
      data.add(
          "{\"type\":\"model\",\"id\":"
              + JsonText.quoted(model)
              + ",\"display_name\":"
              + JsonText.quoted(model)
              + ",\"created_at\":\"2023-11-14T22:13:20Z\"}");
    }
    String first = models.isEmpty() ? "null" : JsonText.quoted(models.get(0));
    String last = models.isEmpty() ? "null" : JsonText.quoted(models.get(models.size() - 1));
    return utf8(data + ",\"has_more\":false,\"first_id\":" + first + ",\"last_id\":" + last + "}");
  }

  static byte[] gemini(List<String> models) {
    StringJoiner data = new StringJoiner(",", "{\"models\":[", "]}");
    for (String model : models) {
      data.add(
          "{\"name\":"
              + JsonText.quoted("models/" + model)
              + ",\"displayName\":"
              + JsonText.quoted(model)
              + ",\"supportedGenerationMethods\":[\"generateContent\",\"streamGenerateContent\","
              + "\"countTokens\",\"embedContent\"]}");
    }
    return utf8(data.toString());
  }
}
