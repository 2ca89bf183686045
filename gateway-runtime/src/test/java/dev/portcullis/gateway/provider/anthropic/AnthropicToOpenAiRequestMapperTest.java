package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class AnthropicToOpenAiRequestMapperTest {

  private static ObjectNode map(String singleQuotedJson) {
    return AnthropicToOpenAiRequestMapper.map(json(singleQuotedJson));
  }

  @Test
  void aSystemMessageInTheConversationStaysASystemMessageInItsPlace() {
    ObjectNode out =
        map(
            "{'model':'m','max_tokens':10,'system':'S','messages':["
                + "{'role':'user','content':'a'},{'role':'assistant','content':'b'},"
                + "{'role':'system','content':'Remember the todo list.'},"
                + "{'role':'user','content':'c'}]}");
    assertThat(out.get("messages"))
        .isEqualTo(
            json("{'v':[{'role':'system','content':'S'},{'role':'user','content':'a'},"
                    + "{'role':'assistant','content':'b'},"
                    + "{'role':'system','content':'Remember the todo list.'},"
                    + "{'role':'user','content':'c'}]}")
                .get("v"));
  }

  @Test
  void aSystemMessageOfTextBlocksIsJoinedAndLosesItsCacheControl() {
    ObjectNode out =
        map(
            "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':'a'},"
                + "{'role':'system','content':[{'type':'text','text':'one'},"
                + "{'type':'text','text':'two','cache_control':{'type':'ephemeral'}}]}]}");
    assertThat(out.get("messages").get(1))
        .isEqualTo(json("{'role':'system','content':'one\\n\\ntwo'}"));
  }

  @Test
  void thinkingConfigContextManagementAndCacheControlAreDropped() {
    ObjectNode out =
        map(
            "{'model':'m','max_tokens':10,'thinking':{'type':'enabled','budget_tokens':1024},"
                + "'context_management':{'edits':[{'type':'clear_thinking_20251015'}]},"
                + "'top_k':5,'service_tier':'auto',"
                + "'messages':[{'role':'user','content':[{'type':'text','text':'q',"
                + "'cache_control':{'type':'ephemeral','ttl':'1h'}}]},"
                + "{'role':'assistant','content':[{'type':'redacted_thinking','data':'EmwK'},"
                + "{'type':'thinking','thinking':'hm','signature':'x'},{'type':'text','text':'a'}]}]}");
    assertThat(out)
        .isEqualTo(
            json(
                "{'model':'m','messages':[{'role':'user','content':'q'},"
                    + "{'role':'assistant','content':'a'}],'max_completion_tokens':10}"));
  }

  @Test
  void anUnknownRoleIsStillRefusedWithItsPath() {
    assertThatThrownBy(
            () ->
                map(
                    "{'model':'m','max_tokens':10,'messages':[{'role':'user','content':'a'},"
                        + "{'role':'tool','content':'b'}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("messages[1].role");
  }

  @Test
  void aSystemMessageWithANonTextBlockIsRefusedWithItsPath() {
    assertThatThrownBy(
            () ->
                map(
                    "{'model':'m','max_tokens':10,'messages':[{'role':'system','content':"
                        + "[{'type':'image','source':{'type':'url','url':'u'}}]}]}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("messages[0].content");
  }
}
