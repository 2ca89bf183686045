package dev.portcullis.api.resolve;

import static dev.portcullis.api.resolve.Manifests.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig.Action;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig.Check;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig.Stage;
import dev.portcullis.api.snapshot.PromptTemplateConfig;
import dev.portcullis.api.snapshot.ResourceId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotResolverPolicyAndTemplateTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String POLICY =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: GuardrailPolicy
      metadata: {name: pii, namespace: team-a, generation: 2}
      spec:
        checks:
          - {name: no-pii, stages: [Input, Output], action: Redact, pii: {entities: [Email, IBAN]}}
          - {name: ticket-id, stages: [Input], action: Deny, regex: {pattern: "TICKET-[0-9]+", mustMatch: true}}
          - {name: json-only, stages: [Output], action: Deny, jsonSchema: {schema: {type: object, required: [answer]}}}
          - {name: moderation, stages: [Input], action: Flag,
             webhook: {url: "http://moderation.team-a.svc/check", timeout: 500ms, failureMode: Open}}
        message: "Blocked by the team-a content policy"
      """;

  @Test
  void mapsEachCheckToItsTypeAndSettingsAsWritten() throws Exception {
    Resolution resolution = SnapshotResolver.resolve(read(POLICY));

    assertThat(resolution.problems()).isEmpty();
    GuardrailPolicyConfig policy = resolution.snapshot().policies().get(0);
    assertThat(policy.id()).isEqualTo(new ResourceId("team-a", "pii", 2));
    assertThat(policy.message()).isEqualTo("Blocked by the team-a content policy");
    assertThat(policy.checks())
        .extracting(Check::name, Check::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("no-pii", "pii"),
            org.assertj.core.groups.Tuple.tuple("ticket-id", "regex"),
            org.assertj.core.groups.Tuple.tuple("json-only", "jsonSchema"),
            org.assertj.core.groups.Tuple.tuple("moderation", "webhook"));
    Check pii = policy.checks().get(0);
    assertThat(pii.stages()).isEqualTo(Set.of(Stage.INPUT, Stage.OUTPUT));
    assertThat(pii.action()).isEqualTo(Action.REDACT);
    assertThat(pii.settings().copy())
        .isEqualTo(JSON.readTree("{\"entities\":[\"Email\",\"IBAN\"]}"));
    assertThat(policy.checks().get(1).settings().copy())
        .isEqualTo(JSON.readTree("{\"pattern\":\"TICKET-[0-9]+\",\"mustMatch\":true}"));
    assertThat(policy.checks().get(2).settings().copy())
        .isEqualTo(JSON.readTree("{\"schema\":{\"type\":\"object\",\"required\":[\"answer\"]}}"));
    assertThat(policy.checks().get(3).settings().copy())
        .isEqualTo(
            JSON.readTree(
                "{\"url\":\"http://moderation.team-a.svc/check\",\"timeout\":\"500ms\","
                    + "\"failureMode\":\"Open\"}"));
  }

  @Test
  void aCheckWithTwoTypesIsAProblem() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(
                """
                apiVersion: portcullis.dev/v1alpha1
                kind: GuardrailPolicy
                metadata: {name: p, namespace: team-a}
                spec:
                  checks: [{name: c, stages: [Input], action: Deny, pii: {}, length: {maxTokens: 5}}]
                """));

    // ResourceValidator, which runs first, words it; the resolver only has to leave it out.
    assertThat(resolution.problemsFor(new ResourceRef("GuardrailPolicy", "team-a", "p")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.checks[0]");
              assertThat(p.message()).contains("pii and length");
            });
  }

  @Test
  void aPolicyWhoseRegexRe2CannotCompileIsLeftOutNamingTheField() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(
                """
                apiVersion: portcullis.dev/v1alpha1
                kind: GuardrailPolicy
                metadata: {name: p, namespace: team-a}
                spec:
                  checks:
                    - {name: a, stages: [Input], action: Deny, length: {maxTokens: 5}}
                    - {name: b, stages: [Input], action: Deny, pii: {}}
                    - {name: c, stages: [Input], action: Deny, regex: {pattern: "pass(?!word)"}}
                """));

    assertThat(resolution.snapshot().policies()).isEmpty();
    assertThat(resolution.problemsFor(new ResourceRef("GuardrailPolicy", "team-a", "p")))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.checks[2].regex.pattern");
              assertThat(p.message())
                  .contains("invalid or unsupported Perl syntax `(?!` at index 4")
                  .contains("RE2 syntax");
            });
  }

  private static final String ROUTES =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: chat, namespace: team-a}
      spec: {model: gpt-4o, targets: [{name: a, provider: echo}]}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: shared-chat, namespace: shared}
      spec: {model: gpt-4o, targets: [{name: a, provider: echo}], access: {namespaces: [team-a]}}
      ---
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: private, namespace: team-b}
      spec: {model: gpt-4o, targets: [{name: a, provider: echo}]}
      """;

  private static String template(String versionRoute, String rollout) {
    return """
        ---
        apiVersion: portcullis.dev/v1alpha1
        kind: PromptTemplate
        metadata: {name: support-bot, namespace: team-a, generation: 4}
        spec:
          variables:
            - {name: question, required: true}
            - {name: tone, default: friendly}
          versions:
            - name: v1
              messages:
                - {role: system, content: "You are a {{tone}} support agent."}
                - {role: user, content: "{{question}}"}
              params: {temperature: 0.3, max_tokens: 500}
              route: %s
            - name: v2
              messages: [{role: user, content: "{{question}}"}]
        %s
          stickyOn: metadata.user_id
        """
        .formatted(versionRoute, rollout);
  }

  private static final ResourceRef SUPPORT_BOT =
      new ResourceRef("PromptTemplate", "team-a", "support-bot");

  @Test
  void mapsVariablesVersionsRolloutAndStickiness() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(
                ROUTES
                    + template(
                        "{name: chat}",
                        "  rollout: [{version: v2, weight: 10}, {version: v1, weight: 90}]")));

    assertThat(resolution.problems()).isEmpty();
    PromptTemplateConfig template = resolution.snapshot().templates().get(0);
    assertThat(template.id()).isEqualTo(new ResourceId("team-a", "support-bot", 4));
    assertThat(template.variables())
        .containsExactly(
            new PromptTemplateConfig.Variable("question", true, null),
            new PromptTemplateConfig.Variable("tone", false, "friendly"));
    PromptTemplateConfig.Version v1 = template.versions().get(0);
    assertThat(v1.messages())
        .containsExactly(
            new PromptTemplateConfig.Message("system", "You are a {{tone}} support agent."),
            new PromptTemplateConfig.Message("user", "{{question}}"));
    assertThat(v1.params().copy().path("max_tokens").asInt()).isEqualTo(500);
    assertThat(v1.route()).isEqualTo("team-a/chat");
    assertThat(template.versions().get(1).route()).isNull();
    assertThat(template.rollout())
        .containsExactly(
            new PromptTemplateConfig.RolloutEntry("v2", 10),
            new PromptTemplateConfig.RolloutEntry("v1", 90));
    assertThat(template.stickyOn()).isEqualTo("metadata.user_id");
  }

  @Test
  void withoutRolloutEveryRequestGetsTheLastVersion() {
    Resolution resolution = SnapshotResolver.resolve(read(ROUTES + template("{name: chat}", "")));

    assertThat(resolution.snapshot().templates().get(0).rollout())
        .containsExactly(new PromptTemplateConfig.RolloutEntry("v2", 100));
  }

  @Test
  void aVersionMaySendToARouteInAnotherNamespaceThatAdmitsIt() {
    Resolution resolution =
        SnapshotResolver.resolve(
            read(ROUTES + template("{name: shared-chat, namespace: shared}", "")));

    assertThat(resolution.problems()).isEmpty();
    assertThat(resolution.snapshot().templates().get(0).versions().get(0).route())
        .isEqualTo("shared/shared-chat");
  }

  @Test
  void aVersionRouteThatDoesNotAdmitTheTemplatesNamespaceIsAProblem() {
    Resolution resolution =
        SnapshotResolver.resolve(read(ROUTES + template("{name: private, namespace: team-b}", "")));

    assertThat(resolution.snapshot().templates()).isEmpty();
    assertThat(resolution.problemsFor(SUPPORT_BOT))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("spec.versions[0].route");
              assertThat(p.message())
                  .startsWith("LLMRoute team-b/private does not admit namespace team-a");
            });
  }

  @Test
  void anUnknownVersionRouteIsAProblem() {
    Resolution resolution = SnapshotResolver.resolve(read(ROUTES + template("{name: nope}", "")));

    assertThat(resolution.problemsFor(SUPPORT_BOT))
        .isEqualTo(
            List.of(new Problem("spec.versions[0].route", "LLMRoute team-a/nope does not exist")));
  }

  private static String templateWithContent(String content) {
    return """
        apiVersion: portcullis.dev/v1alpha1
        kind: PromptTemplate
        metadata: {name: support-bot, namespace: team-a}
        spec:
          variables: [{name: question, required: true}, {name: tone}]
          versions:
            - name: v1
              messages:
                - {role: user, content: "%s"}
        """
        .formatted(content);
  }

  @Test
  void aTemplateWithSectionsAndInvertedSectionsIsServedAsWritten() {
    String content = "{{#tone}}Be {{tone}}. {{/tone}}{{^tone}}Be brief. {{/tone}}{{question}}";

    Resolution resolution = SnapshotResolver.resolve(read(templateWithContent(content)));

    assertThat(resolution.problems()).isEmpty();
    assertThat(resolution.snapshot().templates().get(0).versions().get(0).messages())
        .containsExactly(new PromptTemplateConfig.Message("user", content));
  }

  @Test
  void aTemplateWithAnUnclosedSectionIsLeftOutNamingTheContentField() {
    Resolution resolution =
        SnapshotResolver.resolve(read(templateWithContent("{{#tone}}Be {{tone}}. {{question}}")));

    assertThat(resolution.snapshot().templates()).isEmpty();
    assertThat(resolution.problemsFor(SUPPORT_BOT))
        .containsExactly(
            new Problem(
                "spec.versions[0].messages[0].content",
                "is not a valid Mustache template: Section missing close tag 'tone' @ line 1"));
  }
}
