package dev.portcullis.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An operator restricted to a list of namespaces, running under a Lease. */
@EnableKubernetesMockClient(crud = true)
class WatchedNamespacesTest {
  static KubernetesMockServer server;
  static KubernetesClient client;
  static TestCluster cluster;
  static PortcullisOperator operator;

  @BeforeAll
  static void start() throws Exception {
    TestCluster.installCrds(client);
    // JOSDK checks it may use Leases before electing; the mock server cannot answer that review.
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("*")
                .endResourceRule()
                .withIncomplete(false)
                .endStatus()
                .build())
        .always();
    cluster = new TestCluster(client);
    operator =
        PortcullisOperator.start(
            client,
            OperatorSettings.forTests(TestCluster.tokenFile("t"))
                .withNamespaces(Set.of("watched"))
                .withLeaderElection("portcullis-system"));
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  static String route(String ns) {
    return """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: chat, namespace: %s}
        spec:
          model: m
          targets: [{name: echo, provider: echo, model: echo}]
        """
        .formatted(ns);
  }

  @Test
  void onlyResourcesInWatchedNamespacesGetStatusAndReachTheSnapshot() {
    cluster.create(LLMRoute.class, route("watched"));
    cluster.create(LLMRoute.class, route("elsewhere"));

    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> cluster.get(LLMRoute.class, "watched", "chat").getStatus() != null);
    assertThat(cluster.get(LLMRoute.class, "elsewhere", "chat").getStatus()).isNull();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(operator.servedSnapshotRoutes()).containsExactly("watched/chat"));
  }

  @Test
  void statusIsWrittenByTheHolderOfTheLease() {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                client
                        .leases()
                        .inNamespace("portcullis-system")
                        .withName(OperatorSettings.LEASE_NAME)
                        .get()
                    != null);
  }
}
