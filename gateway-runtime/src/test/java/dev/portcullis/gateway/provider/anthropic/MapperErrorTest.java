package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The two error mappers of the pair, for whole bodies and for stream events. */
class MapperErrorTest {

  @Test
  void anAnthropicStreamErrorEventBecomesAnOpenAiErrorTypedByItsType() {
    ObjectNode out =
        OpenAiToAnthropicErrorMapper.streamEvent(
            json("{'type':'overloaded_error','message':'Overloaded'}"));
    assertThat(out)
        .isEqualTo(
            json(
                "{'error':{'message':'Overloaded','type':'server_error','code':null,'param':null}}"));
  }

  @Test
  void anOpenAiStreamErrorChunkBecomesAnAnthropicErrorTypedByItsCode() {
    ObjectNode out =
        AnthropicToOpenAiErrorMapper.streamEvent(
            json(
                "{'error':{'message':'Slow down','type':'requests','code':'rate_limit_exceeded'}}"));
    assertThat(out)
        .isEqualTo(
            json("{'type':'error','error':{'type':'rate_limit_error','message':'Slow down'}}"));
  }

  @Test
  void anOpenAiPermissionErrorStaysAPermissionErrorInAStream() {
    ObjectNode out =
        AnthropicToOpenAiErrorMapper.streamEvent(
            json("{'error':{'message':'no','type':'permission_error'}}"));
    assertThat(out.at("/error/type").asText()).isEqualTo("permission_error");
  }

  @Test
  void aTruncatedStreamSaysSoInEachClientsFormat() {
    assertThat(OpenAiToAnthropicErrorMapper.truncatedStream().at("/error/code").asText())
        .isEqualTo("upstream_stream_truncated");
    assertThat(AnthropicToOpenAiErrorMapper.truncatedStream().at("/error/type").asText())
        .isEqualTo("api_error");
  }

  @Test
  void anOpenAiErrorBodyIsTypedByStatusForAnthropicClients() {
    ObjectNode out =
        AnthropicToOpenAiErrorMapper.body(
            402, json("{'error':{'message':'Pay up','type':'insufficient_quota'}}"));
    assertThat(out)
        .isEqualTo(json("{'type':'error','error':{'type':'billing_error','message':'Pay up'}}"));
  }
}
