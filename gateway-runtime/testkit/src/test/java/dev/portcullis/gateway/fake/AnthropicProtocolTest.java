package dev.portcullis.gateway.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AnthropicProtocolTest {
  private static FakeUpstream fake;
  private static LoopbackClient client;

  @BeforeAll
  static void start() {
    fake = FakeUpstream.start(0);
    client = new LoopbackClient(fake);
  }

  @AfterAll
  static void stop() {
    fake.stop();
  }

  private static final String MESSAGE =
      """
      {"model":"claude-sonnet-4-5","max_tokens":100,"system":"Be brief.",
       "messages":[{"role":"user","content":"Say hello to the gateway"}]}""";

  @Test
  void messageHasTheAnthropicShapeWithCacheUsageFields() {
    HttpResponse<String> response =
        client.post(
            "/v1/messages",
            MESSAGE,
            "x-api-key",
            "sk-ant-test",
            "anthropic-version",
            "2023-06-01",
            "x-fake-tokens",
            "4");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("request-id")).isPresent();
    JsonNode body = LoopbackClient.json(response);
    assertThat(body.get("id").asText()).startsWith("msg_");
    assertThat(body.get("type").asText()).isEqualTo("message");
    assertThat(body.get("role").asText()).isEqualTo("assistant");
    assertThat(body.get("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(body.at("/content/0/type").asText()).isEqualTo("text");
    assertThat(body.at("/content/0/text").asText()).isEqualTo("This is a fake");
    assertThat(body.get("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(body.get("stop_sequence").isNull()).isTrue();
    JsonNode usage = body.get("usage");
    assertThat(usage.get("input_tokens").asInt()).isPositive();
    assertThat(usage.get("output_tokens").asInt()).isEqualTo(4);
    assertThat(usage.get("cache_creation_input_tokens").asInt()).isZero();
    assertThat(usage.get("cache_read_input_tokens").asInt()).isZero();
    assertThat(fake.lastRequest().apiKey()).isEqualTo("sk-ant-test");
  }

  @Test
  void streamSendsTheAnthropicEventSequence() throws Exception {
    List<LoopbackClient.SseEvent> events =
        client.stream(
            "/v1/messages",
            """
            {"model":"claude-sonnet-4-5","max_tokens":100,"stream":true,
             "messages":[{"role":"user","content":"hi"}]}""",
            "x-fake-text",
            "alpha beta gamma");

    assertThat(events.stream().map(LoopbackClient.SseEvent::event))
        .containsExactly(
            "message_start",
            "content_block_start",
            "ping",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    assertThat(events)
        .allSatisfy(e -> assertThat(e.json().get("type").asText()).isEqualTo(e.event()));
    JsonNode start = events.get(0).json().get("message");
    assertThat(start.get("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(start.get("content")).isEmpty();
    assertThat(start.at("/usage/input_tokens").asInt()).isPositive();
    String text =
        events.stream()
            .filter(e -> "content_block_delta".equals(e.event()))
            .map(e -> e.json())
            .peek(d -> assertThat(d.at("/delta/type").asText()).isEqualTo("text_delta"))
            .map(d -> d.at("/delta/text").asText())
            .reduce("", String::concat);
    assertThat(text).isEqualTo("alpha beta gamma");
    JsonNode delta = events.get(7).json();
    assertThat(delta.at("/delta/stop_reason").asText()).isEqualTo("end_turn");
    assertThat(delta.at("/usage/output_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void maxTokensStopsTheMessageWithMaxTokens() {
    JsonNode body =
        LoopbackClient.json(
            client.post(
                "/v1/messages",
                """
                {"model":"claude-sonnet-4-5","max_tokens":2,
                 "messages":[{"role":"user","content":"hi"}]}"""));

    assertThat(body.get("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(body.at("/usage/output_tokens").asInt()).isEqualTo(2);
  }

  @Test
  void anyToolChoiceAnswersWithToolUse() {
    JsonNode body =
        LoopbackClient.json(
            client.post(
                "/v1/messages",
                """
                {"model":"claude-sonnet-4-5","max_tokens":100,
                 "messages":[{"role":"user","content":"weather?"}],
                 "tool_choice":{"type":"any"},
                 "tools":[{"name":"get_weather","input_schema":{"type":"object",
                   "properties":{"city":{"type":"string"}},"required":["city"]}}]}"""));

    assertThat(body.get("stop_reason").asText()).isEqualTo("tool_use");
    JsonNode block = body.at("/content/0");
    assertThat(block.get("type").asText()).isEqualTo("tool_use");
    assertThat(block.get("id").asText()).startsWith("toolu_");
    assertThat(block.get("name").asText()).isEqualTo("get_weather");
    assertThat(block.at("/input/city").asText()).isEqualTo("fake");
  }

  @Test
  void toolUseStreamsInputJsonDeltas() throws Exception {
    List<LoopbackClient.SseEvent> events =
        client.stream(
            "/v1/messages",
            """
            {"model":"claude-sonnet-4-5","max_tokens":100,"stream":true,
             "messages":[{"role":"user","content":"x"}],
             "tool_choice":{"type":"tool","name":"lookup"},
             "tools":[{"name":"other","input_schema":{"type":"object"}},
                      {"name":"lookup","input_schema":{"type":"object",
                       "properties":{"q":{"type":"string"}},"required":["q"]}}]}""");

    assertThat(events.get(1).json().at("/content_block/type").asText()).isEqualTo("tool_use");
    assertThat(events.get(1).json().at("/content_block/name").asText()).isEqualTo("lookup");
    String json =
        events.stream()
            .filter(e -> "content_block_delta".equals(e.event()))
            .map(e -> e.json().at("/delta/partial_json").asText())
            .reduce("", String::concat);
    assertThat(LoopbackClient.json(json).get("q").asText()).isEqualTo("fake");
    assertThat(
            events.stream()
                .filter(e -> "message_delta".equals(e.event()))
                .findFirst()
                .orElseThrow()
                .json()
                .at("/delta/stop_reason")
                .asText())
        .isEqualTo("tool_use");
  }

  @Test
  void countTokensEstimatesTheInput() {
    JsonNode body = LoopbackClient.json(client.post("/v1/messages/count_tokens", MESSAGE));

    assertThat(body.get("input_tokens").asInt()).isBetween(5, 20);
  }

  @Test
  void modelListInAnthropicShapeWhenTheClientSendsAnthropicVersion() {
    JsonNode body =
        LoopbackClient.json(client.get("/v1/models", "anthropic-version", "2023-06-01"));

    assertThat(body.get("has_more").asBoolean()).isFalse();
    assertThat(body.at("/data/0/type").asText()).isEqualTo("model");
  }

  @Test
  void errorsUseTheAnthropicErrorFormat() {
    HttpResponse<String> response = client.post("/v1/messages", MESSAGE, "x-fake-status", "529");

    assertThat(response.statusCode()).isEqualTo(529);
    JsonNode body = LoopbackClient.json(response);
    assertThat(body.get("type").asText()).isEqualTo("error");
    assertThat(body.at("/error/type").asText()).isEqualTo("overloaded_error");
    assertThat(body.at("/error/message").asText()).isNotEmpty();
  }
}
