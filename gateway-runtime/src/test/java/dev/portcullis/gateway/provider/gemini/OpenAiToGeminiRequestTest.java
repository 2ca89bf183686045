package dev.portcullis.gateway.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Operation;
import org.junit.jupiter.api.Test;

/** OpenAI request bodies as Gemini generateContent / embedContent bodies. */
class OpenAiToGeminiRequestTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final OpenAiToGeminiTranslator translator = new OpenAiToGeminiTranslator();

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private ObjectNode chat(String openAiRequest) {
    return translator.request(Operation.CHAT, json(openAiRequest));
  }

  @Test
  void systemMessagesBecomeTheSystemInstructionAndTurnsBecomeUserAndModelContents() {
    ObjectNode gemini =
        chat(
            """
            {"model":"gpt-4o","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"Hi"},
              {"role":"assistant","content":"Hello!"},
              {"role":"user","content":"Weather?"}]}
            """);

    assertThat(gemini)
        .isEqualTo(
            json(
                """
                {"systemInstruction":{"parts":[{"text":"Be brief."}]},
                 "contents":[
                   {"role":"user","parts":[{"text":"Hi"}]},
                   {"role":"model","parts":[{"text":"Hello!"}]},
                   {"role":"user","parts":[{"text":"Weather?"}]}]}
                """));
  }

  @Test
  void developerMessagesCountAsSystemInstructions() {
    ObjectNode gemini =
        chat(
            """
            {"messages":[{"role":"developer","content":[{"type":"text","text":"Rules"}]},
                         {"role":"user","content":"Go"}]}
            """);

    assertThat(gemini.at("/systemInstruction/parts/0/text").asText()).isEqualTo("Rules");
  }

  @Test
  void dataUrlImagesBecomeInlineData() {
    ObjectNode gemini =
        chat(
            """
            {"messages":[{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}
            """);

    assertThat(gemini.at("/contents/0/parts"))
        .isEqualTo(
            json("""
                    {"p":[{"text":"What is this?"},
                          {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]}
                    """)
                .get("p"));
  }

  @Test
  void httpImageUrlsBecomeFileData() {
    ObjectNode gemini =
        chat(
            """
            {"messages":[{"role":"user","content":[
              {"type":"image_url","image_url":{"url":"https://example.com/cat.webp"}}]}]}
            """);

    assertThat(gemini.at("/contents/0/parts/0/fileData/fileUri").asText())
        .isEqualTo("https://example.com/cat.webp");
    assertThat(gemini.at("/contents/0/parts/0/fileData/mimeType").asText()).isEqualTo("image/webp");
  }

  @Test
  void toolsBecomeFunctionDeclarationsWithSchemasGeminiAccepts() {
    ObjectNode gemini =
        chat(
            """
            {"messages":[{"role":"user","content":"Weather in Paris?"}],
             "tools":[{"type":"function","function":{
               "name":"get_weather","description":"Current weather","strict":true,
               "parameters":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
                 "properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["c","f"]}},
                 "required":["city"],"additionalProperties":false}}}]}
            """);

    assertThat(gemini.get("tools"))
        .isEqualTo(
            json("""
                    {"t":[{"functionDeclarations":[{"name":"get_weather",
                      "description":"Current weather",
                      "parameters":{"type":"object",
                        "properties":{"city":{"type":"string"},
                                      "unit":{"type":"string","enum":["c","f"]}},
                        "required":["city"]}}]}]}
                    """)
                .get("t"));
  }

  @Test
  void functionsWithoutParametersAreDeclaredWithoutAParameterSchema() {
    ObjectNode gemini =
        chat(
            """
            {"messages":[{"role":"user","content":"Time?"}],
             "tools":[{"type":"function","function":{"name":"now",
               "parameters":{"type":"object","properties":{}}}}]}
            """);

    assertThat(gemini.at("/tools/0/functionDeclarations/0").has("parameters")).isFalse();
  }

  @Test
  void toolChoiceBecomesTheFunctionCallingMode() {
    assertThat(
            chat("""
                    {"messages":[{"role":"user","content":"x"}],"tool_choice":"required",
                     "tools":[{"type":"function","function":{"name":"f"}}]}
                    """)
                .at("/toolConfig/functionCallingConfig/mode")
                .asText())
        .isEqualTo("ANY");
    ObjectNode named =
        chat(
            """
            {"messages":[{"role":"user","content":"x"}],
             "tool_choice":{"type":"function","function":{"name":"f"}},
             "tools":[{"type":"function","function":{"name":"f"}}]}
            """);
    assertThat(named.at("/toolConfig/functionCallingConfig/allowedFunctionNames/0").asText())
        .isEqualTo("f");
  }

  @Test
  void assistantToolCallsAndToolResultsBecomeFunctionCallAndFunctionResponseParts() {
    ObjectNode gemini =
        chat(
            """
            {"messages":[
              {"role":"user","content":"Weather in Paris and Rome?"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                {"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"{\\"temp\\":21}"},
              {"role":"tool","tool_call_id":"call_2","content":"noon"}]}
            """);

    assertThat(gemini.get("contents"))
        .isEqualTo(
            json("""
                    {"c":[
                      {"role":"user","parts":[{"text":"Weather in Paris and Rome?"}]},
                      {"role":"model","parts":[
                        {"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},
                        {"functionCall":{"name":"get_time","args":{}}}]},
                      {"role":"user","parts":[
                        {"functionResponse":{"name":"get_weather","response":{"temp":21}}},
                        {"functionResponse":{"name":"get_time","response":{"content":"noon"}}}]}]}
                    """)
                .get("c"));
  }

  @Test
  void emptyAssistantTextBesideToolCallsIsLeftOut() {
    ObjectNode gemini =
        chat(
            """
            {"messages":[{"role":"user","content":"x"},
              {"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function",
                "function":{"name":"f","arguments":"{}"}}]}]}
            """);

    assertThat(gemini.at("/contents/1/parts").size()).isEqualTo(1);
    assertThat(gemini.at("/contents/1/parts/0").has("functionCall")).isTrue();
  }

  @Test
  void toolCallIdsCarryingAThoughtSignatureGiveItBackToGemini() {
    String id = GeminiToolCallIds.newId("c2lnbmF0dXJl");

    ObjectNode gemini =
        chat(
            """
            {"messages":[{"role":"user","content":"x"},
              {"role":"assistant","tool_calls":[{"id":"%s","type":"function",
                "function":{"name":"f","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"%s","content":"ok"}]}
            """
                .formatted(id, id));

    assertThat(gemini.at("/contents/1/parts/0/thoughtSignature").asText())
        .isEqualTo("c2lnbmF0dXJl");
  }

  @Test
  void aToolResultForAnUnknownCallIdIsRejectedWithTheId() {
    assertThatThrownBy(
            () ->
                chat(
                    """
                    {"messages":[{"role":"user","content":"x"},
                      {"role":"tool","tool_call_id":"call_missing","content":"ok"}]}
                    """))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("call_missing");
  }

  @Test
  void samplingParametersBecomeTheGenerationConfig() {
    ObjectNode gemini =
        chat(
            """
            {"messages":[{"role":"user","content":"x"}],"temperature":0.2,"top_p":0.9,
             "max_completion_tokens":256,"stop":"END","n":2,"seed":7,"presence_penalty":0.5}
            """);

    assertThat(gemini.get("generationConfig"))
        .isEqualTo(
            json(
                """
                {"temperature":0.2,"topP":0.9,"presencePenalty":0.5,"seed":7,"candidateCount":2,
                 "maxOutputTokens":256,"stopSequences":["END"]}
                """));
  }

  @Test
  void maxTokensAlsoLimitsOutputTokens() {
    assertThat(
            chat("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":10}")
                .at("/generationConfig/maxOutputTokens")
                .asInt())
        .isEqualTo(10);
  }

  @Test
  void jsonSchemaResponseFormatBecomesResponseMimeTypeAndSchema() {
    ObjectNode gemini =
        chat(
            """
            {"messages":[{"role":"user","content":"x"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,
               "schema":{"type":"object","properties":{"answer":{"type":"string"}},
                         "required":["answer"],"additionalProperties":false}}}}
            """);

    JsonNode config = gemini.get("generationConfig");
    assertThat(config.get("responseMimeType").asText()).isEqualTo("application/json");
    assertThat(config.get("responseSchema"))
        .isEqualTo(
            json(
                """
                {"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"]}
                """));
  }

  @Test
  void jsonObjectResponseFormatAsksForJson() {
    ObjectNode gemini =
        chat(
            """
            {"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_object"}}
            """);

    assertThat(gemini.at("/generationConfig/responseMimeType").asText())
        .isEqualTo("application/json");
    assertThat(gemini.at("/generationConfig").has("responseSchema")).isFalse();
  }

  @Test
  void emptyMessagesAreRejected() {
    assertThatThrownBy(() -> chat("{\"messages\":[]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("messages");
  }

  @Test
  void legacyCompletionPromptBecomesOneUserTurn() {
    ObjectNode gemini =
        translator.request(
            Operation.COMPLETIONS, json("{\"prompt\":\"Once upon\",\"max_tokens\":5}"));

    assertThat(gemini.at("/contents/0/parts/0/text").asText()).isEqualTo("Once upon");
    assertThat(gemini.at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(5);
  }

  @Test
  void oneEmbeddingInputBecomesAnEmbedContentRequest() {
    ObjectNode gemini =
        translator.request(
            Operation.EMBEDDINGS,
            json("{\"model\":\"text-embedding-004\",\"input\":\"hello\",\"dimensions\":256}"));

    assertThat(gemini)
        .isEqualTo(
            json("{\"content\":{\"parts\":[{\"text\":\"hello\"}]},\"outputDimensionality\":256}"));
  }

  @Test
  void anArrayOfEmbeddingInputsBecomesABatchRequest() {
    ObjectNode gemini =
        translator.request(
            Operation.EMBEDDINGS,
            json("{\"model\":\"text-embedding-004\",\"input\":[\"a\",\"b\"]}"));

    assertThat(gemini)
        .isEqualTo(
            json(
                """
                {"requests":[
                  {"content":{"parts":[{"text":"a"}]},"model":"models/text-embedding-004"},
                  {"content":{"parts":[{"text":"b"}]},"model":"models/text-embedding-004"}]}
                """));
  }

  @Test
  void tokenArrayEmbeddingInputsAreRejected() {
    assertThatThrownBy(
            () ->
                translator.request(
                    Operation.EMBEDDINGS, json("{\"model\":\"m\",\"input\":[[1,2,3]]}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("token arrays");
  }
}
