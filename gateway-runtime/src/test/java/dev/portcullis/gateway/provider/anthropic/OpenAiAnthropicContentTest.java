package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Each piece converted one way and back comes back as it was. */
class OpenAiAnthropicContentTest {

  @Test
  void aToolCallComesBackFromItsToolUseBlock() {
    ObjectNode call =
        json(
            "{'id':'call_1','type':'function','function':{'name':'get_weather',"
                + "'arguments':'{\\\"city\\\":\\\"Paris\\\"}'}}");
    ObjectNode toolUse = OpenAiAnthropicContent.toolUse(call, json("{'city':'Paris'}"));
    assertThat(toolUse)
        .isEqualTo(
            json(
                "{'type':'tool_use','id':'call_1','name':'get_weather','input':{'city':'Paris'}}"));
    assertThat(OpenAiAnthropicContent.toolCall(toolUse)).isEqualTo(call);
  }

  @Test
  void aToolCallWithoutAnIdGetsAnAnthropicStyleOne() {
    ObjectNode toolUse =
        OpenAiAnthropicContent.toolUse(json("{'function':{'name':'now'}}"), Json.object());
    assertThat(toolUse.get("id").asText()).startsWith("toolu_");
  }

  @Test
  void aDataUrlImageComesBackFromItsImageBlock() {
    ObjectNode part = json("{'type':'image_url','image_url':{'url':'data:image/png;base64,iVBO'}}");
    ObjectNode block = OpenAiAnthropicContent.imageBlock(part.get("image_url"), "p");
    assertThat(block)
        .isEqualTo(
            json(
                "{'type':'image','source':{'type':'base64','media_type':'image/png','data':'iVBO'}}"));
    assertThat(OpenAiAnthropicContent.imageUrlPart(block.get("source"), "b")).isEqualTo(part);
  }

  @Test
  void aWebImageComesBackFromItsImageBlock() {
    ObjectNode part = json("{'type':'image_url','image_url':{'url':'https://example.com/a.png'}}");
    ObjectNode block = OpenAiAnthropicContent.imageBlock(part.get("image_url"), "p");
    assertThat(OpenAiAnthropicContent.imageUrlPart(block.get("source"), "b")).isEqualTo(part);
  }

  @Test
  void aPdfFileComesBackFromItsDocumentBlock() {
    ObjectNode part =
        json(
            "{'type':'file','file':{'filename':'a.pdf','file_data':'data:application/pdf;base64,JVBE'}}");
    ObjectNode block = OpenAiAnthropicContent.documentBlock(part.get("file"), "p");
    assertThat(OpenAiAnthropicContent.filePart(block, "b")).isEqualTo(part);
  }

  @Test
  void aFunctionToolComesBackFromItsAnthropicTool() {
    ObjectNode tool =
        json(
            "{'type':'function','function':{'name':'now','description':'The time',"
                + "'parameters':{'type':'object','properties':{}}}}");
    ObjectNode anthropic = OpenAiAnthropicContent.anthropicTool(tool, "tools[0]");
    assertThat(anthropic)
        .isEqualTo(
            json(
                "{'name':'now','description':'The time',"
                    + "'input_schema':{'type':'object','properties':{}}}"));
    assertThat(OpenAiAnthropicContent.openAiTool(anthropic, "tools[0]")).isEqualTo(tool);
  }

  @Test
  void aToolsCacheControlMarkerStaysBehindOnTheWayToOpenAi() {
    ObjectNode tool =
        OpenAiAnthropicContent.openAiTool(
            json(
                "{'name':'Read','input_schema':{'type':'object'},"
                    + "'cache_control':{'type':'ephemeral'}}"),
            "tools[0]");
    assertThat(tool.toString()).doesNotContain("cache_control");
  }

  @Test
  void toolChoicesComeBackFromTheirAnthropicForm() {
    for (String openAi : new String[] {"'auto'", "'none'", "'required'"}) {
      ObjectNode anthropic =
          OpenAiAnthropicContent.anthropicToolChoice(json("{'v':" + openAi + "}").get("v"), null);
      ObjectNode back = Json.object();
      OpenAiAnthropicContent.putOpenAiToolChoice(anthropic, back);
      assertThat(back.get("tool_choice")).isEqualTo(json("{'v':" + openAi + "}").get("v"));
    }
    ObjectNode named = json("{'type':'function','function':{'name':'now'}}");
    ObjectNode back = Json.object();
    OpenAiAnthropicContent.putOpenAiToolChoice(
        OpenAiAnthropicContent.anthropicToolChoice(named, null), back);
    assertThat(back.get("tool_choice")).isEqualTo(named);
  }

  @Test
  void parallelToolCallsOffComesBackFromDisableParallelToolUse() {
    ObjectNode anthropic =
        OpenAiAnthropicContent.anthropicToolChoice(
            json("{'v':'auto'}").get("v"), json("{'v':false}").get("v"));
    assertThat(anthropic).isEqualTo(json("{'type':'auto','disable_parallel_tool_use':true}"));
    ObjectNode back = Json.object();
    OpenAiAnthropicContent.putOpenAiToolChoice(anthropic, back);
    assertThat(back).isEqualTo(json("{'tool_choice':'auto','parallel_tool_calls':false}"));
  }

  @Test
  void anOpenAiCompletionIdBecomesAMessageId() {
    assertThat(OpenAiAnthropicContent.anthropicMessageId("chatcmpl-B1kQ9")).isEqualTo("msg_B1kQ9");
    assertThat(OpenAiAnthropicContent.anthropicMessageId(null)).startsWith("msg_");
  }
}
