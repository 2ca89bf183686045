package dev.portcullis.gateway.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class OpenAiToGeminiErrorMapperTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aBodyAndAStreamEventWithTheSameErrorReadTheSame() throws Exception {
    String error = "{\"code\":429,\"message\":\"Quota\",\"status\":\"RESOURCE_EXHAUSTED\"}";
    ObjectNode body =
        OpenAiToGeminiErrorMapper.body(
            429, (ObjectNode) JSON.readTree("{\"error\":" + error + "}"));
    ObjectNode event = OpenAiToGeminiErrorMapper.streamEvent(JSON.readTree(error));
    assertThat(event).isEqualTo(body);
    assertThat(body.at("/error/type").asText()).isEqualTo("rate_limit_error");
    assertThat(body.at("/error/code").asText()).isEqualTo("resource_exhausted");
  }

  @Test
  void anEmptyBodyStillNamesTheStatus() {
    ObjectNode body = OpenAiToGeminiErrorMapper.body(503, JSON.createObjectNode());
    assertThat(body.at("/error/message").asText()).contains("HTTP 503");
    assertThat(body.at("/error/type").asText()).isEqualTo("server_error");
  }
}
