package dev.portcullis.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.gateway.json.Jackson;
import org.junit.jupiter.api.Test;

class CacheKeyTest {
  private static final CacheSubject TEAM_A =
      CacheSubject.namespaceScope("team-a", "team-a/chat", CachedOperation.OPENAI_CHAT_COMPLETIONS);

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) Jackson.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final String BASE =
      """
      {"model":"gpt-4o","temperature":0.2,
       "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Capital of France?"}],
       "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object","properties":{"q":{"type":"string"}}}}}]}
      """;

  private static CacheKey key(CacheSubject subject, String body) {
    return CacheKey.exact(subject, json(body));
  }

  @Test
  void isSixtyFourHexDigits() {
    assertThat(key(TEAM_A, BASE).value()).matches("[0-9a-f]{64}");
  }

  @Test
  void theOrderOfFieldsDoesNotMatterAtAnyDepth() {
    String reordered =
        """
        {"tools":[{"function":{"parameters":{"properties":{"q":{"type":"string"}},"type":"object"},"name":"lookup"},"type":"function"}],
         "messages":[{"content":"Be brief.","role":"system"},{"content":"Capital of France?","role":"user"}],
         "temperature":0.2,"model":"gpt-4o"}
        """;
    assertThat(key(TEAM_A, reordered)).isEqualTo(key(TEAM_A, BASE));
  }

  @Test
  void numbersAreComparedByValue() {
    assertThat(key(TEAM_A, BASE.replace("0.2", "0.20")))
        .isEqualTo(key(TEAM_A, BASE))
        .isEqualTo(key(TEAM_A, BASE.replace("0.2", "2e-1")));
    assertThat(key(TEAM_A, "{\"max_tokens\":100}"))
        .isEqualTo(key(TEAM_A, "{\"max_tokens\":100.0}"));
    assertThat(key(TEAM_A, BASE.replace("0.2", "0.3"))).isNotEqualTo(key(TEAM_A, BASE));
  }

  @Test
  void deliveryAndAttributionFieldsAreLeftOut() {
    ObjectNode streamed = json(BASE);
    streamed.put("stream", true);
    streamed.putObject("stream_options").put("include_usage", true);
    streamed.putObject("metadata").put("user_id", "u-1");
    streamed.put("user", "alice");
    assertThat(CacheKey.exact(TEAM_A, streamed)).isEqualTo(key(TEAM_A, BASE));
  }

  @Test
  void everyFieldThatCanChangeTheAnswerIsIn() {
    CacheKey base = key(TEAM_A, BASE);
    assertThat(key(TEAM_A, BASE.replace("France", "Germany"))).isNotEqualTo(base);
    assertThat(key(TEAM_A, BASE.replace("gpt-4o", "gpt-4o-mini"))).isNotEqualTo(base);
    assertThat(key(TEAM_A, BASE.replace("Be brief.", "Be verbose."))).isNotEqualTo(base);
    assertThat(key(TEAM_A, BASE.replace("\"lookup\"", "\"search\""))).isNotEqualTo(base);
    for (String extra :
        new String[] {
          "\"tool_choice\":\"required\"",
          "\"response_format\":{\"type\":\"json_object\"}",
          "\"top_p\":0.5",
          "\"seed\":7",
          "\"max_tokens\":10",
          "\"n\":2",
          "\"some_future_field\":true"
        }) {
      assertThat(key(TEAM_A, BASE.replaceFirst("\\{", "{" + extra + ",")))
          .as(extra)
          .isNotEqualTo(base);
    }
  }

  @Test
  void namespacesNeverShareAKey() {
    CacheSubject teamB =
        CacheSubject.namespaceScope(
            "team-b", "team-a/chat", CachedOperation.OPENAI_CHAT_COMPLETIONS);
    assertThat(key(teamB, BASE)).isNotEqualTo(key(TEAM_A, BASE));
  }

  @Test
  void withKeyScopeEachKeyHasItsOwnKeys() {
    CacheSubject alice =
        CacheSubject.keyScope(
            "team-a", "alice", "team-a/chat", CachedOperation.OPENAI_CHAT_COMPLETIONS);
    CacheSubject bob =
        CacheSubject.keyScope(
            "team-a", "bob", "team-a/chat", CachedOperation.OPENAI_CHAT_COMPLETIONS);
    assertThat(key(alice, BASE)).isNotEqualTo(key(bob, BASE)).isNotEqualTo(key(TEAM_A, BASE));
  }

  @Test
  void theRouteAndTheOperationArePartOfTheKey() {
    CacheSubject otherRoute =
        CacheSubject.namespaceScope(
            "team-a", "team-a/other", CachedOperation.OPENAI_CHAT_COMPLETIONS);
    CacheSubject anthropic =
        CacheSubject.namespaceScope("team-a", "team-a/chat", CachedOperation.ANTHROPIC_MESSAGES);
    assertThat(key(otherRoute, BASE)).isNotEqualTo(key(TEAM_A, BASE));
    assertThat(key(anthropic, BASE)).isNotEqualTo(key(TEAM_A, BASE));
  }

  @Test
  void valuesOfDifferentTypesNeverCollide() {
    assertThat(key(TEAM_A, "{\"a\":\"1\"}")).isNotEqualTo(key(TEAM_A, "{\"a\":1}"));
    assertThat(key(TEAM_A, "{\"a\":[\"x\",\"y\"]}")).isNotEqualTo(key(TEAM_A, "{\"a\":[\"xy\"]}"));
    assertThat(key(TEAM_A, "{\"a\":null}")).isNotEqualTo(key(TEAM_A, "{}"));
  }

  @Test
  void theSemanticContextLeavesOutOnlyTheLastUserMessage() {
    ObjectNode france = json(BASE);
    ObjectNode germany = json(BASE.replace("France", "Germany"));
    ObjectNode otherSystem = json(BASE.replace("Be brief.", "Be verbose."));
    CacheKey franceContext = contextOf(france);
    assertThat(contextOf(germany)).isEqualTo(franceContext);
    assertThat(contextOf(otherSystem)).isNotEqualTo(franceContext);
    assertThat(franceContext).isNotEqualTo(CacheKey.exact(TEAM_A, france));
  }

  private static CacheKey contextOf(ObjectNode body) {
    LastUserMessage last =
        LastUserMessage.of(CachedOperation.OPENAI_CHAT_COMPLETIONS, body).orElseThrow();
    return CacheKey.semanticContext(TEAM_A, last.contextBody());
  }
}
