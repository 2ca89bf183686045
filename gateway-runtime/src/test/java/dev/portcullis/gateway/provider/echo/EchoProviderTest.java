package dev.portcullis.gateway.provider.echo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.completions.Completion;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import dev.portcullis.api.snapshot.JsonTree;
import dev.portcullis.api.snapshot.TargetConfig;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.UpstreamRequest;
import dev.portcullis.gateway.provider.UpstreamResponse;
import dev.portcullis.gateway.provider.UpstreamTimeouts;
import dev.portcullis.gateway.provider.WireFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The echo upstream, driven through its provider and transport as the gateway drives it. */
class EchoProviderTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String WEATHER_TOOL =
      """
      {"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
        "properties":{"city":{"type":"string"}}}}}""";
  private static final String TIME_TOOL =
      """
      {"type":"function","function":{"name":"get_time"}}""";

  private final EchoProvider provider = new EchoProvider();

  private static final TargetConfig TARGET =
      new TargetConfig(
          "echo",
          "echo",
          "echo-1",
          null,
          null,
          1,
          TargetConfig.Timeouts.NONE,
          JsonTree.EMPTY,
          null,
          null,
          null,
          null);

  /** The status, headers and body text of one call. */
  private record Answer(int status, String contentType, String body) {
    JsonNode json() throws Exception {
      return MAPPER.readTree(body);
    }

    /** The data of every SSE event, in order. */
    List<String> events() {
      List<String> events = new ArrayList<>();
      for (String block : body.split("\n\n")) {
        StringBuilder data = new StringBuilder();
        for (String line : block.split("\n")) {
          if (line.startsWith("data: ")) {
            data.append(line.substring(6));
          }
        }
        if (!data.isEmpty()) {
          events.add(data.toString());
        }
      }
      return events;
    }

    /** Every chunk before [DONE], each checked by the OpenAI SDK's model. */
    List<JsonNode> chunks() throws Exception {
      List<String> events = events();
      assertThat(events.getLast()).isEqualTo("[DONE]");
      List<JsonNode> chunks = new ArrayList<>();
      for (String event : events.subList(0, events.size() - 1)) {
        ObjectMappers.jsonMapper().readValue(event, ChatCompletionChunk.class).validate();
        chunks.add(MAPPER.readTree(event));
      }
      return chunks;
    }
  }

  private Answer call(Operation operation, String body) throws Exception {
    boolean stream = MAPPER.readTree(body).path("stream").asBoolean(false);
    UpstreamRequest request =
        provider.request(
            operation, TARGET, "echo-1", stream, null, body.getBytes(StandardCharsets.UTF_8));
    try (UpstreamResponse response =
        provider.transport().orElseThrow().send(request, UpstreamTimeouts.DEFAULT)) {
      return new Answer(
          response.status(),
          response.header("content-type"),
          new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private Answer chat(String body) throws Exception {
    return call(Operation.CHAT, body);
  }

  private static String contentOf(List<JsonNode> chunks) {
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> text.append(c.at("/choices/0/delta/content").asText("")));
    return text.toString();
  }

  @Test
  void speaksOpenAiInProcess() {
    assertThat(provider.id()).isEqualTo("echo");
    assertThat(provider.format()).isEqualTo(WireFormat.OPENAI);
    assertThat(provider.transport()).isPresent();
  }

  @Test
  void chatAnswersEchoTheLastUserMessage() throws Exception {
    Answer answer =
        chat(
            """
            {"model":"echo-1","messages":[{"role":"system","content":"Be kind."},
              {"role":"user","content":"First"},{"role":"assistant","content":"Echo: First"},
              {"role":"user","content":"Hello there"}]}
            """);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).isEqualTo("application/json");
    ChatCompletion completion =
        ObjectMappers.jsonMapper().readValue(answer.body(), ChatCompletion.class).validate();
    assertThat(completion.choices().get(0).message().content()).hasValue("Echo: Hello there");
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.model()).isEqualTo("echo-1");
  }

  @Test
  void textPartsOfTheUserMessageAreJoined() throws Exception {
    Answer answer =
        chat(
            """
            {"messages":[{"role":"user","content":[{"type":"text","text":"Look"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,AA=="}},
              {"type":"text","text":"here"}]}]}
            """);

    assertThat(answer.json().at("/choices/0/message/content").asText())
        .isEqualTo("Echo: Look here");
  }

  @Test
  void usageEstimatesFourCharactersPerTokenPlusMessageFraming() throws Exception {
    JsonNode usage =
        chat("{\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}")
            .json()
            .get("usage");

    // prompt: 3 (reply priming) + 3 (message) + ceil(11/4); completion: ceil(17/4).
    assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(9);
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(5);
    assertThat(usage.get("total_tokens").asInt()).isEqualTo(14);
  }

  @Test
  void maxTokensCutsTheAnswerWithFinishReasonLength() throws Exception {
    JsonNode choice =
        chat("""
                {"max_tokens":2,"messages":[{"role":"user","content":"a rather long sentence"}]}
                """)
            .json()
            .at("/choices/0");

    assertThat(choice.at("/message/content").asText()).isEqualTo("Echo: a ");
    assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
  }

  @Test
  void streamedChatIsAnSseStreamOfValidChunksEndingWithDone() throws Exception {
    Answer answer =
        chat(
            """
            {"stream":true,"messages":[{"role":"user","content":"Hello brave new world"}]}
            """);

    assertThat(answer.contentType()).startsWith("text/event-stream");
    List<JsonNode> chunks = answer.chunks();
    assertThat(chunks.size()).isGreaterThan(3);
    assertThat(chunks.getFirst().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(contentOf(chunks)).isEqualTo("Echo: Hello brave new world");
    assertThat(chunks.getLast().at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(chunks).noneMatch(c -> c.has("usage"));
    assertThat(chunks.stream().map(c -> c.get("id").asText()).distinct()).hasSize(1);
  }

  @Test
  void streamedChatEndsWithAUsageChunkWhenAskedFor() throws Exception {
    List<JsonNode> chunks =
        chat("""
                {"stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"Hello there"}]}
                """)
            .chunks();

    JsonNode last = chunks.getLast();
    assertThat(last.get("choices").isEmpty()).isTrue();
    assertThat(last.at("/usage/total_tokens").asInt()).isEqualTo(14);
    assertThat(chunks.subList(0, chunks.size() - 1))
        .allMatch(c -> c.has("usage") && c.get("usage").isNull());
  }

  @Test
  void askingToCallADeclaredToolReturnsThatToolCall() throws Exception {
    JsonNode answer =
        chat("""
                {"tools":[%s,%s],"messages":[{"role":"user",
                  "content":"Please call get_weather {\\"city\\":\\"Paris\\"} now"}]}
                """
                .formatted(WEATHER_TOOL, TIME_TOOL))
            .json();

    ObjectMappers.jsonMapper().readValue(answer.toString(), ChatCompletion.class).validate();
    JsonNode call = answer.at("/choices/0/message/tool_calls/0");
    assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
    assertThat(MAPPER.readTree(call.at("/function/arguments").asText()))
        .isEqualTo(MAPPER.readTree("{\"city\":\"Paris\"}"));
    assertThat(call.get("id").asText()).startsWith("call_");
    assertThat(answer.at("/choices/0/message/content").isNull()).isTrue();
    assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void askingToCallAnUndeclaredToolJustEchoes() throws Exception {
    JsonNode answer =
        chat("""
                {"tools":[%s],"messages":[{"role":"user","content":"call launch_rockets"}]}
                """
                .formatted(WEATHER_TOOL))
            .json();

    assertThat(answer.at("/choices/0/message/content").asText())
        .isEqualTo("Echo: call launch_rockets");
  }

  @Test
  void toolChoiceNoneSuppressesToolCalls() throws Exception {
    JsonNode answer =
        chat("""
                {"tools":[%s],"tool_choice":"none",
                 "messages":[{"role":"user","content":"call get_weather"}]}
                """
                .formatted(WEATHER_TOOL))
            .json();

    assertThat(answer.at("/choices/0/message").has("tool_calls")).isFalse();
  }

  @Test
  void toolChoiceRequiredCallsTheFirstToolWithEmptyArguments() throws Exception {
    JsonNode call =
        chat("""
                {"tools":[%s,%s],"tool_choice":"required",
                 "messages":[{"role":"user","content":"anything"}]}
                """
                .formatted(TIME_TOOL, WEATHER_TOOL))
            .json()
            .at("/choices/0/message/tool_calls/0/function");

    assertThat(call.get("name").asText()).isEqualTo("get_time");
    assertThat(call.get("arguments").asText()).isEqualTo("{}");
  }

  @Test
  void aToolResultIsEchoedSoToolLoopsEnd() throws Exception {
    JsonNode answer =
        chat("""
                {"tools":[%s],"messages":[
                  {"role":"user","content":"call get_weather"},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                    "function":{"name":"get_weather","arguments":"{}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"21 degrees"}]}
                """
                .formatted(WEATHER_TOOL))
            .json();

    assertThat(answer.at("/choices/0/message/content").asText()).isEqualTo("Echo: 21 degrees");
    assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void streamedToolCallArrivesAsIdAndNameThenArgumentPieces() throws Exception {
    List<JsonNode> chunks =
        chat("""
                {"stream":true,"tools":[%s],
                 "messages":[{"role":"user","content":"call get_weather {\\"city\\":\\"Oslo\\"}"}]}
                """
                .formatted(WEATHER_TOOL))
            .chunks();

    JsonNode head = chunks.get(1).at("/choices/0/delta/tool_calls/0");
    assertThat(head.get("id").asText()).startsWith("call_");
    assertThat(head.at("/function/name").asText()).isEqualTo("get_weather");
    StringBuilder arguments = new StringBuilder();
    chunks.forEach(
        c -> arguments.append(c.at("/choices/0/delta/tool_calls/0/function/arguments").asText("")));
    assertThat(MAPPER.readTree(arguments.toString()))
        .isEqualTo(MAPPER.readTree("{\"city\":\"Oslo\"}"));
    assertThat(chunks.getLast().at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
  }

  @Test
  void completionsEchoThePrompt() throws Exception {
    Answer answer = call(Operation.COMPLETIONS, "{\"model\":\"echo-1\",\"prompt\":\"Once upon\"}");

    Completion completion =
        ObjectMappers.jsonMapper().readValue(answer.body(), Completion.class).validate();
    assertThat(completion.choices().get(0).text()).isEqualTo("Echo: Once upon");
  }

  @Test
  void streamedCompletionsEchoThePromptInPieces() throws Exception {
    List<String> events =
        call(Operation.COMPLETIONS, "{\"stream\":true,\"prompt\":\"Once upon a time\"}").events();

    assertThat(events.getLast()).isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    for (String event : events.subList(0, events.size() - 1)) {
      JsonNode chunk = MAPPER.readTree(event);
      assertThat(chunk.get("object").asText()).isEqualTo("text_completion");
      text.append(chunk.at("/choices/0/text").asText());
    }
    assertThat(text).hasToString("Echo: Once upon a time");
  }

  @Test
  void embeddingsAreDeterministicUnitVectorsOfEightDimensions() throws Exception {
    String body = "{\"model\":\"echo-embed\",\"input\":[\"apple\",\"pear\"]}";
    Answer first = call(Operation.EMBEDDINGS, body);
    Answer again = call(Operation.EMBEDDINGS, body);

    CreateEmbeddingResponse embeddings =
        ObjectMappers.jsonMapper()
            .readValue(first.body(), CreateEmbeddingResponse.class)
            .validate();
    List<Double> apple =
        embeddings.data().get(0).embedding().stream().map(Float::doubleValue).toList();
    assertThat(apple).hasSize(8);
    assertThat(Math.sqrt(apple.stream().mapToDouble(v -> v * v).sum()))
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(first.json().get("data")).isEqualTo(again.json().get("data"));
    assertThat(first.json().at("/data/0/embedding"))
        .isNotEqualTo(first.json().at("/data/1/embedding"));
  }

  @Test
  void embeddingsHonourTheDimensionsParameter() throws Exception {
    JsonNode data =
        call(Operation.EMBEDDINGS, "{\"input\":\"apple\",\"dimensions\":64}").json().get("data");

    assertThat(data.at("/0/embedding").size()).isEqualTo(64);
  }

  @Test
  void base64EmbeddingsAreTheSameFloatsLittleEndian() throws Exception {
    JsonNode floats = call(Operation.EMBEDDINGS, "{\"input\":\"apple\"}").json();
    JsonNode encoded =
        call(Operation.EMBEDDINGS, "{\"input\":\"apple\",\"encoding_format\":\"base64\"}").json();

    ByteBuffer bytes =
        ByteBuffer.wrap(Base64.getDecoder().decode(encoded.at("/data/0/embedding").asText()))
            .order(ByteOrder.LITTLE_ENDIAN);
    for (JsonNode value : floats.at("/data/0/embedding")) {
      assertThat(bytes.getFloat()).isEqualTo(value.floatValue());
    }
    assertThat(bytes.hasRemaining()).isFalse();
  }

  @Test
  void aBodyThatIsNotJsonIsABadRequestInOpenAiErrorFormat() throws Exception {
    UpstreamRequest request =
        provider.request(
            Operation.CHAT,
            TARGET,
            "echo-1",
            false,
            null,
            "{not json".getBytes(StandardCharsets.UTF_8));
    try (UpstreamResponse response =
        provider.transport().orElseThrow().send(request, UpstreamTimeouts.DEFAULT)) {
      JsonNode error = MAPPER.readTree(response.body().readAllBytes());

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.header("content-type")).isEqualTo("application/json");
      assertThat(error.at("/error/type").asText()).isEqualTo("invalid_request_error");
      assertThat(error.at("/error/message").asText()).contains("not valid JSON");
    }
  }

  @Test
  void chatWithoutMessagesIsABadRequest() throws Exception {
    Answer answer = chat("{\"model\":\"echo-1\"}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().at("/error/message").asText()).contains("messages");
  }
}
