package dev.portcullis.gateway.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Request bodies recorded in the shapes real clients send (Claude Code; an OpenAI-format agent with
 * the fields current SDKs add), replayed through every translator that serves them. Nothing they
 * carry may turn into a 400 the client cannot avoid; what a target cannot take is dropped by the
 * rules in the provider README.
 */
class ClientShapesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TranslatorRegistry REGISTRY = TranslatorRegistry.builtIn();

  static ObjectNode recorded(String name) {
    try (InputStream in =
        ClientShapesTest.class.getResourceAsStream(
            "/dev/portcullis/gateway/client-shapes/" + name)) {
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode translate(String name, WireFormat client, WireFormat upstream) {
    return REGISTRY.lookup(client, upstream).orElseThrow().request(Operation.CHAT, recorded(name));
  }

  private static List<String> roles(JsonNode messages) {
    List<String> roles = new ArrayList<>();
    messages.forEach(m -> roles.add(m.path("role").asText()));
    return roles;
  }

  @Test
  void claudeCodeReachesAnOpenAiUpstreamWithItsMidConversationSystemMessageInPlace() {
    ObjectNode out =
        translate("claude-code-messages.json", WireFormat.ANTHROPIC, WireFormat.OPENAI);
    assertThat(roles(out.get("messages")))
        .containsExactly("system", "user", "assistant", "tool", "system", "user");
    assertThat(out.at("/messages/4/content").asText()).contains("TodoWrite tool hasn't been used");
    assertThat(out.at("/messages/0/content").asText())
        .startsWith("You are Claude Code")
        .contains("interactive CLI tool");
  }

  @Test
  void claudeCodeReachesAnOpenAiUpstreamWithoutAnthropicOnlyFields() {
    String out =
        translate("claude-code-messages.json", WireFormat.ANTHROPIC, WireFormat.OPENAI).toString();
    assertThat(out)
        .doesNotContain("cache_control")
        .doesNotContain("thinking")
        .doesNotContain("context_management")
        .doesNotContain("signature");
  }

  @Test
  void claudeCodeKeepsItsToolsAndToolLoopOnAnOpenAiUpstream() {
    ObjectNode out =
        translate("claude-code-messages.json", WireFormat.ANTHROPIC, WireFormat.OPENAI);
    assertThat(out.get("tools")).hasSize(3);
    assertThat(out.at("/messages/2/tool_calls/0/id").asText())
        .isEqualTo("toolu_01A09q90qw90lq917835lq9");
    assertThat(out.at("/messages/3/tool_call_id").asText())
        .isEqualTo("toolu_01A09q90qw90lq917835lq9");
    assertThat(out.at("/stream_options/include_usage").asBoolean()).isTrue();
  }

  @Test
  void claudeCodeReachesAGeminiUpstreamWithBothSystemTextsAsTheSystemInstruction() {
    ObjectNode out =
        translate("claude-code-messages.json", WireFormat.ANTHROPIC, WireFormat.GEMINI);
    String system = out.at("/systemInstruction/parts").toString();
    assertThat(system).contains("You are Claude Code").contains("TodoWrite tool hasn't been used");
    assertThat(out.at("/tools/0/functionDeclarations")).hasSize(3);
    assertThat(out.toString())
        .doesNotContain("cache_control")
        .doesNotContain("$schema")
        .doesNotContain("additionalProperties");
    assertThat(out.at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(32000);
  }

  @Test
  void anOpenAiAgentReachesAnAnthropicUpstreamWithEverySystemTextFoldedIntoSystem() {
    ObjectNode out = translate("openai-client-chat.json", WireFormat.OPENAI, WireFormat.ANTHROPIC);
    assertThat(out.get("system").toString())
        .contains("You are a coding agent")
        .contains("24-hour time");
    assertThat(roles(out.get("messages"))).containsExactly("user", "assistant", "user");
    assertThat(out.at("/messages/0/content/0/cache_control/type").asText()).isEqualTo("ephemeral");
    assertThat(out.toString())
        .doesNotContain("reasoning_effort")
        .doesNotContain("stream_options")
        .doesNotContain("\"store\"")
        .doesNotContain("strict");
  }

  @Test
  void anOpenAiAgentReachesAGeminiUpstream() {
    ObjectNode out = translate("openai-client-chat.json", WireFormat.OPENAI, WireFormat.GEMINI);
    assertThat(out.at("/systemInstruction/parts").toString())
        .contains("You are a coding agent")
        .contains("24-hour time");
    assertThat(out.at("/contents/2/parts/0/functionResponse/name").asText()).isEqualTo("get_time");
  }
}
