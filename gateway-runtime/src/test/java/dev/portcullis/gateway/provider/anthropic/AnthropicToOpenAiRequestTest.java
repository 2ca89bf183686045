package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static dev.portcullis.gateway.provider.anthropic.Fixtures.onTheWire;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.provider.Operation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicToOpenAiRequestTest {
  private final AnthropicToOpenAiTranslator translator = new AnthropicToOpenAiTranslator();

  private ObjectNode translate(String singleQuotedJson) {
    return translator.request(Operation.CHAT, json(singleQuotedJson));
  }

  private static JsonNode array(String singleQuotedJsonArray) {
    return json("{'a':" + singleQuotedJsonArray + "}").get("a");
  }

  @Test
  void simpleMessageBecomesChatRequest() {
    ObjectNode out =
        translate(
            "{'model':'claude-sonnet-4-5','max_tokens':1024,'system':'Be brief.',"
                + "'messages':[{'role':'user','content':'Hello, Claude'}]}");
    assertThat(onTheWire(out))
        .isEqualTo(
            json(
                "{'model':'claude-sonnet-4-5','messages':[{'role':'system','content':'Be brief.'},"
                    + "{'role':'user','content':'Hello, Claude'}],'max_completion_tokens':1024}"));
  }

  @Test
  void systemTextBlocksAreJoinedIntoOneSystemMessage() {
    ObjectNode out =
        translate(
            "{'model':'m','max_tokens':10,'system':[{'type':'text','text':'You are a bot.'},"
                + "{'type':'text','text':'Long context','cache_control':{'type':'ephemeral'}}],"
                + "'messages':[{'role':'user','content':'q'}]}");
    assertThat(out.get("messages").get(0))
        .isEqualTo(json("{'role':'system','content':'You are a bot.\\n\\nLong context'}"));
  }

  @Test
  void imageBlocksBecomeImageUrlParts() {
    ObjectNode out =
        translate(
            "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':["
                + "{'type':'image','source':{'type':'base64','media_type':'image/jpeg','data':'/9j/4AAQ'}},"
                + "{'type':'image','source':{'type':'url','url':'https://example.com/a.png'}},"
                + "{'type':'text','text':'Compare these.'}]}]}");
    assertThat(out.get("messages").get(0).get("content"))
        .isEqualTo(
            array(
                "[{'type':'image_url','image_url':{'url':'data:image/jpeg;base64,/9j/4AAQ'}},"
                    + "{'type':'image_url','image_url':{'url':'https://example.com/a.png'}},"
                    + "{'type':'text','text':'Compare these.'}]"));
  }

  @Test
  void pdfDocumentsBecomeFilePartsAndTextDocumentsText() {
    ObjectNode out =
        translate(
            "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':["
                + "{'type':'document','title':'q3.pdf','source':{'type':'base64','media_type':'application/pdf','data':'JVBERi0='}},"
                + "{'type':'document','source':{'type':'text','media_type':'text/plain','data':'Plain notes'}}]}]}");
    assertThat(out.get("messages").get(0).get("content"))
        .isEqualTo(
            array(
                "[{'type':'file','file':{'filename':'q3.pdf','file_data':'data:application/pdf;base64,JVBERi0='}},"
                    + "{'type':'text','text':'Plain notes'}]"));
  }

  @Test
  void assistantToolUseBecomesToolCallsWithArgumentsAsJsonString() {
    ObjectNode out =
        translate(
            "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':'Weather?'},"
                + "{'role':'assistant','content':[{'type':'thinking','thinking':'...','signature':'x'},"
                + "{'type':'text','text':'Let me check.'},"
                + "{'type':'tool_use','id':'toolu_01A','name':'get_weather','input':{'city':'Paris'}}]}]}");
    assertThat(out.get("messages").get(1))
        .isEqualTo(
            json(
                "{'role':'assistant','content':'Let me check.','tool_calls':[{'id':'toolu_01A',"
                    + "'type':'function','function':{'name':'get_weather','arguments':'{\\'city\\':\\'Paris\\'}'}}]}"
                        .replace("\\'", "\\\"")));
  }

  @Test
  void assistantWithOnlyToolUseHasNullContent() {
    ObjectNode out =
        translate(
            "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':'q'},"
                + "{'role':'assistant','content':[{'type':'tool_use','id':'t1','name':'now','input':{}}]}]}");
    assertThat(out.get("messages").get(1).get("content").isNull()).isTrue();
  }

  @Test
  void toolResultsBecomeToolMessagesBeforeTheRestOfTheUserTurn() {
    ObjectNode out =
        translate(
            "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':["
                + "{'type':'tool_result','tool_use_id':'toolu_a','content':'18C'},"
                + "{'type':'tool_result','tool_use_id':'toolu_b','content':[{'type':'text','text':'21C'},{'type':'text','text':'sunny'}]},"
                + "{'type':'text','text':'Which is warmer?'}]}]}");
    assertThat(out.get("messages"))
        .isEqualTo(
            array(
                "[{'role':'tool','tool_call_id':'toolu_a','content':'18C'},"
                    + "{'role':'tool','tool_call_id':'toolu_b','content':'21C\\nsunny'},"
                    + "{'role':'user','content':'Which is warmer?'}]"));
  }

  @Test
  void toolResultErrorsAreMarkedAndEmptyResultsAllowed() {
    ObjectNode out =
        translate(
            "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':["
                + "{'type':'tool_result','tool_use_id':'t1','content':'city not found','is_error':true},"
                + "{'type':'tool_result','tool_use_id':'t2'}]}]}");
    assertThat(out.get("messages"))
        .isEqualTo(
            array(
                "[{'role':'tool','tool_call_id':'t1','content':'Error: city not found'},"
                    + "{'role':'tool','tool_call_id':'t2','content':''}]"));
  }

  @Test
  void imagesInToolResultsFollowInAUserMessage() {
    ObjectNode out =
        translate(
            "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':["
                + "{'type':'tool_result','tool_use_id':'t1','content':[{'type':'text','text':'screenshot'},"
                + "{'type':'image','source':{'type':'base64','media_type':'image/png','data':'iVBOR'}}]}]}]}");
    assertThat(out.get("messages"))
        .isEqualTo(
            array(
                "[{'role':'tool','tool_call_id':'t1','content':'screenshot'},"
                    + "{'role':'user','content':[{'type':'image_url','image_url':{'url':'data:image/png;base64,iVBOR'}}]}]"));
  }

  @Test
  void toolsBecomeFunctionTools() {
    ObjectNode out =
        translate(
            "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':'q'}],'tools':["
                + "{'name':'get_weather','description':'Current weather','input_schema':"
                + "{'type':'object','properties':{'city':{'type':'string'}},'required':['city']}}]}");
    assertThat(out.get("tools"))
        .isEqualTo(
            array(
                "[{'type':'function','function':{'name':'get_weather','description':'Current weather',"
                    + "'parameters':{'type':'object','properties':{'city':{'type':'string'}},'required':['city']}}}]"));
  }

  @Test
  void serverToolsAreRejected() {
    assertThatThrownBy(
            () ->
                translate(
                    "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':'q'}],"
                        + "'tools':[{'type':'web_search_20250305','name':'web_search'}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("web_search_20250305");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "{'type':'auto'}              | 'auto'",
        "{'type':'any'}               | 'required'",
        "{'type':'none'}              | 'none'",
        "{'type':'tool','name':'now'} | {'type':'function','function':{'name':'now'}}"
      })
  void toolChoiceMaps(String anthropic, String openAi) {
    ObjectNode out =
        translate(
            "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':'q'}],"
                + "'tools':[{'name':'now','input_schema':{'type':'object'}}],'tool_choice':"
                + anthropic
                + "}");
    assertThat(out.get("tool_choice")).isEqualTo(json("{'v':" + openAi + "}").get("v"));
  }

  @Test
  void disableParallelToolUseTurnsOffParallelToolCalls() {
    ObjectNode out =
        translate(
            "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':'q'}],"
                + "'tools':[{'name':'now','input_schema':{'type':'object'}}],"
                + "'tool_choice':{'type':'auto','disable_parallel_tool_use':true}}");
    assertThat(out.get("parallel_tool_calls").asBoolean()).isFalse();
  }

  @Test
  void samplingStopSequencesAndUserAreMapped() {
    ObjectNode out =
        translate(
            "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':'q'}],"
                + "'temperature':0.5,'top_p':0.8,'top_k':40,'stop_sequences':['###'],"
                + "'metadata':{'user_id':'u-42'}}");
    assertThat(out.get("temperature").asDouble()).isEqualTo(0.5);
    assertThat(out.get("top_p").asDouble()).isEqualTo(0.8);
    assertThat(out.has("top_k")).isFalse();
    assertThat(out.get("stop")).isEqualTo(array("['###']"));
    assertThat(out.get("user").asText()).isEqualTo("u-42");
  }

  @Test
  void streamingAlwaysAsksForUsage() {
    ObjectNode out =
        translate(
            "{'model':'m','max_tokens':10,'stream':true,'messages':[{'role':'user','content':'q'}]}");
    assertThat(out.get("stream").asBoolean()).isTrue();
    assertThat(out.get("stream_options")).isEqualTo(json("{'include_usage':true}"));
  }

  @Test
  void unsupportedBlocksAreRejectedWithTheirPath() {
    assertThatThrownBy(
            () ->
                translate(
                    "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':["
                        + "{'type':'text','text':'a'},{'type':'search_result','source':'x'}]}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("messages[0].content[1]")
        .hasMessageContaining("search_result");
  }

  @Test
  void countTokensHasNoOpenAiEndpoint() {
    assertThatThrownBy(
            () ->
                translator.request(
                    Operation.COUNT_TOKENS,
                    json("{'model':'m','messages':[{'role':'user','content':'q'}]}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("COUNT_TOKENS");
  }
}
