package dev.portcullis.gateway.prompt;

import static dev.portcullis.gateway.prompt.PromptFixtures.attributes;
import static dev.portcullis.gateway.prompt.PromptFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rollout over 10,000 simulated users, each sending {@code x-portcullis-metadata: {"user_id":
 * …}} to the {@code support-bot} template, which is sticky on {@code metadata.user_id}.
 */
class StickyRolloutTest {
  private static final int USERS = 10_000;

  private final PromptRenderer renderer = new PromptRenderer();

  /** Each user's version under a v1/v2 rollout of these weights. */
  private Map<String, String> versionsByUser(int v1Weight, int v2Weight) {
    CompiledPrompt prompt =
        CompiledPrompts.compile(PromptFixtures.supportBotSnapshot(v1Weight, v2Weight))
            .require("team-a", "support-bot");
    Map<String, String> versions = new HashMap<>();
    for (int i = 0; i < USERS; i++) {
      String user = "user-" + i;
      versions.put(user, versionOf(prompt, user));
    }
    return versions;
  }

  private String versionOf(CompiledPrompt prompt, String user) {
    ObjectNode body = json("{\"variables\": {\"question\": \"Where is my order?\"}}");
    return renderer
        .render(prompt, body, attributes(body, "{\"user_id\": \"" + user + "\"}"))
        .version();
  }

  private static double share(Map<String, String> versions, String version) {
    return versions.values().stream().filter(version::equals).count() / (double) versions.size();
  }

  @Test
  void aNinetyTenRolloutLandsWithinOneAndAHalfPoints() {
    Map<String, String> versions = versionsByUser(90, 10);

    double v2 = share(versions, "v2");
    System.out.printf("90/10 rollout over %d users: v2 share %.4f%n", USERS, v2);
    assertThat(v2).isBetween(0.085, 0.115);
  }

  @Test
  void eachUserAlwaysGetsTheSameVersion() {
    CompiledPrompt prompt =
        CompiledPrompts.compile(PromptFixtures.supportBotSnapshot(50, 50))
            .require("team-a", "support-bot");
    // Compiled again: the pick depends on the user alone, not on the instance or process.
    CompiledPrompt again =
        CompiledPrompts.compile(PromptFixtures.supportBotSnapshot(50, 50))
            .require("team-a", "support-bot");
    for (int i = 0; i < 2_000; i++) {
      String user = "user-" + i;
      String first = versionOf(prompt, user);
      assertThat(versionOf(prompt, user)).isEqualTo(first);
      assertThat(versionOf(again, user)).isEqualTo(first);
    }
  }

  @Test
  void aWeightChangeFromNinetyTenToEightyTwentyMovesOnlyUsersFromV1ToV2AboutTenPercent() {
    Map<String, String> before = versionsByUser(90, 10);
    Map<String, String> after = versionsByUser(80, 20);

    int v1ToV2 = 0;
    int v2ToV1 = 0;
    for (Map.Entry<String, String> e : before.entrySet()) {
      String now = after.get(e.getKey());
      if (e.getValue().equals("v1") && now.equals("v2")) {
        v1ToV2++;
      } else if (e.getValue().equals("v2") && now.equals("v1")) {
        v2ToV1++;
      }
    }
    double moved = (v1ToV2 + v2ToV1) / (double) USERS;
    System.out.printf(
        "90/10 -> 80/20 over %d users: moved %.4f (v1->v2 %d, v2->v1 %d); v2 share after %.4f%n",
        USERS, moved, v1ToV2, v2ToV1, share(after, "v2"));
    assertThat(v2ToV1).isZero();
    assertThat(moved).isBetween(0.085, 0.115);
    assertThat(share(after, "v2")).isBetween(0.185, 0.215);
  }

  @Test
  void aCallerWithoutTheStickyAttributeIsDrawnAtRandom() {
    CompiledPrompt prompt =
        CompiledPrompts.compile(PromptFixtures.supportBotSnapshot(50, 50))
            .require("team-a", "support-bot");
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      ObjectNode body = json("{\"variables\": {\"question\": \"Hi\"}}");
      String version =
          renderer.render(prompt, body, attributes(body, "{\"team\": \"a\"}")).version();
      counts.merge(version, 1, Integer::sum);
    }
    // One sticky caller would get 200 of one version; random draws split them.
    assertThat(counts).containsKeys("v1", "v2");
  }

  @Test
  void aVersionOfWeightZeroIsNeverPicked() {
    Map<String, String> versions = versionsByUser(100, 0);

    assertThat(share(versions, "v1")).isEqualTo(1.0);
  }
}
