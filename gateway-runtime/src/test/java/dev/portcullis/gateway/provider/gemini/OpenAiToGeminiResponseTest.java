package dev.portcullis.gateway.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.completions.Completion;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import dev.portcullis.gateway.provider.Operation;
import org.junit.jupiter.api.Test;

/** Gemini answers (as the API sends them) as OpenAI answers the OpenAI SDK accepts. */
class OpenAiToGeminiResponseTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final OpenAiToGeminiTranslator translator = new OpenAiToGeminiTranslator();

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final String TEXT_RESPONSE =
      """
      {
        "candidates": [
          {
            "content": {
              "parts": [{"text": "The sky is blue because of Rayleigh scattering."}],
              "role": "model"
            },
            "finishReason": "STOP",
            "avgLogprobs": -0.1183
          }
        ],
        "usageMetadata": {
          "promptTokenCount": 8,
          "candidatesTokenCount": 10,
          "totalTokenCount": 18,
          "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 8}],
          "candidatesTokensDetails": [{"modality": "TEXT", "tokenCount": 10}]
        },
        "modelVersion": "gemini-2.0-flash",
        "responseId": "k2hJaN2PBvKXz7IPqL6n-Ak"
      }
      """;

  private static final String FUNCTION_CALL_RESPONSE =
      """
      {
        "candidates": [
          {
            "content": {
              "parts": [
                {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
                 "thoughtSignature": "CiQB0e2Kb1x7Q0jy2b8="},
                {"functionCall": {"name": "get_time", "args": {"tz": "Europe/Paris"}}}
              ],
              "role": "model"
            },
            "finishReason": "STOP",
            "index": 0
          }
        ],
        "usageMetadata": {
          "promptTokenCount": 52,
          "candidatesTokenCount": 21,
          "totalTokenCount": 139,
          "thoughtsTokenCount": 66
        },
        "modelVersion": "gemini-2.5-flash",
        "responseId": "fn-1"
      }
      """;

  private ObjectNode chat(String geminiResponse) {
    return translator.response(Operation.CHAT, json(geminiResponse), "gpt-4o");
  }

  @Test
  void textCandidateBecomesAnAssistantMessageTheOpenAiSdkAccepts() throws Exception {
    ObjectNode openAi = chat(TEXT_RESPONSE);

    ChatCompletion completion =
        ObjectMappers.jsonMapper().readValue(openAi.toString(), ChatCompletion.class).validate();
    assertThat(completion.model()).isEqualTo("gpt-4o");
    assertThat(completion.choices()).hasSize(1);
    assertThat(completion.choices().get(0).message().content())
        .hasValue("The sky is blue because of Rayleigh scattering.");
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(openAi.get("id").asText()).isEqualTo("chatcmpl-k2hJaN2PBvKXz7IPqL6n-Ak");
  }

  @Test
  void usageComesFromUsageMetadata() {
    assertThat(chat(TEXT_RESPONSE).get("usage"))
        .isEqualTo(
            json(
                """
                {"prompt_tokens":8,"completion_tokens":10,"total_tokens":18,
                 "prompt_tokens_details":{"cached_tokens":0},
                 "completion_tokens_details":{"reasoning_tokens":0}}
                """));
  }

  @Test
  void cachedAndThinkingTokensAreReportedAsOpenAiDetails() {
    ObjectNode usage =
        (ObjectNode)
            chat("""
                    {"candidates":[{"content":{"parts":[{"text":"ok"}],"role":"model"},
                      "finishReason":"STOP"}],
                     "usageMetadata":{"promptTokenCount":2000,"candidatesTokenCount":5,
                       "cachedContentTokenCount":1500,"thoughtsTokenCount":40,
                       "totalTokenCount":2045}}
                    """)
                .get("usage");

    assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(2000);
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(45);
    assertThat(usage.at("/prompt_tokens_details/cached_tokens").asInt()).isEqualTo(1500);
    assertThat(usage.at("/completion_tokens_details/reasoning_tokens").asInt()).isEqualTo(40);
  }

  @Test
  void functionCallsBecomeToolCallsWithIdsAndFinishReasonToolCalls() throws Exception {
    ObjectNode openAi = chat(FUNCTION_CALL_RESPONSE);

    ChatCompletion completion =
        ObjectMappers.jsonMapper().readValue(openAi.toString(), ChatCompletion.class).validate();
    var message = completion.choices().get(0).message();
    assertThat(message.content()).isEmpty();
    assertThat(message.toolCalls().orElseThrow()).hasSize(2);
    var first = message.toolCalls().orElseThrow().get(0).asFunction();
    assertThat(first.function().name()).isEqualTo("get_weather");
    assertThat(MAPPER.readTree(first.function().arguments()))
        .isEqualTo(json("{\"city\":\"Paris\"}"));
    assertThat(first.id()).startsWith("call_");
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
  }

  @Test
  void theThoughtSignatureOfAFunctionCallTravelsInItsToolCallId() {
    JsonNode toolCalls = chat(FUNCTION_CALL_RESPONSE).at("/choices/0/message/tool_calls");

    assertThat(GeminiToolCallIds.thoughtSignature(toolCalls.at("/0/id").asText()))
        .hasValue("CiQB0e2Kb1x7Q0jy2b8=");
    assertThat(GeminiToolCallIds.thoughtSignature(toolCalls.at("/1/id").asText())).isEmpty();
    assertThat(toolCalls.at("/0/id").asText()).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void maxTokensFinishIsLength() {
    assertThat(
            chat("""
                    {"candidates":[{"content":{"parts":[{"text":"The sky"}],"role":"model"},
                      "finishReason":"MAX_TOKENS","index":0}]}
                    """)
                .at("/choices/0/finish_reason")
                .asText())
        .isEqualTo("length");
  }

  @Test
  void safetyFinishIsContentFilter() {
    assertThat(
            chat("""
                    {"candidates":[{"finishReason":"SAFETY","index":0,"safetyRatings":[
                      {"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH",
                       "blocked":true}]}]}
                    """)
                .at("/choices/0/finish_reason")
                .asText())
        .isEqualTo("content_filter");
  }

  @Test
  void aBlockedPromptWithoutCandidatesIsAContentFilteredEmptyAnswer() {
    ObjectNode openAi =
        chat(
            """
            {"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[]},
             "usageMetadata":{"promptTokenCount":7,"totalTokenCount":7}}
            """);

    assertThat(openAi.at("/choices/0/finish_reason").asText()).isEqualTo("content_filter");
    assertThat(openAi.at("/choices/0/message/content").isNull()).isTrue();
  }

  @Test
  void thoughtSummariesAreNotPartOfTheContent() {
    assertThat(
            chat("""
                    {"candidates":[{"content":{"parts":[
                      {"text":"**Considering the question**","thought":true},
                      {"text":"42"}],"role":"model"},"finishReason":"STOP","index":0}]}
                    """)
                .at("/choices/0/message/content")
                .asText())
        .isEqualTo("42");
  }

  @Test
  void severalCandidatesBecomeSeveralChoices() {
    ObjectNode openAi =
        chat(
            """
            {"candidates":[
              {"content":{"parts":[{"text":"A"}],"role":"model"},"finishReason":"STOP","index":0},
              {"content":{"parts":[{"text":"B"}],"role":"model"},"finishReason":"STOP","index":1}]}
            """);

    assertThat(openAi.get("choices").findValuesAsText("content")).containsExactly("A", "B");
    assertThat(openAi.get("choices").findValuesAsText("index")).containsExactly("0", "1");
  }

  @Test
  void legacyCompletionAnswerIsATextCompletion() throws Exception {
    ObjectNode openAi =
        translator.response(Operation.COMPLETIONS, json(TEXT_RESPONSE), "gpt-3.5-turbo-instruct");

    Completion completion =
        ObjectMappers.jsonMapper().readValue(openAi.toString(), Completion.class).validate();
    assertThat(completion.choices().get(0).text())
        .isEqualTo("The sky is blue because of Rayleigh scattering.");
  }

  @Test
  void embedContentAnswerIsAnEmbeddingList() throws Exception {
    ObjectNode openAi =
        translator.response(
            Operation.EMBEDDINGS,
            json("{\"embedding\":{\"values\":[0.013168523,-0.008587432,-0.046460625]}}"),
            "text-embedding-3-small");

    CreateEmbeddingResponse embeddings =
        ObjectMappers.jsonMapper()
            .readValue(openAi.toString(), CreateEmbeddingResponse.class)
            .validate();
    assertThat(embeddings.data()).hasSize(1);
    assertThat(embeddings.data().get(0).embedding()).hasSize(3);
    assertThat(embeddings.model()).isEqualTo("text-embedding-3-small");
  }

  @Test
  void batchEmbedContentsAnswerKeepsTheInputOrder() {
    ObjectNode openAi =
        translator.response(
            Operation.EMBEDDINGS,
            json("{\"embeddings\":[{\"values\":[0.1,0.2]},{\"values\":[0.3,0.4]}]}"),
            "emb");

    assertThat(openAi.at("/data/1/index").asInt()).isEqualTo(1);
    assertThat(openAi.at("/data/1/embedding/0").asDouble()).isEqualTo(0.3);
  }

  @Test
  void geminiErrorsBecomeOpenAiErrorsKeepingTheMessage() {
    ObjectNode openAi =
        translator.error(
            400,
            json(
                """
                {"error":{"code":400,"message":"API key not valid. Please pass a valid API key.",
                  "status":"INVALID_ARGUMENT","details":[
                    {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID",
                     "domain":"googleapis.com"}]}}
                """));

    assertThat(openAi)
        .isEqualTo(
            json(
                """
                {"error":{"message":"API key not valid. Please pass a valid API key.",
                  "type":"invalid_request_error","param":null,"code":"invalid_argument"}}
                """));
  }

  @Test
  void quotaErrorsAreRateLimitErrors() {
    ObjectNode openAi =
        translator.error(
            429,
            json(
                """
                {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).",
                  "status":"RESOURCE_EXHAUSTED"}}
                """));

    assertThat(openAi.at("/error/type").asText()).isEqualTo("rate_limit_error");
    assertThat(openAi.at("/error/code").asText()).isEqualTo("resource_exhausted");
  }

  @Test
  void anEmptyErrorBodyStillGivesAMessageWithTheStatus() {
    ObjectNode openAi = translator.error(503, json("{}"));

    assertThat(openAi.at("/error/message").asText()).contains("503");
    assertThat(openAi.at("/error/type").asText()).isEqualTo("server_error");
  }
}
