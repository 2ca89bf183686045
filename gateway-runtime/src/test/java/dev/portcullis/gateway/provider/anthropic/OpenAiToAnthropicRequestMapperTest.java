package dev.portcullis.gateway.provider.anthropic;

import static dev.portcullis.gateway.provider.anthropic.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class OpenAiToAnthropicRequestMapperTest {
  private final OpenAiToAnthropicRequestMapper mapper = new OpenAiToAnthropicRequestMapper(4096);

  @Test
  void systemMessagesInTheMiddleFoldIntoTheTopLevelSystemInOrder() {
    ObjectNode out =
        mapper.map(
            json(
                "{'model':'m','messages':[{'role':'system','content':'first'},"
                    + "{'role':'user','content':'a'},{'role':'assistant','content':'b'},"
                    + "{'role':'developer','content':'second'},{'role':'user','content':'c'}]}"));
    assertThat(out.get("system"))
        .isEqualTo(
            json("{'v':[{'type':'text','text':'first'},{'type':'text','text':'second'}]}")
                .get("v"));
    assertThat(out.get("messages")).hasSize(3);
  }

  @Test
  void aCacheControlMarkerOnAPartStaysOnItsBlock() {
    ObjectNode out =
        mapper.map(
            json(
                "{'model':'m','messages':[{'role':'system','content':[{'type':'text','text':'long',"
                    + "'cache_control':{'type':'ephemeral'}}]},"
                    + "{'role':'user','content':[{'type':'text','text':'q',"
                    + "'cache_control':{'type':'ephemeral'}}]}]}"));
    assertThat(out.get("system"))
        .isEqualTo(
            json("{'v':[{'type':'text','text':'long','cache_control':{'type':'ephemeral'}}]}")
                .get("v"));
    assertThat(out.at("/messages/0/content/0/cache_control"))
        .isEqualTo(json("{'type':'ephemeral'}"));
  }

  @Test
  void fieldsAnthropicLacksAreDropped() {
    ObjectNode out =
        mapper.map(
            json(
                "{'model':'m','messages':[{'role':'user','content':'q'}],'store':true,"
                    + "'reasoning_effort':'low','seed':1,'logprobs':true,'presence_penalty':0.5,"
                    + "'stream_options':{'include_usage':true},'modalities':['text']}"));
    assertThat(out)
        .isEqualTo(
            json("{'model':'m','messages':[{'role':'user','content':'q'}],'max_tokens':4096}"));
  }
}
