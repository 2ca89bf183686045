package dev.portcullis.operator;

import static dev.portcullis.operator.Statuses.message;
import static dev.portcullis.operator.Statuses.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.fleet.UsageReport;
import dev.portcullis.api.key.KeyUsage;
import dev.portcullis.api.key.VirtualKey;
import dev.portcullis.api.resolve.SnapshotResolver;
import dev.portcullis.api.route.LLMRoute;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Minting, rotating and guarding virtual keys, against the fabric8 mock API server. */
@EnableKubernetesMockClient(crud = true)
class VirtualKeyTest {
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

  static String key(String ns, String name, String extra) {
    return """
        apiVersion: portcullis.dev/v1alpha1
        kind: VirtualKey
        metadata: {name: %s, namespace: %s}
        spec:
          secretName: %s-key
        %s
        """
        .formatted(name, ns, name, extra.indent(2));
  }

  static String awaitMinted(String ns, String name) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.secretValue(ns, name + "-key", "apiKey") != null);
    return cluster.secretValue(ns, name + "-key", "apiKey");
  }

  static VirtualKey awaitKey(String ns, String name, String type, String expected) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(state(cluster.get(VirtualKey.class, ns, name), type))
                    .isEqualTo(expected));
    return cluster.get(VirtualKey.class, ns, name);
  }

  @Test
  void mintsA256BitPrefixedKeyIntoAnOwnedLabelledSecret() {
    String ns = TestCluster.freshNamespace();
    VirtualKey created = cluster.create(VirtualKey.class, key(ns, "app", ""));

    String minted = awaitMinted(ns, "app");

    assertThat(minted).startsWith("pc-");
    assertThat(Base64.getUrlDecoder().decode(minted.substring(3))).hasSize(32);
    Secret secret = client.secrets().inNamespace(ns).withName("app-key").get();
    assertThat(secret.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("VirtualKey");
              assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
    assertThat(secret.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "portcullis-operator")
        .containsEntry("portcullis.dev/virtual-key", "app");
    assertThat(secret.getStringData()).isNullOrEmpty();
    await().untilAsserted(() -> assertThat(cluster.eventReasons(ns, "app")).contains("KeyMinted"));
  }

  @Test
  void statusShowsAPublicKeyIdAndMintTimeButNeverTheKey() {
    String ns = TestCluster.freshNamespace();
    cluster.create(VirtualKey.class, key(ns, "app", ""));
    String minted = awaitMinted(ns, "app");

    VirtualKey k = awaitKey(ns, "app", "ResolvedRefs", "True/ResolvedRefs");

    assertThat(k.getStatus().getKeyId()).startsWith("vk_");
    assertThat(k.getStatus().getRotatedAt()).isNotNull();
    assertThat(state(k, "Accepted")).isEqualTo("True/Accepted");
    assertThat(client.getKubernetesSerialization().asJson(k)).doesNotContain(minted);
  }

  @Test
  void aRefusedSecretWriteIsShownWithTheServersAnswerAndAWarningEvent() {
    String ns = TestCluster.freshNamespace();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + ns + "/secrets")
        .andReturn(
            403,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("Forbidden")
                .withCode(403)
                .withMessage(
                    "secrets is forbidden: User \"system:serviceaccount:portcullis:operator\""
                        + " cannot create resource \"secrets\" in the namespace \""
                        + ns
                        + "\"")
                .build())
        .always();

    cluster.create(VirtualKey.class, key(ns, "app", ""));

    VirtualKey refused = awaitKey(ns, "app", "ResolvedRefs", "False/SecretWriteFailed");
    assertThat(message(refused, "ResolvedRefs"))
        .contains("could not write Secret " + ns + "/app-key")
        .contains("403 Forbidden")
        .contains("cannot create resource");
    assertThat(state(refused, "Ready")).isEqualTo("False/SecretWriteFailed");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(cluster.eventReasons(ns, "app")).contains("SecretWriteFailed"));
    assertThat(cluster.secretValue(ns, "app-key", "apiKey")).isNull();
  }

  @Test
  void secretOwnedBySomeoneElseIsNeverOverwrittenAndStatusSaysSo() {
    String ns = TestCluster.freshNamespace();
    cluster.secret(ns, "app-key", "apiKey", "somebody-elses-value");
    cluster.create(VirtualKey.class, key(ns, "app", ""));

    VirtualKey k = awaitKey(ns, "app", "ResolvedRefs", "False/SecretNotOwned");

    assertThat(message(k, "ResolvedRefs"))
        .contains("Secret " + ns + "/app-key exists and is not owned");
    assertThat(state(k, "Programmed")).isEqualTo("False/LeftOut");
    assertThat(cluster.secretValue(ns, "app-key", "apiKey")).isEqualTo("somebody-elses-value");
  }

  @Test
  void deletedKeySecretIsRemintedWithANewKeyAndAnEvent() {
    String ns = TestCluster.freshNamespace();
    cluster.create(VirtualKey.class, key(ns, "app", ""));
    String first = awaitMinted(ns, "app");
    awaitKey(ns, "app", "ResolvedRefs", "True/ResolvedRefs");

    client.secrets().inNamespace(ns).withName("app-key").delete();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              String now = cluster.secretValue(ns, "app-key", "apiKey");
              assertThat(now).isNotNull().isNotEqualTo(first);
            });
    await()
        .untilAsserted(() -> assertThat(cluster.eventReasons(ns, "app")).contains("KeyReminted"));
  }

  @Test
  void rotateAnnotationMintsANewKeyAndKeepsThePreviousForTheGracePeriod() {
    String ns = TestCluster.freshNamespace();
    cluster.create(VirtualKey.class, key(ns, "app", "rotation: {every: 720h, gracePeriod: 1h}"));
    String first = awaitMinted(ns, "app");
    awaitKey(ns, "app", "ResolvedRefs", "True/ResolvedRefs");

    requestRotation(ns, "app", "1");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(cluster.secretValue(ns, "app-key", "apiKey")).isNotEqualTo(first));
    assertThat(cluster.secretValue(ns, "app-key", SnapshotResolver.PREVIOUS_KEY_DATA_KEY))
        .isEqualTo(first);
    Instant validUntil =
        Instant.parse(
            client
                .secrets()
                .inNamespace(ns)
                .withName("app-key")
                .get()
                .getMetadata()
                .getAnnotations()
                .get(SnapshotResolver.PREVIOUS_KEY_VALID_UNTIL_ANNOTATION));
    assertThat(validUntil)
        .isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
    await()
        .untilAsserted(
            () -> {
              VirtualKey k = cluster.get(VirtualKey.class, ns, "app");
              assertThat(k.getStatus().getPreviousKeyValidUntil()).isEqualTo(validUntil.toString());
              assertThat(cluster.eventReasons(ns, "app")).contains("KeyRotated");
            });
  }

  @Test
  void sameRotateAnnotationValueDoesNotRotateAgain() {
    String ns = TestCluster.freshNamespace();
    cluster.create(VirtualKey.class, key(ns, "app", ""));
    awaitMinted(ns, "app");
    requestRotation(ns, "app", "1");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.eventReasons(ns, "app").contains("KeyRotated"));
    String rotated = cluster.secretValue(ns, "app-key", "apiKey");

    requestRotation(ns, "app", "1");

    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(
            () -> assertThat(cluster.secretValue(ns, "app-key", "apiKey")).isEqualTo(rotated));
  }

  @Test
  void previousKeyIsRemovedWhenTheGracePeriodEnds() {
    String ns = TestCluster.freshNamespace();
    cluster.create(VirtualKey.class, key(ns, "app", "rotation: {every: 720h, gracePeriod: 2s}"));
    awaitMinted(ns, "app");
    requestRotation(ns, "app", "now");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                cluster.secretValue(ns, "app-key", SnapshotResolver.PREVIOUS_KEY_DATA_KEY) != null);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                cluster.secretValue(ns, "app-key", SnapshotResolver.PREVIOUS_KEY_DATA_KEY) == null);
    assertThat(
            client
                .secrets()
                .inNamespace(ns)
                .withName("app-key")
                .get()
                .getMetadata()
                .getAnnotations())
        .doesNotContainKey(SnapshotResolver.PREVIOUS_KEY_VALID_UNTIL_ANNOTATION);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(cluster.eventReasons(ns, "app")).contains("PreviousKeyExpired");
              assertThat(
                      cluster
                          .get(VirtualKey.class, ns, "app")
                          .getStatus()
                          .getPreviousKeyValidUntil())
                  .isNull();
            });
  }

  @Test
  void keyRotatesOnItsSchedule() {
    String ns = TestCluster.freshNamespace();
    cluster.create(VirtualKey.class, key(ns, "app", "rotation: {every: 2s}"));
    String first = awaitMinted(ns, "app");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(cluster.secretValue(ns, "app-key", "apiKey")).isNotEqualTo(first));
  }

  @Test
  void routeEntryOfANamespaceThatDoesNotAdmitTheKeyIsRefused() {
    String ns = TestCluster.freshNamespace();
    String other = TestCluster.freshNamespace();
    cluster.create(
        LLMRoute.class,
        """
        apiVersion: portcullis.dev/v1alpha1
        kind: LLMRoute
        metadata: {name: chat, namespace: %s}
        spec:
          model: m
          targets: [{name: echo, provider: echo, model: echo}]
        """
            .formatted(other));
    cluster.create(VirtualKey.class, key(ns, "app", "routes: [%s/chat]".formatted(other)));

    VirtualKey k = awaitKey(ns, "app", "ResolvedRefs", "False/RefNotPermitted");

    assertThat(message(k, "ResolvedRefs")).contains("does not admit namespace " + ns);
  }

  @Test
  void aKeyDeletedAndReCreatedWithTheSameNameStartsWithNoUsage() throws Exception {
    String ns = TestCluster.freshNamespace();
    String first = cluster.create(VirtualKey.class, key(ns, "app", "")).getMetadata().getUid();
    awaitMinted(ns, "app");
    awaitServedUid(ns, "app", first);
    try (FleetTestClient gateway = new FleetTestClient(operator.configPort(), "t", "gw-1")) {
      assertThat(gateway.usage(report(ns, first, "2.5", 7))).isEqualTo(204);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(cluster.get(VirtualKey.class, ns, "app").getStatus().getUsage())
                      .extracting(KeyUsage::getRequests)
                      .isEqualTo(7L));

      cluster.delete(VirtualKey.class, ns, "app");
      // What the garbage collector would do: the Secret is owned by the deleted key.
      client.secrets().inNamespace(ns).withName("app-key").delete();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> operator.usageRollup().total(ns + "/app").isEmpty());
      assertThat(operator.usageRollup().export()).doesNotContainKey(ns + "/app");

      String second = cluster.create(VirtualKey.class, key(ns, "app", "")).getMetadata().getUid();
      assertThat(second).isNotEqualTo(first);
      awaitServedUid(ns, "app", second);
      VirtualKey recreated = awaitKey(ns, "app", "Accepted", "True/Accepted");
      assertThat(recreated.getStatus().getUsage()).isNull();

      // A gateway still on the old snapshot reports the deleted key late; one on the new, its own.
      assertThat(gateway.usage(report(ns, first, "3", 9))).isEqualTo(204);
      assertThat(gateway.usage(report(ns, second, "0.01", 1))).isEqualTo(204);

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                KeyUsage usage = cluster.get(VirtualKey.class, ns, "app").getStatus().getUsage();
                assertThat(usage).isNotNull();
                assertThat(usage.getRequests()).isEqualTo(1);
                assertThat(usage.getSpendUsd()).isEqualTo("0.01");
              });
      assertThat(operator.usageRollup().total(ns + "/app").orElseThrow().requests()).isEqualTo(1);
    }
  }

  private static void awaitServedUid(String ns, String name, String uid) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                operator.servedSnapshot() != null
                    && operator.servedSnapshot().keys().stream()
                        .anyMatch(
                            k ->
                                k.id().qualifiedName().equals(ns + "/" + name)
                                    && uid.equals(k.id().uid())));
  }

  private static String report(String ns, String uid, String spend, long requests)
      throws Exception {
    return new ObjectMapper()
        .writeValueAsString(
            new UsageReport(
                "gw-1",
                "instance-1",
                UsageReport.Scope.FLEET,
                List.of(
                    new UsageReport.KeyTotals(
                        ns + "/app",
                        "MONTHLY",
                        "2025-03-01T00:00:00Z",
                        spend,
                        requests,
                        requests * 100,
                        requests * 10,
                        uid))));
  }

  private static void requestRotation(String ns, String name, String value) {
    cluster.annotate(VirtualKey.class, ns, name, VirtualKey.ROTATE_ANNOTATION, value);
  }
}
