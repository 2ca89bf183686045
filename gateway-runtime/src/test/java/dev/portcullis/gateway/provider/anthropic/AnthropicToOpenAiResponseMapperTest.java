package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class AnthropicToOpenAiResponseMapperTest {

  @Test
  void malformedToolArgumentsBecomeAnEmptyInputAndAMissingIdAFreshOne() {
    ObjectNode out =
        AnthropicToOpenAiResponseMapper.map(
            json(
                "{'id':'chatcmpl-9','choices':[{'index':0,'message':{'role':'assistant',"
                    + "'content':null,'tool_calls':[{'type':'function','function':"
                    + "{'name':'now','arguments':'{not json'}}]},'finish_reason':'tool_calls'}]}"),
            "claude");
    assertThat(out.at("/content/0/input")).isEqualTo(json("{}"));
    assertThat(out.at("/content/0/id").asText()).startsWith("toolu_");
    assertThat(out.get("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(out.get("id").asText()).isEqualTo("msg_9");
  }

  @Test
  void aContentFilterFinishIsARefusal() {
    ObjectNode out =
        AnthropicToOpenAiResponseMapper.map(
            json(
                "{'choices':[{'message':{'content':'','refusal':'I cannot help.'},"
                    + "'finish_reason':'content_filter'}]}"),
            "claude");
    assertThat(out.get("stop_reason").asText()).isEqualTo("refusal");
    assertThat(out.at("/content/0/text").asText()).isEqualTo("I cannot help.");
  }
}
