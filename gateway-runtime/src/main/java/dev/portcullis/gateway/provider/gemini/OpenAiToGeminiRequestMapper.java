package dev.portcullis.gateway.provider.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import dev.portcullis.gateway.provider.DataUrl;
import dev.portcullis.gateway.provider.Operation;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * OpenAI requests as Gemini requests: chat completions and legacy completions become {@code
 * generateContent} bodies, embeddings {@code embedContent} / {@code batchEmbedContents} bodies.
 * System and developer messages, wherever they stand, are collected in order into {@code
 * systemInstruction}. Which Gemini URL to call is the {@link GeminiProvider}'s business.
 */
final class OpenAiToGeminiRequestMapper {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = Jackson.MAPPER;

  private OpenAiToGeminiRequestMapper() {}

  static ObjectNode map(Operation operation, ObjectNode clientRequest) {
    return switch (operation) {
      case CHAT -> chatRequest(clientRequest);
      case COMPLETIONS -> completionsRequest(clientRequest);
      case EMBEDDINGS -> embeddingsRequest(clientRequest);
      case COUNT_TOKENS ->
          throw new IllegalArgumentException("Gemini targets do not serve token counting");
    };
  }

  private static ObjectNode chatRequest(ObjectNode request) {
    ObjectNode out = JSON.objectNode();
    ArrayNode systemParts = JSON.arrayNode();
    ArrayNode contents = JSON.arrayNode();
    Map<String, String> toolNamesById = new HashMap<>();
    JsonNode messages = request.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new IllegalArgumentException("'messages' must be a non-empty array");
    }
    for (JsonNode message : messages) {
      String role = message.path("role").asText();
      switch (role) {
        case "system", "developer" -> systemParts.addAll(textParts(message.get("content")));
        case "user" -> contents.add(content("user", userParts(message.get("content"))));
        case "assistant" ->
            contents.add(
                content(
                    OpenAiGeminiVocabulary.ROLES.toRight(role),
                    assistantParts(message, toolNamesById)));
        case "tool", "function" -> addToolResult(contents, message, toolNamesById);
        default -> throw new IllegalArgumentException("unknown message role '" + role + "'");
      }
    }
    if (!systemParts.isEmpty()) {
      out.putObject("systemInstruction").set("parts", systemParts);
    }
    out.set("contents", contents);
    copyTools(request, out);
    ObjectNode generationConfig = generationConfig(request);
    if (!generationConfig.isEmpty()) {
      out.set("generationConfig", generationConfig);
    }
    return out;
  }

  private static ObjectNode content(String role, ArrayNode parts) {
    ObjectNode content = JSON.objectNode();
    content.put("role", role);
    content.set("parts", parts);
    return content;
  }

  /** Text parts of a content; empty texts are left out because Gemini refuses them. */
  private static ArrayNode textParts(JsonNode content) {
    ArrayNode parts = JSON.arrayNode();
    if (content == null || content.isNull()) {
      return parts;
    }
    if (content.isTextual()) {
      addText(parts, content.asText());
      return parts;
    }
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText())) {
        addText(parts, part.path("text").asText());
      }
    }
    return parts;
  }

  private static void addText(ArrayNode parts, String text) {
    if (!text.isEmpty()) {
      parts.addObject().put("text", text);
    }
  }

  private static ArrayNode userParts(JsonNode content) {
    if (content == null || content.isNull() || content.isTextual()) {
      ArrayNode parts = textParts(content);
      if (parts.isEmpty()) {
        parts.addObject().put("text", "");
      }
      return parts;
    }
    ArrayNode parts = JSON.arrayNode();
    for (JsonNode part : content) {
      String type = part.path("type").asText();
      switch (type) {
        case "text" -> parts.addObject().put("text", part.path("text").asText());
        case "image_url" -> parts.add(mediaPart(part.path("image_url").path("url").asText()));
        case "input_audio" -> {
          JsonNode audio = part.path("input_audio");
          ObjectNode inline = parts.addObject().putObject("inlineData");
          inline.put("mimeType", "audio/" + audio.path("format").asText("wav"));
          inline.put("data", audio.path("data").asText());
        }
        case "file" -> {
          String data = part.path("file").path("file_data").asText(null);
          if (data == null) {
            throw new IllegalArgumentException(
                "file parts for Gemini targets need inline 'file_data' (a data: URL)");
          }
          parts.add(mediaPart(data));
        }
        default ->
            throw new IllegalArgumentException(
                "content part type '" + type + "' is not supported for Gemini targets");
      }
    }
    return parts;
  }

  /** A data: URL becomes inline bytes; any other URL is passed to Gemini as a file URI. */
  private static ObjectNode mediaPart(String url) {
    ObjectNode part = JSON.objectNode();
    if (url.startsWith("data:")) {
      DataUrl data = DataUrl.parse(url, "content part");
      ObjectNode inline = part.putObject("inlineData");
      inline.put("mimeType", data.mediaType());
      inline.put("data", data.base64());
    } else {
      ObjectNode file = part.putObject("fileData");
      file.put("mimeType", mimeTypeFromExtension(url));
      file.put("fileUri", url);
    }
    return part;
  }

  private static String mimeTypeFromExtension(String url) {
    String path = url.toLowerCase(Locale.ROOT);
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    if (path.endsWith(".png")) {
      return "image/png";
    } else if (path.endsWith(".webp")) {
      return "image/webp";
    } else if (path.endsWith(".gif")) {
      return "image/gif";
    } else if (path.endsWith(".pdf")) {
      return "application/pdf";
    }
    return "image/jpeg";
  }

  private static ArrayNode assistantParts(JsonNode message, Map<String, String> toolNamesById) {
    ArrayNode parts = textParts(message.get("content"));
    JsonNode refusal = message.get("refusal");
    if (parts.isEmpty() && refusal != null && refusal.isTextual()) {
      parts.addObject().put("text", refusal.asText());
    }
    for (JsonNode toolCall : message.path("tool_calls")) {
      String id = toolCall.path("id").asText();
      String name = toolCall.path("function").path("name").asText();
      toolNamesById.put(id, name);
      parts.add(
          OpenAiGeminiContent.functionCallPart(
              id, name, toolCall.path("function").path("arguments").asText("")));
    }
    JsonNode legacyCall = message.get("function_call");
    if (legacyCall != null && legacyCall.isObject()) {
      parts.add(
          OpenAiGeminiContent.functionCallPart(
              null, legacyCall.path("name").asText(), legacyCall.path("arguments").asText("")));
    }
    if (parts.isEmpty()) {
      parts.addObject().put("text", "");
    }
    return parts;
  }

  /**
   * Tool results become functionResponse parts. Gemini pairs them with calls by name and wants all
   * results for one model turn in one content, so consecutive results are merged.
   */
  private static void addToolResult(
      ArrayNode contents, JsonNode message, Map<String, String> toolNamesById) {
    String name = message.path("name").asText(null);
    if (name == null) {
      String id = message.path("tool_call_id").asText();
      name = toolNamesById.get(id);
      if (name == null) {
        throw new IllegalArgumentException(
            "tool message refers to tool_call_id '" + id + "' that no assistant message made");
      }
    }
    ObjectNode part = JSON.objectNode();
    ObjectNode functionResponse = part.putObject("functionResponse");
    functionResponse.put("name", name);
    functionResponse.set("response", toolResponse(message.get("content")));

    JsonNode last = contents.isEmpty() ? null : contents.get(contents.size() - 1);
    if (last != null
        && "user".equals(last.path("role").asText())
        && last.path("parts").path(0).has("functionResponse")) {
      ((ArrayNode) last.get("parts")).add(part);
    } else {
      ArrayNode parts = JSON.arrayNode().add(part);
      contents.add(content("user", parts));
    }
  }

  /** Gemini wants an object; JSON objects pass as they are, anything else is wrapped. */
  private static JsonNode toolResponse(JsonNode content) {
    String text;
    if (content == null || content.isNull()) {
      text = "";
    } else if (content.isTextual()) {
      text = content.asText();
    } else {
      StringBuilder joined = new StringBuilder();
      textParts(content).forEach(p -> joined.append(p.path("text").asText()));
      text = joined.toString();
    }
    try {
      JsonNode parsed = MAPPER.readTree(text);
      if (parsed != null && parsed.isObject()) {
        return parsed;
      }
    } catch (JsonProcessingException notJson) {
      // plain text result
    }
    return JSON.objectNode().put("content", text);
  }

  private static void copyTools(JsonNode request, ObjectNode out) {
    JsonNode tools = request.get("tools");
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      ArrayNode declarations = JSON.arrayNode();
      for (JsonNode tool : tools) {
        if (!"function".equals(tool.path("type").asText("function"))) {
          throw new IllegalArgumentException(
              "tool type '" + tool.path("type").asText() + "' is not supported for Gemini targets");
        }
        JsonNode function = tool.path("function");
        ObjectNode declaration = declarations.addObject();
        declaration.put("name", function.path("name").asText());
        if (function.hasNonNull("description")) {
          declaration.put("description", function.get("description").asText());
        }
        JsonNode parameters = function.get("parameters");
        if (!GeminiSchemaSanitizer.declaresNoParameters(parameters)) {
          declaration.set("parameters", GeminiSchemaSanitizer.sanitize(parameters));
        }
      }
      out.putArray("tools").addObject().set("functionDeclarations", declarations);
    }
    JsonNode choice = request.get("tool_choice");
    if (choice != null && !choice.isNull()) {
      ObjectNode config = JSON.objectNode();
      if (choice.isTextual()) {
        config.put("mode", OpenAiGeminiVocabulary.TOOL_CHOICE_MODES.toRight(choice.asText()));
      } else {
        config.put("mode", OpenAiGeminiVocabulary.TOOL_CHOICE_MODES.toRight("required"));
        config.putArray("allowedFunctionNames").add(choice.path("function").path("name").asText());
      }
      out.putObject("toolConfig").set("functionCallingConfig", config);
    }
  }

  private static ObjectNode generationConfig(JsonNode request) {
    ObjectNode config = JSON.objectNode();
    copyNumber(request, "temperature", config, "temperature");
    copyNumber(request, "top_p", config, "topP");
    copyNumber(request, "presence_penalty", config, "presencePenalty");
    copyNumber(request, "frequency_penalty", config, "frequencyPenalty");
    copyNumber(request, "seed", config, "seed");
    copyNumber(request, "n", config, "candidateCount");
    copyNumber(request, "max_tokens", config, "maxOutputTokens");
    copyNumber(request, "max_completion_tokens", config, "maxOutputTokens");
    JsonNode stop = request.get("stop");
    if (stop != null && stop.isTextual()) {
      config.putArray("stopSequences").add(stop.asText());
    } else if (stop != null && stop.isArray() && !stop.isEmpty()) {
      config.set("stopSequences", stop.deepCopy());
    }
    JsonNode format = request.get("response_format");
    if (format != null && format.isObject()) {
      switch (format.path("type").asText()) {
        case "json_object" -> config.put("responseMimeType", "application/json");
        case "json_schema" -> {
          config.put("responseMimeType", "application/json");
          JsonNode schema = format.path("json_schema").get("schema");
          if (schema != null && schema.isObject()) {
            config.set("responseSchema", GeminiSchemaSanitizer.sanitize(schema));
          }
        }
        default -> {}
      }
    }
    return config;
  }

  private static void copyNumber(JsonNode from, String name, ObjectNode to, String geminiName) {
    JsonNode value = from.get(name);
    if (value != null && value.isNumber()) {
      to.set(geminiName, value.deepCopy());
    }
  }

  private static ObjectNode completionsRequest(ObjectNode request) {
    JsonNode prompt = request.get("prompt");
    String text;
    if (prompt != null && prompt.isTextual()) {
      text = prompt.asText();
    } else if (prompt != null
        && prompt.isArray()
        && prompt.size() == 1
        && prompt.get(0).isTextual()) {
      text = prompt.get(0).asText();
    } else {
      throw new IllegalArgumentException(
          "'prompt' must be one string for Gemini targets (batches and token arrays are not"
              + " supported)");
    }
    ObjectNode out = JSON.objectNode();
    ArrayNode parts = JSON.arrayNode();
    parts.addObject().put("text", text);
    out.putArray("contents").add(content("user", parts));
    ObjectNode generationConfig = generationConfig(request);
    if (!generationConfig.isEmpty()) {
      out.set("generationConfig", generationConfig);
    }
    return out;
  }

  private static ObjectNode embeddingsRequest(ObjectNode request) {
    JsonNode input = request.get("input");
    JsonNode dimensions = request.get("dimensions");
    if (input != null && input.isTextual()) {
      return embedContent(input.asText(), dimensions);
    }
    if (input == null || !input.isArray() || input.isEmpty()) {
      throw new IllegalArgumentException(
          "'input' must be a string or a non-empty array of strings");
    }
    ObjectNode out = JSON.objectNode();
    ArrayNode requests = out.putArray("requests");
    String model = request.path("model").asText("");
    for (JsonNode item : input) {
      if (!item.isTextual()) {
        throw new IllegalArgumentException(
            "Gemini embeddings take text input only; token arrays are not supported");
      }
      ObjectNode single = embedContent(item.asText(), dimensions);
      // GeminiProvider replaces this with the target's upstream model.
      single.put("model", model.startsWith("models/") ? model : "models/" + model);
      requests.add(single);
    }
    return out;
  }

  private static ObjectNode embedContent(String text, JsonNode dimensions) {
    ObjectNode out = JSON.objectNode();
    out.putObject("content").putArray("parts").addObject().put("text", text);
    if (dimensions != null && dimensions.isNumber()) {
      out.put("outputDimensionality", dimensions.asInt());
    }
    return out;
  }
}
