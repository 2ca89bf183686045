package dev.portcullis.gateway.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.endpoint.anthropic.AnthropicFamily;
import dev.portcullis.gateway.endpoint.gemini.GeminiFamily;
import dev.portcullis.gateway.endpoint.openai.OpenAiFamily;
import dev.portcullis.gateway.provider.Usage;
import dev.portcullis.gateway.provider.WireFormat;
import org.junit.jupiter.api.Test;

class UsageExtractorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ObjectNode json(String singleQuoted) throws Exception {
    return (ObjectNode) JSON.readTree(singleQuoted.replace('\'', '"'));
  }

  @Test
  void openAiChatUsageIncludesCachedTokens() throws Exception {
    assertThat(
            OpenAiFamily.INSTANCE.usage(
                json(
                    "{'id':'chatcmpl-1','object':'chat.completion','usage':{'prompt_tokens':1117,"
                        + "'completion_tokens':46,'total_tokens':1163,'prompt_tokens_details':"
                        + "{'cached_tokens':1024,'audio_tokens':0}}}")))
        .contains(new Usage(1117, 46, 1024));
  }

  @Test
  void openAiEmbeddingsUsageHasNoOutput() throws Exception {
    assertThat(
            OpenAiFamily.INSTANCE.usage(
                json("{'object':'list','data':[],'usage':{'prompt_tokens':8,'total_tokens':8}}")))
        .contains(new Usage(8, 0, 0));
  }

  @Test
  void anthropicInputCountsCacheReadsAndWrites() throws Exception {
    assertThat(
            AnthropicFamily.INSTANCE.usage(
                json(
                    "{'type':'message','usage':{'input_tokens':10,'cache_creation_input_tokens':200,"
                        + "'cache_read_input_tokens':1000,'output_tokens':50}}")))
        .contains(new Usage(1210, 50, 1000));
  }

  @Test
  void geminiOutputIncludesThinking() throws Exception {
    assertThat(
            GeminiFamily.INSTANCE.usage(
                json(
                    "{'candidates':[],'usageMetadata':{'promptTokenCount':100,'candidatesTokenCount':20,"
                        + "'thoughtsTokenCount':30,'cachedContentTokenCount':40,'totalTokenCount':150}}")))
        .contains(new Usage(100, 50, 40));
  }

  @Test
  void aBodyWithoutUsageYieldsNothing() throws Exception {
    assertThat(OpenAiFamily.INSTANCE.usage(json("{'id':'x'}"))).isEmpty();
    assertThat(AnthropicFamily.INSTANCE.usage(json("{'usage':null}"))).isEmpty();
    assertThat(UsageExtractors.forFormat(WireFormat.GEMINI, json("{}"))).isEmpty();
  }

  @Test
  void forFormatPicksTheExtractor() throws Exception {
    ObjectNode body = json("{'usage':{'input_tokens':3,'output_tokens':4}}");
    assertThat(UsageExtractors.forFormat(WireFormat.ANTHROPIC, body)).contains(new Usage(3, 4, 0));
  }

  @Test
  void usageArithmetic() {
    Usage u = new Usage(100, 20, 30);
    assertThat(u.totalTokens()).isEqualTo(120);
    assertThat(u.uncachedInputTokens()).isEqualTo(70);
    assertThat(u.plus(new Usage(1, 2, 3))).isEqualTo(new Usage(101, 22, 33));
  }

  private static byte[] bytes(String singleQuoted) {
    return singleQuoted.replace('\'', '"').getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void scanningTheBytesReadsWhatTheTreeReadsInEachFormat() throws Exception {
    String openAi =
        "{'id':'c','choices':[{'message':{'content':'usage: lots'}}],'usage':{'prompt_tokens':"
            + "1117,'completion_tokens':46,'prompt_tokens_details':{'cached_tokens':1024}}}";
    String anthropic =
        "{'content':[{'type':'text','text':'x'}],'usage':{'input_tokens':10,"
            + "'cache_read_input_tokens':1000,'output_tokens':50.0}}";
    String gemini =
        "{'usage':{'x':1},'usageMetadata':{'promptTokenCount':100,'candidatesTokenCount':"
            + "12345678901,'thoughtsTokenCount':30}}";
    assertThat(UsageExtractors.scan(WireFormat.OPENAI, bytes(openAi)))
        .isEqualTo(UsageExtractors.forFormat(WireFormat.OPENAI, json(openAi)))
        .contains(new Usage(1117, 46, 1024));
    assertThat(UsageExtractors.scan(WireFormat.ANTHROPIC, bytes(anthropic)))
        .isEqualTo(UsageExtractors.forFormat(WireFormat.ANTHROPIC, json(anthropic)))
        .contains(new Usage(1010, 50, 1000));
    assertThat(UsageExtractors.scan(WireFormat.GEMINI, bytes(gemini)))
        .isEqualTo(UsageExtractors.forFormat(WireFormat.GEMINI, json(gemini)))
        .contains(new Usage(100, 12345678931L, 0));
  }

  @Test
  void scanningTakesTheLastUsageWhenTheFieldRepeats() {
    assertThat(
            UsageExtractors.scan(
                WireFormat.OPENAI,
                bytes("{'usage':{'prompt_tokens':1},'usage':{'prompt_tokens':2}}")))
        .contains(new Usage(2, 0, 0));
  }

  @Test
  void scanningFindsNothingInABodyThatIsNotAJsonObject() {
    assertThat(UsageExtractors.scan(WireFormat.OPENAI, bytes("not json"))).isEmpty();
    assertThat(UsageExtractors.scan(WireFormat.OPENAI, bytes("[{'usage':{}}]"))).isEmpty();
    assertThat(UsageExtractors.scan(WireFormat.OPENAI, bytes(""))).isEmpty();
    assertThat(
            UsageExtractors.scan(
                WireFormat.OPENAI, bytes("{'usage':{'prompt_tokens':1},'choices':[")))
        .isEmpty();
  }
}
