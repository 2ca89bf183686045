package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiToAnthropicRequestTest {
  private final OpenAiToAnthropicTranslator translator = new OpenAiToAnthropicTranslator();

  private ObjectNode translate(String singleQuotedJson) {
    return translator.request(Operation.CHAT, json(singleQuotedJson));
  }

  @Test
  void simpleChatKeepsModelAndStringContent() {
    ObjectNode out =
        translate(
            "{'model':'gpt-4o','messages':[{'role':'system','content':'Be brief.'},"
                + "{'role':'user','content':'Hello'}]}");
    assertThat(out)
        .isEqualTo(
            json(
                "{'model':'gpt-4o','system':'Be brief.',"
                    + "'messages':[{'role':'user','content':'Hello'}],'max_tokens':4096}"));
  }

  @Test
  void systemAndDeveloperMessagesAllBecomeSystemBlocks() {
    ObjectNode out =
        translate(
            "{'model':'m','messages':[{'role':'system','content':'A'},"
                + "{'role':'developer','content':[{'type':'text','text':'B'}]},"
                + "{'role':'user','content':'hi'},{'role':'system','content':'C'}]}");
    assertThat(out.get("system"))
        .isEqualTo(
            Fixtures.parse(
                "[{\"type\":\"text\",\"text\":\"A\"},{\"type\":\"text\",\"text\":\"B\"},"
                    + "{\"type\":\"text\",\"text\":\"C\"}]"));
    assertThat(out.get("messages")).hasSize(1);
  }

  @Test
  void textAndImagePartsBecomeBlocks() {
    ObjectNode out =
        translate(
            "{'model':'m','messages':[{'role':'user','content':["
                + "{'type':'text','text':'What is in these?'},"
                + "{'type':'image_url','image_url':{'url':'data:image/png;base64,iVBORw0KGgo=','detail':'high'}},"
                + "{'type':'image_url','image_url':{'url':'https://example.com/cat.jpg'}}]}]}");
    assertThat(out.get("messages").get(0).get("content"))
        .isEqualTo(
            json("{'c':[{'type':'text','text':'What is in these?'},"
                    + "{'type':'image','source':{'type':'base64','media_type':'image/png','data':'iVBORw0KGgo='}},"
                    + "{'type':'image','source':{'type':'url','url':'https://example.com/cat.jpg'}}]}")
                .get("c"));
  }

  @Test
  void nonBase64DataUrlIsRejected() {
    assertThatThrownBy(
            () ->
                translate(
                    "{'model':'m','messages':[{'role':'user','content':["
                        + "{'type':'image_url','image_url':{'url':'data:image/png,rawbytes'}}]}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("messages[0].content[0]")
        .hasMessageContaining("base64");
  }

  @Test
  void inlineFileBecomesADocument() {
    ObjectNode out =
        translate(
            "{'model':'m','messages':[{'role':'user','content':["
                + "{'type':'file','file':{'filename':'q3.pdf','file_data':'data:application/pdf;base64,JVBERi0='}}]}]}");
    assertThat(out.get("messages").get(0).get("content").get(0))
        .isEqualTo(
            json(
                "{'type':'document','source':{'type':'base64','media_type':'application/pdf',"
                    + "'data':'JVBERi0='},'title':'q3.pdf'}"));
  }

  @Test
  void fileIdsAndAudioAreRejected() {
    assertThatThrownBy(
            () ->
                translate(
                    "{'model':'m','messages':[{'role':'user','content':["
                        + "{'type':'file','file':{'file_id':'file-abc'}}]}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("file_id");
    assertThatThrownBy(
            () ->
                translate(
                    "{'model':'m','messages':[{'role':'user','content':["
                        + "{'type':'input_audio','input_audio':{'data':'AAA','format':'wav'}}]}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input_audio");
  }

  @Test
  void assistantToolCallsBecomeToolUseBlocksWithParsedInput() {
    ObjectNode out =
        translate(
            "{'model':'m','messages':[{'role':'user','content':'Weather in Paris?'},"
                + "{'role':'assistant','content':'Checking.','tool_calls':[{'id':'call_1','type':'function',"
                + "'function':{'name':'get_weather','arguments':'{\\'city\\':\\'Paris\\'}'}}]}]}"
                    .replace("\\'", "\\\""));
    assertThat(out.get("messages").get(1))
        .isEqualTo(
            json(
                "{'role':'assistant','content':[{'type':'text','text':'Checking.'},"
                    + "{'type':'tool_use','id':'call_1','name':'get_weather','input':{'city':'Paris'}}]}"));
  }

  @Test
  void assistantWithNullContentAndToolCallsHasOnlyToolUse() {
    ObjectNode out =
        translate(
            "{'model':'m','messages':[{'role':'user','content':'q'},"
                + "{'role':'assistant','content':null,'tool_calls':[{'id':'call_1','type':'function',"
                + "'function':{'name':'now','arguments':''}}]}]}");
    assertThat(out.get("messages").get(1).get("content"))
        .isEqualTo(
            json("{'c':[{'type':'tool_use','id':'call_1','name':'now','input':{}}]}").get("c"));
  }

  @Test
  void malformedToolArgumentsAreRejected() {
    assertThatThrownBy(
            () ->
                translate(
                    "{'model':'m','messages':[{'role':'assistant','tool_calls':[{'id':'c','type':'function',"
                        + "'function':{'name':'f','arguments':'{not json'}}]}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("messages[0].tool_calls[0].function.arguments");
  }

  @Test
  void consecutiveToolMessagesMergeIntoOneUserTurnBeforeTheNextUserText() {
    ObjectNode out =
        translate(
            "{'model':'m','messages':[{'role':'user','content':'Paris and Rome?'},"
                + "{'role':'assistant','content':null,'tool_calls':["
                + "{'id':'call_a','type':'function','function':{'name':'w','arguments':'{}'}},"
                + "{'id':'call_b','type':'function','function':{'name':'w','arguments':'{}'}}]},"
                + "{'role':'tool','tool_call_id':'call_a','content':'18C'},"
                + "{'role':'tool','tool_call_id':'call_b','content':[{'type':'text','text':'21C'}]},"
                + "{'role':'user','content':'Thanks, which is warmer?'}]}");
    assertThat(out.get("messages")).hasSize(3);
    assertThat(out.get("messages").get(2))
        .isEqualTo(
            json(
                "{'role':'user','content':["
                    + "{'type':'tool_result','tool_use_id':'call_a','content':'18C'},"
                    + "{'type':'tool_result','tool_use_id':'call_b','content':[{'type':'text','text':'21C'}]},"
                    + "{'type':'text','text':'Thanks, which is warmer?'}]}"));
  }

  @Test
  void toolMessageWithoutCallIdIsRejected() {
    assertThatThrownBy(() -> translate("{'model':'m','messages':[{'role':'tool','content':'x'}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tool_call_id");
  }

  @Test
  void functionToolsBecomeAnthropicToolsWithInputSchema() {
    ObjectNode out =
        translate(
            "{'model':'m','messages':[{'role':'user','content':'q'}],'tools':["
                + "{'type':'function','function':{'name':'get_weather','description':'Current weather',"
                + "'parameters':{'type':'object','properties':{'city':{'type':'string'}},'required':['city']},'strict':true}},"
                + "{'type':'function','function':{'name':'now'}}]}");
    assertThat(out.get("tools"))
        .isEqualTo(
            json("{'t':[{'name':'get_weather','description':'Current weather','input_schema':"
                    + "{'type':'object','properties':{'city':{'type':'string'}},'required':['city']}},"
                    + "{'name':'now','input_schema':{'type':'object','properties':{}}}]}")
                .get("t"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "'auto'                                          | {'type':'auto'}",
        "'none'                                          | {'type':'none'}",
        "'required'                                      | {'type':'any'}",
        "{'type':'function','function':{'name':'now'}}   | {'type':'tool','name':'now'}"
      })
  void toolChoiceMaps(String openAi, String anthropic) {
    ObjectNode out =
        translate(
            "{'model':'m','messages':[{'role':'user','content':'q'}],"
                + "'tools':[{'type':'function','function':{'name':'now'}}],'tool_choice':"
                + openAi
                + "}");
    assertThat(out.get("tool_choice")).isEqualTo(json(anthropic));
  }

  @Test
  void parallelToolCallsFalseDisablesParallelToolUse() {
    ObjectNode out =
        translate(
            "{'model':'m','messages':[{'role':'user','content':'q'}],"
                + "'tools':[{'type':'function','function':{'name':'now'}}],'parallel_tool_calls':false}");
    assertThat(out.get("tool_choice"))
        .isEqualTo(json("{'type':'auto','disable_parallel_tool_use':true}"));
  }

  @Test
  void toolChoiceWithoutToolsIsDropped() {
    ObjectNode out =
        translate("{'model':'m','messages':[{'role':'user','content':'q'}],'tool_choice':'none'}");
    assertThat(out.has("tool_choice")).isFalse();
    assertThat(out.has("tools")).isFalse();
  }

  @Test
  void nonFunctionToolsAreRejected() {
    assertThatThrownBy(
            () ->
                translate(
                    "{'model':'m','messages':[{'role':'user','content':'q'}],"
                        + "'tools':[{'type':'custom','custom':{'name':'x'}}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tools[0]");
  }

  @Test
  void maxCompletionTokensWinsOverMaxTokens() {
    assertThat(
            translate(
                    "{'model':'m','messages':[{'role':'user','content':'q'}],"
                        + "'max_tokens':100,'max_completion_tokens':200}")
                .get("max_tokens")
                .asInt())
        .isEqualTo(200);
    assertThat(
            translate("{'model':'m','messages':[{'role':'user','content':'q'}],'max_tokens':100}")
                .get("max_tokens")
                .asInt())
        .isEqualTo(100);
  }

  @Test
  void maxTokensDefaultsWhenAbsentBecauseAnthropicRequiresIt() {
    OpenAiToAnthropicTranslator custom =
        new OpenAiToAnthropicTranslator(1024, java.time.Clock.systemUTC());
    assertThat(
            custom
                .request(
                    Operation.CHAT,
                    json("{'model':'m','messages':[{'role':'user','content':'q'}]}"))
                .get("max_tokens")
                .asInt())
        .isEqualTo(1024);
  }

  @Test
  void samplingParametersCopyAndTemperatureIsClampedToAnthropicsRange() {
    ObjectNode out =
        translate(
            "{'model':'m','messages':[{'role':'user','content':'q'}],'temperature':1.6,'top_p':0.9,"
                + "'frequency_penalty':0.5,'seed':7}");
    assertThat(out.get("temperature").asDouble()).isEqualTo(1.0);
    assertThat(out.get("top_p").asDouble()).isEqualTo(0.9);
    assertThat(out.has("frequency_penalty")).isFalse();
    assertThat(out.has("seed")).isFalse();
    assertThat(
            translate("{'model':'m','messages':[{'role':'user','content':'q'}],'temperature':0.3}")
                .get("temperature")
                .asDouble())
        .isEqualTo(0.3);
  }

  @Test
  void stopStringOrArrayBecomesStopSequences() {
    assertThat(
            translate("{'model':'m','messages':[{'role':'user','content':'q'}],'stop':'END'}")
                .get("stop_sequences"))
        .isEqualTo(json("{'s':['END']}").get("s"));
    assertThat(
            translate("{'model':'m','messages':[{'role':'user','content':'q'}],'stop':['a','b']}")
                .get("stop_sequences"))
        .isEqualTo(json("{'s':['a','b']}").get("s"));
  }

  @Test
  void streamIsCopiedAndStreamOptionsDropped() {
    ObjectNode out =
        translate(
            "{'model':'m','messages':[{'role':'user','content':'q'}],'stream':true,"
                + "'stream_options':{'include_usage':true}}");
    assertThat(out.get("stream").asBoolean()).isTrue();
    assertThat(out.has("stream_options")).isFalse();
  }

  @Test
  void userBecomesMetadataUserId() {
    assertThat(
            translate("{'model':'m','messages':[{'role':'user','content':'q'}],'user':'u-42'}")
                .get("metadata"))
        .isEqualTo(json("{'user_id':'u-42'}"));
    assertThat(
            translate(
                    "{'model':'m','messages':[{'role':'user','content':'q'}],"
                        + "'metadata':{'user':'u-7','team':'a'}}")
                .get("metadata"))
        .isEqualTo(json("{'user_id':'u-7'}"));
  }

  @Test
  void jsonSchemaResponseFormatBecomesASystemInstruction() {
    ObjectNode out =
        translate(
            "{'model':'m','messages':[{'role':'system','content':'You extract data.'},"
                + "{'role':'user','content':'q'}],'response_format':{'type':'json_schema',"
                + "'json_schema':{'name':'person','schema':{'type':'object','required':['name']}}}}");
    assertThat(out.get("system")).hasSize(2);
    String instruction = out.get("system").get(1).get("text").asText();
    assertThat(instruction)
        .contains("JSON Schema (person)")
        .contains("{\"type\":\"object\",\"required\":[\"name\"]}");
  }

  @Test
  void jsonObjectResponseFormatBecomesTheSystemPromptWhenThereIsNone() {
    ObjectNode out =
        translate(
            "{'model':'m','messages':[{'role':'user','content':'q'}],"
                + "'response_format':{'type':'json_object'}}");
    assertThat(out.get("system").asText()).contains("single valid JSON object");
  }

  @Test
  void moreThanOneChoiceIsRejected() {
    assertThatThrownBy(
            () -> translate("{'model':'m','messages':[{'role':'user','content':'q'}],'n':2}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("n:");
  }

  @Test
  void unknownRoleIsRejected() {
    assertThatThrownBy(
            () -> translate("{'model':'m','messages':[{'role':'function','content':'q'}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("messages[0].role");
  }

  @Test
  void operationsOtherThanChatAreRejected() {
    assertThatThrownBy(
            () -> translator.request(Operation.EMBEDDINGS, json("{'model':'m','input':'x'}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EMBEDDINGS");
  }
}
