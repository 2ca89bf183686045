package dev.portcullis.operator;

import static dev.portcullis.operator.Statuses.message;
import static dev.portcullis.operator.Statuses.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portcullis.api.guardrail.GuardrailPolicy;
import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** LLMRoute status from the operator, against the fabric8 mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class LLMRouteStatusTest {
  static KubernetesMockServer server;
  static KubernetesClient client;
  static TestCluster cluster;
  static PortcullisOperator operator;

  @BeforeAll
  static void start() throws Exception {
    TestCluster.installCrds(client);
    cluster = new TestCluster(client);
    operator =
        PortcullisOperator.start(client, OperatorSettings.forTests(TestCluster.tokenFile("t")));
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  static String route(String ns, String name, String model, String extra) {
    return """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: %s, namespace: %s}
        spec:
          model: %s
        %s
        """
        .formatted(name, ns, model, extra.indent(2));
  }

  static String openAiTarget(String secret) {
    return """
        targets:
          - name: main
            provider: openai
            model: gpt-4o
            credentials: {secretRef: {name: %s, key: apiKey}}
        """
        .formatted(secret);
  }

  static LLMRoute awaitRoute(String ns, String name, String type, String expected) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(state(cluster.get(LLMRoute.class, ns, name), type)).isEqualTo(expected));
    return cluster.get(LLMRoute.class, ns, name);
  }

  @Test
  void routeWithEveryReferenceIsAcceptedResolvedAndWaitsForGateways() {
    String ns = TestCluster.freshNamespace();
    cluster.secret(ns, "openai", "apiKey", "sk-test");
    cluster.create(LLMRoute.class, route(ns, "chat", "gpt-4o", openAiTarget("openai")));

    LLMRoute r = awaitRoute(ns, "chat", "Programmed", "False/NoGateways");

    assertThat(state(r, "Accepted")).isEqualTo("True/Accepted");
    assertThat(state(r, "ResolvedRefs")).isEqualTo("True/ResolvedRefs");
    assertThat(state(r, "Ready")).isEqualTo("False/NoGateways");
    assertThat(r.getStatus().getObservedGeneration()).isEqualTo(r.getMetadata().getGeneration());
    assertThat(r.getStatus().getConfigVersion()).startsWith("sha256:");
    assertThat(r.getStatus().getFleet().getTotal()).isZero();
  }

  @Test
  void missingSecretIsNamedInResolvedRefsAndAnEvent() {
    String ns = TestCluster.freshNamespace();
    cluster.create(LLMRoute.class, route(ns, "chat", "gpt-4o", openAiTarget("openai")));

    LLMRoute r = awaitRoute(ns, "chat", "ResolvedRefs", "False/SecretNotFound");

    assertThat(message(r, "ResolvedRefs"))
        .contains("spec.targets[0].credentials.secretRef")
        .contains("Secret " + ns + "/openai does not exist");
    assertThat(state(r, "Programmed")).isEqualTo("False/LeftOut");
    assertThat(state(r, "Ready")).isEqualTo("False/SecretNotFound");
    await()
        .untilAsserted(
            () -> assertThat(cluster.eventReasons(ns, "chat")).contains("SecretNotFound"));
  }

  @Test
  void secretCreatedLaterResolvesTheRoute() {
    String ns = TestCluster.freshNamespace();
    cluster.create(LLMRoute.class, route(ns, "chat", "gpt-4o", openAiTarget("openai")));
    awaitRoute(ns, "chat", "ResolvedRefs", "False/SecretNotFound");

    cluster.secret(ns, "openai", "apiKey", "sk-test");

    awaitRoute(ns, "chat", "ResolvedRefs", "True/ResolvedRefs");
  }

  @Test
  void missingDataKeyIsNamed() {
    String ns = TestCluster.freshNamespace();
    cluster.secret(ns, "openai", "token", "sk-test");
    cluster.create(LLMRoute.class, route(ns, "chat", "gpt-4o", openAiTarget("openai")));

    LLMRoute r = awaitRoute(ns, "chat", "ResolvedRefs", "False/SecretKeyNotFound");

    assertThat(message(r, "ResolvedRefs")).contains("has no data key apiKey");
  }

  @Test
  void emptySecretValueIsAnInvalidSecret() {
    String ns = TestCluster.freshNamespace();
    cluster.secret(ns, "openai", "apiKey", "  ");
    cluster.create(LLMRoute.class, route(ns, "chat", "gpt-4o", openAiTarget("openai")));

    LLMRoute r = awaitRoute(ns, "chat", "ResolvedRefs", "False/InvalidSecret");

    assertThat(message(r, "ResolvedRefs")).contains("is empty");
  }

  @Test
  void missingPolicyIsNamedAndCreatingItResolvesTheRoute() {
    String ns = TestCluster.freshNamespace();
    cluster.secret(ns, "openai", "apiKey", "sk-test");
    cluster.create(
        LLMRoute.class,
        route(ns, "chat", "gpt-4o", openAiTarget("openai") + "guardrails: {input: [{name: pii}]}"));

    LLMRoute r = awaitRoute(ns, "chat", "ResolvedRefs", "False/RefNotFound");
    assertThat(message(r, "ResolvedRefs"))
        .contains("GuardrailPolicy " + ns + "/pii does not exist");

    cluster.create(GuardrailPolicy.class, policy(ns, "pii"));
    awaitRoute(ns, "chat", "ResolvedRefs", "True/ResolvedRefs");
  }

  @Test
  void brokenPolicyLeavesOutTheRouteThatNeedsIt() {
    String ns = TestCluster.freshNamespace();
    cluster.secret(ns, "openai", "apiKey", "sk-test");
    cluster.create(
        GuardrailPolicy.class,
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: GuardrailPolicy
        metadata: {name: pii, namespace: %s}
        spec: {checks: []}
        """
            .formatted(ns));
    cluster.create(
        LLMRoute.class,
        route(ns, "chat", "gpt-4o", openAiTarget("openai") + "guardrails: {input: [{name: pii}]}"));

    LLMRoute r = awaitRoute(ns, "chat", "ResolvedRefs", "False/RefNotReady");

    assertThat(message(r, "ResolvedRefs")).contains("GuardrailPolicy " + ns + "/pii is left out");
  }

  @Test
  void routeWithoutTargetsIsNotAccepted() {
    String ns = TestCluster.freshNamespace();
    cluster.create(LLMRoute.class, route(ns, "chat", "gpt-4o", "targets: []"));

    LLMRoute r = awaitRoute(ns, "chat", "Accepted", "False/Invalid");

    assertThat(message(r, "Accepted")).contains("spec.targets");
    assertThat(state(r, "ResolvedRefs")).isEqualTo("Unknown/NotAccepted");
    assertThat(state(r, "Ready")).isEqualTo("False/Invalid");
  }

  @Test
  void secondRouteClaimingAModelNameIsNotAccepted() {
    String ns = TestCluster.freshNamespace();
    cluster.secret(ns, "openai", "apiKey", "sk-test");
    cluster.create(LLMRoute.class, route(ns, "a-chat", "gpt-4o", openAiTarget("openai")));
    cluster.create(LLMRoute.class, route(ns, "b-chat", "gpt-4o", openAiTarget("openai")));

    LLMRoute r = awaitRoute(ns, "b-chat", "Accepted", "False/ModelNameConflict");

    assertThat(message(r, "Accepted")).contains("already used by LLMRoute " + ns + "/a-chat");
    awaitRoute(ns, "a-chat", "Accepted", "True/Accepted");
  }

  @Test
  void nestedRouteCycleIsNamed() {
    String ns = TestCluster.freshNamespace();
    cluster.create(
        LLMRoute.class, route(ns, "a", "m-a", "targets: [{name: next, route: {name: b}}]"));
    cluster.create(
        LLMRoute.class, route(ns, "b", "m-b", "targets: [{name: next, route: {name: a}}]"));

    LLMRoute r = awaitRoute(ns, "a", "ResolvedRefs", "False/RouteCycle");

    assertThat(message(r, "ResolvedRefs")).contains(ns + "/a -> " + ns + "/b -> " + ns + "/a");
  }

  @Test
  void nestedRouteOfANamespaceThatDoesNotAdmitUsIsRefused() {
    String own = TestCluster.freshNamespace();
    String other = TestCluster.freshNamespace();
    cluster.secret(other, "openai", "apiKey", "sk-test");
    cluster.create(LLMRoute.class, route(other, "shared", "gpt-4o", openAiTarget("openai")));
    cluster.create(
        LLMRoute.class,
        route(
            own,
            "chat",
            "m",
            "targets: [{name: next, route: {name: shared, namespace: %s}}]".formatted(other)));

    LLMRoute r = awaitRoute(own, "chat", "ResolvedRefs", "False/RefNotPermitted");

    assertThat(message(r, "ResolvedRefs")).contains("does not admit namespace " + own);
  }

  @Test
  void changedSpecIsReflectedInObservedGeneration() {
    String ns = TestCluster.freshNamespace();
    cluster.secret(ns, "openai", "apiKey", "sk-test");
    cluster.create(LLMRoute.class, route(ns, "chat", "gpt-4o", openAiTarget("openai")));
    String first =
        awaitRoute(ns, "chat", "Accepted", "True/Accepted").getStatus().getConfigVersion();

    LLMRoute changed =
        cluster.update(LLMRoute.class, route(ns, "chat", "gpt-4o-mini", openAiTarget("openai")));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              LLMRoute r = cluster.get(LLMRoute.class, ns, "chat");
              assertThat(r.getStatus().getObservedGeneration())
                  .isEqualTo(changed.getMetadata().getGeneration());
              assertThat(r.getStatus().getConfigVersion()).isNotEqualTo(first);
            });
  }

  static String policy(String ns, String name) {
    return """
        apiVersion: portcullis.dev/v1alpha1
        kind: GuardrailPolicy
        metadata: {name: %s, namespace: %s}
        spec:
          checks:
            - {name: no-pii, stages: [Input], action: Redact, pii: {entities: [Email]}}
        """
        .formatted(name, ns);
  }
}
