package dev.portcullis.gateway.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class ReplyPlannerTest {
  private static final RequestFacts FACTS =
      new RequestFacts("m", false, false, 3, "what about x", null, null);

  private static Reply plan(RequestFacts facts, String behaviour) {
    return ReplyPlanner.plan(facts, Behaviour.parse(behaviour), "m", "id-", "call_");
  }

  @Test
  void piecesJoinBackToTheTextExactly() {
    Reply reply = plan(FACTS, "text= lead and  double\nspaces ");

    assertThat(reply.text()).isEqualTo(" lead and  double\nspaces ");
    assertThat(reply.pieces()).hasSize(4);
  }

  @Test
  void moreTokensThanWordsCycleTheTextKeepingWordsApart() {
    Reply reply = plan(FACTS, "text=a b;tokens=5");

    assertThat(reply.text()).isEqualTo("a b a b a");
    assertThat(reply.completionTokens()).isEqualTo(5);
  }

  @Test
  void echoUsesTheLastUserText() {
    assertThat(plan(FACTS, "echo=true").text()).isEqualTo("what about x");
  }

  @Test
  void maxTokensCutsAndReportsLength() {
    RequestFacts limited = new RequestFacts("m", false, false, 3, "", 2, null);

    Reply reply = plan(limited, "tokens=10");

    assertThat(reply.completionTokens()).isEqualTo(2);
    assertThat(reply.finish()).isEqualTo(Reply.Finish.LENGTH);
  }

  @Test
  void aForcedToolGivesArgumentsThatFitItsSchema() throws Exception {
    JsonNode schema =
        JsonText.MAPPER.readTree(
            """
            {"type":"object","required":["n","tags","nested"],"properties":{
              "n":{"type":["integer","null"]},
              "tags":{"type":"array","minItems":1,"items":{"type":"string"}},
              "nested":{"type":"object","properties":{"ok":{"type":"boolean"}}},
              "optional":{"type":"string"}}}""");
    RequestFacts facts =
        new RequestFacts("m", false, false, 3, "", null, new RequestFacts.ForcedTool("f", schema));

    Reply reply = plan(facts, "");

    assertThat(reply.finish()).isEqualTo(Reply.Finish.TOOL_CALL);
    assertThat(reply.toolCall().name()).isEqualTo("f");
    assertThat(JsonText.MAPPER.readTree(reply.toolCall().arguments()))
        .isEqualTo(
            JsonText.MAPPER.readTree("{\"n\":1,\"tags\":[\"fake\"],\"nested\":{\"ok\":true}}"));
    assertThat(reply.text()).isEqualTo(reply.toolCall().arguments());
  }
}
