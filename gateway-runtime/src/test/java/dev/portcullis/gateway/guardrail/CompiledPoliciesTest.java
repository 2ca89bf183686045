package dev.portcullis.gateway.guardrail;

import static dev.portcullis.gateway.guardrail.GuardrailFixtures.check;
import static dev.portcullis.gateway.guardrail.GuardrailFixtures.json;
import static dev.portcullis.gateway.guardrail.GuardrailFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.GuardrailPolicyConfig;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig.Action;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Compiling once per snapshot, reusing unchanged policies, and the example policies. */
class CompiledPoliciesTest {
  private static Snapshot snapshot(String version, GuardrailPolicyConfig... policies) {
    return new Snapshot(
        Snapshot.SCHEMA_VERSION, version, List.of(), List.of(), List.of(policies), List.of());
  }

  private static final GuardrailPolicyConfig PII =
      policy("ns/pii", null, check("mask", "Input", Action.REDACT, "pii", "{}"));
  private static final GuardrailPolicyConfig SIZE =
      policy("ns/size", null, check("max", "Input", Action.DENY, "length", "{'maxTokens':10}"));

  @Test
  void compilesOncePerSnapshotVersion() {
    CompiledPoliciesCache cache = new CompiledPoliciesCache(GuardrailFixtures.TOKENS);
    Snapshot v1 = snapshot("sha256:1", PII);
    CompiledPolicies first = cache.forSnapshot(v1);
    assertThat(cache.forSnapshot(v1)).isSameAs(first);
    assertThat(cache.forSnapshot(snapshot("sha256:1", PII))).isSameAs(first);
    assertThat(cache.forSnapshot(snapshot("sha256:2", PII))).isNotSameAs(first);
  }

  @Test
  void aNewSnapshotReusesEveryUnchangedPolicy() {
    AtomicInteger counted = new AtomicInteger();
    TokenCounter tokens =
        text -> {
          counted.incrementAndGet();
          return GuardrailFixtures.TOKENS.count(text);
        };
    CompiledPoliciesCache cache = new CompiledPoliciesCache(tokens);
    CompiledPolicies v1 = cache.apply(snapshot("sha256:1", PII, SIZE));
    GuardrailPolicyConfig changedSize =
        policy("ns/size", null, check("max", "Input", Action.DENY, "length", "{'maxTokens':20}"));
    CompiledPolicies v2 = cache.apply(snapshot("sha256:2", PII, changedSize));
    RequestGuardrails a =
        v1.forRequest(List.of("ns/pii"), List.of(), GuardrailRequest.anonymous("a"));
    RequestGuardrails b =
        v2.forRequest(List.of("ns/pii"), List.of(), GuardrailRequest.anonymous("b"));
    assertThat(checkOf(b)).isSameAs(checkOf(a));
    assertThat(checkOf(v2.forRequest(List.of("ns/size"), List.of(), null)))
        .isNotSameAs(checkOf(v1.forRequest(List.of("ns/size"), List.of(), null)));
  }

  private static ContentCheck checkOf(RequestGuardrails g) {
    return g.inputChecks().get(0).check();
  }

  @Test
  void aPolicyThatDoesNotCompileIsReportedWithTheFieldAndDeniesRequestsThatNameIt() {
    GuardrailPolicyConfig bad =
        policy("ns/bad", null, check("re", "Input", Action.DENY, "regex", "{'pattern':'(?<=x)y'}"));
    CompiledPolicies p =
        CompiledPolicies.compile(
            "sha256:x", List.of(bad, PII), GuardrailFixtures.TOKENS, CompiledPolicies.EMPTY);
    assertThat(p.compileErrors()).containsOnlyKeys("ns/bad");
    assertThat(p.compileErrors().get("ns/bad")).startsWith("spec.checks[0] (re).regex.pattern");
    InputVerdict v =
        p.forRequest(List.of("ns/bad"), List.of(), GuardrailRequest.anonymous("r"))
            .checkInput(
                WireFormat.OPENAI,
                Operation.CHAT,
                json("{'model':'m','messages':[{'role':'user','content':'hi'}]}"));
    assertThat(v.denied()).isTrue();
  }

  @Test
  void theExamplePoliciesCompileAndDoWhatTheirReadmeSays() {
    CompiledPolicies p =
        new CompiledPoliciesCache(GuardrailFixtures.TOKENS)
            .forSnapshot(GuardrailFixtures.examplesSnapshot());
    assertThat(p.compileErrors()).isEmpty();
    String policy = "default/content-policy";
    RequestGuardrails g =
        p.forRequest(List.of(policy), List.of(policy), GuardrailRequest.anonymous("r"));
    InputVerdict in =
        g.checkInput(
            WireFormat.OPENAI,
            Operation.CHAT,
            json(
                "{'model':'assistant','messages':[{'role':'user','content':"
                    + "'I am jane@example.com on db-1.corp.example.com'}]}"));
    assertThat(in.body().path("messages").get(0).path("content").asText())
        .isEqualTo("I am [EMAIL_1] on [REDACTED_1]");
    assertThat(g.checkOutput("Ask Initech.", List.of()).denied()).isTrue();
    RequestGuardrails json =
        p.forRequest(List.of(), List.of("default/json-answers"), GuardrailRequest.anonymous("r"));
    assertThat(json.checkOutput("not json", List.of()).denied()).isTrue();
  }
}
