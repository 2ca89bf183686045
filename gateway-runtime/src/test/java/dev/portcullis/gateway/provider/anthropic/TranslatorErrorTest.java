package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TranslatorErrorTest {
  private final OpenAiToAnthropicTranslator toOpenAiClient = new OpenAiToAnthropicTranslator();
  private final AnthropicToOpenAiTranslator toAnthropicClient = new AnthropicToOpenAiTranslator();

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "400, invalid_request_error, invalid_request_error, null",
        "401, authentication_error, authentication_error, invalid_api_key",
        "403, permission_error, permission_error, permission_denied",
        "404, not_found_error, invalid_request_error, not_found",
        "413, request_too_large, invalid_request_error, request_too_large",
        "429, rate_limit_error, rate_limit_error, rate_limit_exceeded",
        "500, api_error, server_error, null",
        "529, overloaded_error, server_error, overloaded"
      })
  void anthropicErrorsBecomeOpenAiErrors(
      int status, String anthropicType, String openAiType, String code) {
    ObjectNode out =
        toOpenAiClient.error(
            status,
            json(
                "{'type':'error','error':{'type':'"
                    + anthropicType
                    + "','message':'max_tokens: Field required'},'request_id':'req_011CSHoEeqs5C35K2UUqR7Fy'}"));
    ObjectNode expected = json("{'error':{'message':'max_tokens: Field required','param':null}}");
    ((ObjectNode) expected.get("error")).put("type", openAiType);
    if (code == null) {
      ((ObjectNode) expected.get("error")).putNull("code");
    } else {
      ((ObjectNode) expected.get("error")).put("code", code);
    }
    assertThat(out).isEqualTo(expected);
  }

  @Test
  void overloadedTypeWinsOverAGenericStatus() {
    ObjectNode out =
        toOpenAiClient.error(
            500,
            json("{'type':'error','error':{'type':'overloaded_error','message':'Overloaded'}}"));
    assertThat(out.get("error").get("code").asText()).isEqualTo("overloaded");
  }

  @Test
  void anEmptyAnthropicErrorBodyStillGetsAMessage() {
    ObjectNode out = toOpenAiClient.error(502, json("{}"));
    assertThat(out.get("error").get("message").asText()).contains("HTTP 502");
    assertThat(out.get("error").get("type").asText()).isEqualTo("server_error");
  }

  @ParameterizedTest
  @CsvSource({
    "400, invalid_request_error",
    "401, authentication_error",
    "402, billing_error",
    "403, permission_error",
    "404, not_found_error",
    "409, invalid_request_error",
    "413, request_too_large",
    "422, invalid_request_error",
    "429, rate_limit_error",
    "500, api_error",
    "502, api_error",
    "503, overloaded_error"
  })
  void openAiErrorsBecomeAnthropicErrorsTypedByStatus(int status, String anthropicType) {
    ObjectNode out =
        toAnthropicClient.error(
            status,
            json(
                "{'error':{'message':'Incorrect API key provided: sk-abc***','type':'invalid_request_error',"
                    + "'param':null,'code':'invalid_api_key'}}"));
    assertThat(out)
        .isEqualTo(
            json(
                "{'type':'error','error':{'type':'"
                    + anthropicType
                    + "','message':'Incorrect API key provided: sk-abc***'}}"));
  }

  @Test
  void anOpenAiCompatibleErrorWithAPlainStringIsKept() {
    ObjectNode out = toAnthropicClient.error(400, json("{'error':'model not loaded'}"));
    assertThat(out.get("error").get("message").asText()).isEqualTo("model not loaded");
  }

  @Test
  void anEmptyOpenAiErrorBodyStillGetsAMessage() {
    ObjectNode out = toAnthropicClient.error(504, null);
    assertThat(out.get("error").get("message").asText()).contains("HTTP 504");
    assertThat(out.get("error").get("type").asText()).isEqualTo("api_error");
  }
}
