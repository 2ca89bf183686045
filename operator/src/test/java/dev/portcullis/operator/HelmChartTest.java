package dev.portcullis.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.portcullis.gateway.Gateway;
import dev.portcullis.gateway.GatewaySettings;
import dev.portcullis.gateway.testing.SecretScan;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The Helm chart in {@code charts/portcullis}, rendered by the real Helm library (helm-java ships
 * Helm's Go code as a native library): {@code helm lint}, and {@code helm template} with the
 * default values and with a values set that turns on TLS, Redis, watched namespaces and an existing
 * fleet token Secret. The rendered manifests are parsed with fabric8 and checked against the
 * programs themselves: container args are parsed by the operator's and the gateway's picocli
 * commands, probes are sent to a running gateway and operator, and RBAC is compared with the API
 * calls the operator makes.
 *
 * <p>helm-java's template answers the chart's {@code lookup} from the cluster of {@code KUBECONFIG}
 * (surefire points it at a file this test writes): here the fabric8 mock API server, which also
 * lets the test check that an existing fleet token survives an upgrade.
 */
@EnableKubernetesMockClient(crud = true)
class HelmChartTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  static final Path CHART = Path.of("..", "charts", "portcullis");
  static final String RELEASE = "portcullis";
  static final String NAMESPACE = "portcullis-system";
  static final String OPERATOR = "portcullis-operator";
  static final String GATEWAY = "portcullis-gateway";
  static final String TOKEN_SECRET = "portcullis-fleet-token";
  static final String KUBE_VERSION = "1.33.0";
  static final String GATEWAY_JVM_FLAGS =
      "-Xms320m -Xmx320m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError";

  /** TLS, Redis, two watched namespaces and a fleet token Secret managed outside the chart. */
  static final String FULL_VALUES =
      """
      watchNamespaces: [team-a, team-b]
      fleetToken:
        existingSecret: platform-fleet-token
        key: fleet
      configServiceTls:
        enabled: true
        secretName: portcullis-config-tls
      redis:
        existingSecret: portcullis-redis
        key: redis-url
      """;

  /**
   * Every API the operator calls, as (API group, resource, verb), and where in the code it comes
   * from. Cluster-wide (or in each watched namespace) unless {@link #RELEASE_NAMESPACE_API}.
   */
  static final List<Api> WATCHED_NAMESPACE_API =
      List.of(
          // ResourceCaches.inform (client.resources(type)...inform) for the snapshot; JOSDK's
          // controllers (PortcullisOperator: operator.register) list and watch the same kinds and
          // read the primary resource before a status write.
          new Api("portcullis.dev", "llmroutes", "get", "list", "watch"),
          new Api("portcullis.dev", "virtualkeys", "get", "list", "watch"),
          new Api("portcullis.dev", "guardrailpolicies", "get", "list", "watch"),
          new Api("portcullis.dev", "prompttemplates", "get", "list", "watch"),
          // StatusReconciler.recordStatus: UpdateControl.patchStatus (SSA off: a JSON patch on
          // the status subresource).
          new Api("portcullis.dev", "llmroutes/status", "patch"),
          new Api("portcullis.dev", "virtualkeys/status", "patch"),
          new Api("portcullis.dev", "guardrailpolicies/status", "patch"),
          new Api("portcullis.dev", "prompttemplates/status", "patch"),
          // KeySecrets.ownerReference: blockOwnerDeletion=true on a minted Secret needs update on
          // the owner's finalizers (OwnerReferencesPermissionEnforcement).
          new Api("portcullis.dev", "virtualkeys/finalizers", "update"),
          // ResourceCaches (Secrets informer): list, watch. KeyMinter.ensure: secrets().get(),
          // .create() when minting; replaceKey and dropPrevious: .update().
          new Api("", "secrets", "get", "list", "watch", "create", "update"),
          // EventRecorder.record: client.v1().events()...create().
          new Api("", "events", "create"));

  static final List<Api> RELEASE_NAMESPACE_API =
      List.of(
          // JOSDK LeaderElectionManager (fabric8 LeaseLock on Lease "portcullis-operator").
          new Api("coordination.k8s.io", "leases", "get", "create", "update"),
          // FleetStatePublisher.write: create/update, get after a conflict; close(): delete.
          // RemoteFleet.start: informer (list, watch); RemoteFleet deletes long-dead ones.
          new Api("", "configmaps", "get", "list", "watch", "create", "update", "delete"));

  /**
   * Environment variables the programs read that are not picocli options: the operator's replica
   * identity (PortcullisOperator.replicaIdentity: HOSTNAME), the gateway's pod name
   * (FleetConfigSource.podName: POD_NAME), and the JVM's own JAVA_TOOL_OPTIONS.
   */
  static final Set<String> OPERATOR_OTHER_ENV = Set.of("HOSTNAME", "JAVA_TOOL_OPTIONS");

  static final Set<String> GATEWAY_OTHER_ENV = Set.of("POD_NAME", "JAVA_TOOL_OPTIONS");

  record Api(String group, String resource, List<String> verbs) {
    Api(String group, String resource, String... verbs) {
      this(group, resource, List.of(verbs));
    }
  }

  /** One render: the manifest text and the objects in it. */
  record Rendered(String text, List<HasMetadata> objects) {
    <T extends HasMetadata> List<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
      List<T> found =
          all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
      assertThat(found).as("%s %s in the rendered chart", type.getSimpleName(), name).hasSize(1);
      return found.get(0);
    }

    Deployment operator() {
      return one(Deployment.class, OPERATOR);
    }

    Deployment gateway() {
      return one(Deployment.class, GATEWAY);
    }
  }

  @BeforeAll
  static void pointHelmAtTheMockServer() throws IOException {
    String kubeconfig = System.getenv("KUBECONFIG");
    assertThat(kubeconfig)
        .as("run through Maven: the operator pom's surefire configuration sets KUBECONFIG")
        .isNotBlank();
    String url = client.getConfiguration().getMasterUrl();
    Path file = Path.of(kubeconfig);
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: mock
            cluster: {server: "%s", insecure-skip-tls-verify: true}
        users:
          - name: mock
            user: {token: mock}
        contexts:
          - name: mock
            context: {cluster: mock, user: mock, namespace: %s}
        current-context: mock
        """
            .formatted(url.replaceAll("/$", ""), NAMESPACE));
    // lookup asks discovery what "v1 Secret" is before it reads one.
    var coreV1 =
        new APIResourceListBuilder()
            .withGroupVersion("v1")
            .withResources(
                new APIResourceBuilder()
                    .withName("secrets")
                    .withKind("Secret")
                    .withNamespaced(true)
                    .withVerbs("get", "list", "watch", "create", "update", "patch", "delete")
                    .build())
            .build();
    server.expect().get().withPath("/api/v1").andReturn(200, coreV1).always();
    server.expect().get().withPath("/api/v1?timeout=32s").andReturn(200, coreV1).always();
  }

  static Rendered render(String values) throws IOException {
    Path file = Files.createTempFile("portcullis-values", ".yaml");
    try {
      Files.writeString(file, values);
      String text =
          new Helm(CHART)
              .template()
              .withName(RELEASE)
              .withNamespace(NAMESPACE)
              .withKubeVersion(KUBE_VERSION)
              .withValuesFile(file)
              .call();
      List<HasMetadata> objects =
          client.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).items();
      return new Rendered(text, objects);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  static Rendered defaults() throws IOException {
    return render("{}\n");
  }

  static Rendered full() throws IOException {
    return render(FULL_VALUES);
  }

  // ---------------------------------------------------------------- lint, chart metadata, objects

  @Test
  void lintFindsNothingInStrictMode() {
    LintResult lint = new Helm(CHART).lint().strict().call();

    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void chartYamlNamesTheProjectVersionAsAppVersion() throws IOException {
    Map<String, Object> chart =
        client
            .getKubernetesSerialization()
            .unmarshal(Files.readString(CHART.resolve("Chart.yaml")), Map.class);
    String projectVersion = System.getProperty("portcullis.version");
    assertThat(projectVersion).as("surefire passes the Maven project version").isNotBlank();

    assertThat(chart)
        .containsEntry("apiVersion", "v2")
        .containsEntry("name", "portcullis")
        .containsEntry("version", "0.1.0")
        .containsEntry("appVersion", projectVersion.replace("-SNAPSHOT", ""));
  }

  @Test
  void defaultImagesAreTheOnesTheBuildMakes() throws IOException {
    // The names -Pimages gives the archives (.ci/oci-image: repository:version without -SNAPSHOT),
    // from the parent pom's image.*.repository properties.
    String tag = System.getProperty("portcullis.version").replace("-SNAPSHOT", "");
    Rendered r = defaults();

    assertThat(container(r.operator()).getImage())
        .isEqualTo(System.getProperty("image.operator.repository") + ":" + tag);
    assertThat(container(r.gateway()).getImage())
        .isEqualTo(System.getProperty("image.gateway.repository") + ":" + tag);
  }

  @Test
  void defaultValuesRenderTheOperatorTheGatewayAndTheirPlumbing() throws IOException {
    Rendered r = defaults();

    assertThat(r.objects())
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getNamespace())
                    .as("%s %s", o.getKind(), o.getMetadata().getName())
                    .isIn(NAMESPACE, null));
    assertThat(r.operator().getSpec().getReplicas()).isEqualTo(2);
    assertThat(r.gateway().getSpec().getReplicas()).isEqualTo(2);
    assertThat(r.all(ServiceAccount.class))
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder(OPERATOR, GATEWAY);
    assertThat(r.one(ServiceAccount.class, GATEWAY).getAutomountServiceAccountToken()).isFalse();
    assertThat(r.gateway().getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
        .isFalse();
    assertThat(r.operator().getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo(OPERATOR);
    assertThat(r.one(Service.class, GATEWAY).getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(r.one(Service.class, GATEWAY).getSpec().getPorts().get(0).getPort()).isEqualTo(80);
    assertThat(r.all(ConfigMap.class)).isEmpty();
    assertThat(r.all(CustomResourceDefinition.class))
        .as("CRDs come from crds/, which template leaves out")
        .isEmpty();
    for (Deployment d : List.of(r.operator(), r.gateway())) {
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
    }
  }

  @Test
  void podDisruptionBudgetsSelectThePodsOfTheirDeployment() throws IOException {
    Rendered r = defaults();

    for (Deployment d : List.of(r.operator(), r.gateway())) {
      PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class, d.getMetadata().getName());
      assertThat(pdb.getSpec().getMinAvailable()).isEqualTo(new IntOrString(1));
      assertThat(pdb.getSpec().getSelector().getMatchLabels())
          .isEqualTo(d.getSpec().getSelector().getMatchLabels());
    }
  }

  @Test
  void oneOperatorWithoutLeaderElectionHasNoBudgetAndSeveralAreRefused() throws IOException {
    Rendered single = render("operator: {replicas: 1, leaderElection: false}\n");

    ParseResult args = parseOperator(container(single.operator()).getArgs());
    assertThat(args.matchedOptionValue("--leader-election", true)).isFalse();
    assertThat(single.all(PodDisruptionBudget.class))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly(GATEWAY);
    assertThatThrownBy(() -> render("operator: {replicas: 2, leaderElection: false}\n"))
        .hasMessageContaining("operator.replicas > 1 needs operator.leaderElection: true");
  }

  // ------------------------------------------------------------------------ the programs' flags

  @Test
  void operatorArgsAndEnvAreFlagsTheOperatorAccepts() throws IOException {
    for (Rendered r : List.of(defaults(), full())) {
      Container c = container(r.operator());
      ParseResult args = parseOperator(c.getArgs());

      assertThat(args.matchedOptionValue("--leader-election", false)).isTrue();
      assertThat(args.matchedOptionValue("--config-port", 0)).isEqualTo(8081);
      assertThat(args.matchedOptionValue("--usage-status-interval", Duration.ZERO))
          .isEqualTo(Duration.ofSeconds(10));
      assertThat(envNames(c))
          .allSatisfy(
              name ->
                  assertThat(name)
                      .as("operator env %s", name)
                      .isIn(union(envVariables(new Main()), OPERATOR_OTHER_ENV)));
      // The Lease and fleet-state ConfigMaps go to the pod's namespace (the Role's), the
      // replica's identity is its pod name.
      assertThat(fieldRef(c, "POD_NAMESPACE")).isEqualTo("metadata.namespace");
      assertThat(fieldRef(c, "HOSTNAME")).isEqualTo("metadata.name");
    }
    ParseResult all = parseOperator(container(defaults().operator()).getArgs());
    assertThat(all.hasMatchedOption("--namespaces")).isFalse();
    assertThat(all.hasMatchedOption("--tls-cert")).isFalse();

    Rendered r = full();
    ParseResult some = parseOperator(container(r.operator()).getArgs());
    assertThat(some.matchedOptionValue("--namespaces", "")).isEqualTo("team-a,team-b");
    PodSpec pod = r.operator().getSpec().getTemplate().getSpec();
    assertThat(
            secretFileOf(
                pod, container(r.operator()), some.matchedOptionValue("--tls-cert", Path.of(""))))
        .isEqualTo(new SecretFile("portcullis-config-tls", "tls.crt"));
    assertThat(
            secretFileOf(
                pod, container(r.operator()), some.matchedOptionValue("--tls-key", Path.of(""))))
        .isEqualTo(new SecretFile("portcullis-config-tls", "tls.key"));
  }

  @Test
  void gatewayArgsAndEnvAreFlagsTheGatewayAccepts() throws IOException {
    for (Rendered r : List.of(defaults(), full())) {
      Container c = container(r.gateway());
      ParseResult args = parseGateway(c.getArgs());

      assertThat(args.matchedOptionValue("--port", 0)).isEqualTo(8080);
      assertThat(args.matchedOptionValue("--admin-port", 0)).isEqualTo(9090);
      assertThat(args.matchedOptionValue("--max-body-bytes", 0L)).isEqualTo(10_485_760L);
      assertThat(envNames(c))
          .allSatisfy(
              name ->
                  assertThat(name)
                      .as("gateway env %s", name)
                      .isIn(
                          union(
                              envVariables(new dev.portcullis.gateway.Main()), GATEWAY_OTHER_ENV)));
      assertThat(fieldRef(c, "POD_NAME")).isEqualTo("metadata.name");
      assertThat(env(c, "JAVA_TOOL_OPTIONS").getValue()).isEqualTo(GATEWAY_JVM_FLAGS);
    }
    assertThat(envNames(container(defaults().gateway()))).doesNotContain("PORTCULLIS_REDIS");

    Rendered r = full();
    Container c = container(r.gateway());
    EnvVar redis = env(c, "PORTCULLIS_REDIS");
    assertThat(redis.getValue()).isNull();
    assertThat(redis.getValueFrom().getSecretKeyRef().getName()).isEqualTo("portcullis-redis");
    assertThat(redis.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("redis-url");
    ParseResult args = parseGateway(c.getArgs());
    PodSpec pod = r.gateway().getSpec().getTemplate().getSpec();
    assertThat(secretFileOf(pod, c, args.matchedOptionValue("--operator-ca-file", Path.of(""))))
        .isEqualTo(new SecretFile("portcullis-config-tls", "ca.crt"));
    Volume ca = volumeMountedAt(pod, c, args.matchedOptionValue("--operator-ca-file", Path.of("")));
    assertThat(ca.getSecret().getItems())
        .as("only the CA certificate reaches gateway pods, never the operator's private key")
        .extracting(i -> i.getKey())
        .containsExactly("ca.crt");
  }

  @Test
  void gatewaysConnectToTheOperatorServiceByItsClusterDnsNameAndPort() throws IOException {
    for (Rendered r : List.of(defaults(), full())) {
      URI operator =
          parseGateway(container(r.gateway()).getArgs())
              .matchedOptionValue("--operator", URI.create("none:/"));
      Service service = r.one(Service.class, OPERATOR);
      int configPort =
          parseOperator(container(r.operator()).getArgs()).matchedOptionValue("--config-port", 0);

      boolean tls = operatorUsesTls(r);
      assertThat(operator.getScheme()).isEqualTo(tls ? "https" : "http");
      assertThat(operator.getHost()).isEqualTo(OPERATOR + "." + NAMESPACE + ".svc");
      var port = service.getSpec().getPorts().get(0);
      assertThat(operator.getPort()).isEqualTo(port.getPort());
      assertThat(containerPort(container(r.operator()), port.getTargetPort()))
          .isEqualTo(configPort);
      assertThat(service.getSpec().getSelector())
          .isEqualTo(r.operator().getSpec().getSelector().getMatchLabels());
    }
  }

  // ----------------------------------------------------------------------------------- probes

  @Test
  void probesUseThePathsAndPortsTheProgramsServe() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Set<String> gatewayPaths = new LinkedHashSet<>();
    Set<String> operatorPaths = new LinkedHashSet<>();
    for (Rendered r : List.of(defaults(), full())) {
      Container gateway = container(r.gateway());
      int adminPort = parseGateway(gateway.getArgs()).matchedOptionValue("--admin-port", 0);
      assertThat(gateway.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
      assertThat(gateway.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
      for (HTTPGetAction probe :
          List.of(
              gateway.getReadinessProbe().getHttpGet(), gateway.getLivenessProbe().getHttpGet())) {
        assertThat(containerPort(gateway, probe.getPort())).isEqualTo(adminPort);
        gatewayPaths.add(probe.getPath());
      }

      Container operator = container(r.operator());
      ParseResult args = parseOperator(operator.getArgs());
      int configPort = args.matchedOptionValue("--config-port", 0);
      for (var probe :
          List.of(
              operator.getReadinessProbe(),
              operator.getLivenessProbe(),
              operator.getStartupProbe())) {
        HTTPGetAction get = probe.getHttpGet();
        assertThat(containerPort(operator, get.getPort())).isEqualTo(configPort);
        assertThat(get.getScheme())
            .as("the config service speaks TLS exactly when --tls-cert is given")
            .isEqualTo(args.hasMatchedOption("--tls-cert") ? "HTTPS" : "HTTP");
        operatorPaths.add(get.getPath());
      }
    }

    // The paths answer on the real programs: a gateway's admin port and an operator's config
    // service (against the mock API server).
    try (Gateway gateway = SecretScan.watching(Gateway.start(GatewaySettings.ephemeral()))) {
      for (String path : gatewayPaths) {
        int status = get(http, "http://127.0.0.1:" + gateway.adminPort() + path);
        assertThat(status)
            .as("gateway %s (503 until the first snapshot is applied)", path)
            .isIn(200, 503);
      }
    }
    TestCluster.installCrds(client);
    PortcullisOperator operator =
        PortcullisOperator.start(
            client, OperatorSettings.forTests(TestCluster.tokenFile("probe-test-token")));
    try {
      for (String path : operatorPaths) {
        assertThat(get(http, "http://127.0.0.1:" + operator.configPort() + path))
            .as("operator %s", path)
            .isEqualTo(200);
      }
    } finally {
      operator.close();
    }
  }

  @Test
  void theConcurrencyBoundIsDerivedFromTheHeapUnlessSet() throws IOException {
    assertThat(
            parseGateway(container(defaults().gateway()).getArgs())
                .hasMatchedOption("--max-concurrent-requests"))
        .isFalse();
    Rendered agents = render("gateway:\n  maxConcurrentRequests: 10000\n");
    assertThat(
            parseGateway(container(agents.gateway()).getArgs())
                .matchedOptionValue("--max-concurrent-requests", 0))
        .isEqualTo(10_000);
  }

  @Test
  void gatewaysGetLongerToStopThanTheirDrainTakes() throws IOException {
    Rendered r = defaults();
    Container c = container(r.gateway());
    Duration grace =
        parseGateway(c.getArgs()).matchedOptionValue("--shutdown-grace", Duration.ZERO);
    long preStop = c.getLifecycle().getPreStop().getSleep().getSeconds();

    assertThat(grace).isEqualTo(Duration.ofSeconds(30));
    assertThat(preStop).isPositive();
    assertThat(r.gateway().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isGreaterThan(preStop + grace.toSeconds());
  }

  @Test
  void theStopBudgetFollowsTheDrainFlagAndPreStopWhenTheyChange() throws IOException {
    Rendered r =
        render(
            """
            gateway:
              shutdownGraceSeconds: 120
              preStopSleepSeconds: 12
              terminationMarginSeconds: 7
            """);
    Container c = container(r.gateway());
    Duration grace =
        parseGateway(c.getArgs()).matchedOptionValue("--shutdown-grace", Duration.ZERO);

    assertThat(grace).as("--shutdown-grace").isEqualTo(Duration.ofSeconds(120));
    assertThat(c.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(12L);
    // SIGKILL comes only after the preStop sleep, the whole drain and the margin.
    assertThat(r.gateway().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isEqualTo(12L + 120 + 7);
  }

  @Test
  void withoutAPreStopSleepTheStopBudgetIsTheDrainAndTheMargin() throws IOException {
    Rendered r = render("gateway: {preStopSleepSeconds: 0}\n");
    Container c = container(r.gateway());

    assertThat(c.getLifecycle()).isNull();
    assertThat(r.gateway().getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .isEqualTo(30L + 15);
  }

  // ------------------------------------------------------------------------------------- RBAC

  @Test
  void rbacCoversEveryApiTheOperatorCallsForAllNamespaces() throws IOException {
    Rendered r = defaults();
    String account = r.operator().getSpec().getTemplate().getSpec().getServiceAccountName();

    ClusterRoleBinding binding = r.one(ClusterRoleBinding.class, OPERATOR);
    assertBindsTo(binding.getRoleRef(), "ClusterRole", OPERATOR);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(account);
              assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            });
    assertCovers(r.one(ClusterRole.class, OPERATOR).getRules(), WATCHED_NAMESPACE_API);
    assertReleaseNamespaceRole(r, account);
    assertThat(r.all(RoleBinding.class))
        .extracting(b -> b.getMetadata().getName())
        .containsExactly(OPERATOR + "-leader");
  }

  @Test
  void watchedNamespacesAreBoundOneByOneInsteadOfClusterWide() throws IOException {
    Rendered r = full();
    String account = r.operator().getSpec().getTemplate().getSpec().getServiceAccountName();

    assertThat(r.all(ClusterRoleBinding.class)).isEmpty();
    List<RoleBinding> watched =
        r.all(RoleBinding.class).stream()
            .filter(b -> b.getRoleRef().getKind().equals("ClusterRole"))
            .toList();
    assertThat(watched)
        .extracting(b -> b.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b");
    for (RoleBinding b : watched) {
      assertBindsTo(b.getRoleRef(), "ClusterRole", OPERATOR);
      assertThat(b.getSubjects())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getName()).isEqualTo(account);
                assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
              });
    }
    assertCovers(r.one(ClusterRole.class, OPERATOR).getRules(), WATCHED_NAMESPACE_API);
    assertReleaseNamespaceRole(r, account);
  }

  @Test
  void theClusterRoleNamesTheKindsOfTheChartsCrds() throws IOException {
    Set<String> plurals = new LinkedHashSet<>();
    try (Stream<Path> files = Files.list(CHART.resolve("crds"))) {
      for (Path f : files.sorted().toList()) {
        try (InputStream in = Files.newInputStream(f)) {
          CustomResourceDefinition crd =
              client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
          assertThat(crd.getSpec().getGroup()).isEqualTo("portcullis.dev");
          plurals.add(crd.getSpec().getNames().getPlural());
        }
      }
    }
    Set<String> inTheTest =
        new LinkedHashSet<>(
            WATCHED_NAMESPACE_API.stream()
                .filter(a -> a.group().equals("portcullis.dev") && !a.resource().contains("/"))
                .map(Api::resource)
                .toList());

    assertThat(plurals).containsExactlyInAnyOrderElementsOf(inTheTest);
  }

  // ------------------------------------------------------------------------------- fleet token

  @Test
  void bothProgramsReadTheSameFleetTokenSecret() throws IOException {
    for (Rendered r : List.of(defaults(), full())) {
      Container operator = container(r.operator());
      Container gateway = container(r.gateway());
      SecretFile operatorToken =
          secretFileOf(
              r.operator().getSpec().getTemplate().getSpec(),
              operator,
              parseOperator(operator.getArgs())
                  .matchedOptionValue("--fleet-token-file", Path.of("")));
      SecretFile gatewayToken =
          secretFileOf(
              r.gateway().getSpec().getTemplate().getSpec(),
              gateway,
              parseGateway(gateway.getArgs())
                  .matchedOptionValue("--fleet-token-file", Path.of("")));

      assertThat(gatewayToken).isEqualTo(operatorToken);
    }
    assertThat(tokenFileSecret(defaults())).isEqualTo(new SecretFile(TOKEN_SECRET, "token"));
    assertThat(tokenFileSecret(full())).isEqualTo(new SecretFile("platform-fleet-token", "fleet"));
  }

  @Test
  void theChartMakesARandomTokenOnlyWhenNoSecretIsNamed() throws IOException {
    String first = token(defaults().one(Secret.class, TOKEN_SECRET));
    String second = token(defaults().one(Secret.class, TOKEN_SECRET));

    assertThat(first).matches("[A-Za-z0-9]{48}");
    assertThat(second).matches("[A-Za-z0-9]{48}").isNotEqualTo(first);
    assertThat(full().all(Secret.class)).as("existingSecret set: none rendered").isEmpty();
  }

  @Test
  void anExistingTokenIsKeptOnUpgrade() throws IOException {
    String kept = "kept-token-" + "x".repeat(37);
    Secret existing =
        new SecretBuilder()
            .withNewMetadata()
            .withName(TOKEN_SECRET)
            .withNamespace(NAMESPACE)
            .endMetadata()
            .addToData("token", Base64.getEncoder().encodeToString(kept.getBytes()))
            .build();
    client.secrets().inNamespace(NAMESPACE).resource(existing).create();
    try {
      assertThat(token(defaults().one(Secret.class, TOKEN_SECRET))).isEqualTo(kept);
    } finally {
      client.secrets().inNamespace(NAMESPACE).withName(TOKEN_SECRET).delete();
    }
  }

  // -------------------------------------------------------------------------- secrets in plain

  @Test
  void noSecretValueIsRenderedInPlainText() throws IOException {
    for (Rendered r : List.of(defaults(), full())) {
      assertThat(r.all(Secret.class))
          .extracting(s -> s.getMetadata().getName())
          .isSubsetOf(TOKEN_SECRET);
      for (Deployment d : List.of(r.operator(), r.gateway())) {
        Container c = container(d);
        for (EnvVar e : c.getEnv()) {
          if (e.getValue() != null) {
            assertThat(e.getName())
                .as("%s env %s has a literal value", d.getMetadata().getName(), e.getName())
                .isEqualTo("JAVA_TOOL_OPTIONS");
          }
        }
        assertThat(c.getArgs())
            .noneMatch(a -> a.contains("redis") || a.toLowerCase().contains("password"));
      }
      for (Secret s : r.all(Secret.class)) {
        String value = token(s);
        String encoded = s.getData().get("token");
        assertThat(countOf(r.text(), value)).as("the token in plain text").isZero();
        assertThat(countOf(r.text(), encoded)).as("the token outside its Secret").isEqualTo(1);
        assertThat(s.getStringData()).isNullOrEmpty();
      }
    }
  }

  @Test
  void podsRunAsNonRootOnAReadOnlyRootFilesystem() throws IOException {
    for (Deployment d : List.of(defaults().operator(), defaults().gateway())) {
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      Container c = container(d);
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      VolumeMount tmp =
          c.getVolumeMounts().stream()
              .filter(m -> m.getMountPath().equals("/tmp"))
              .findFirst()
              .orElseThrow();
      assertThat(volume(pod, tmp.getName()).getEmptyDir()).isNotNull();
    }
  }

  // --------------------------------------------------------------------- production hardening

  @Test
  void onlyGatewayPodsReachTheOperatorsConfigPort() throws IOException {
    Rendered r = defaults();

    NetworkPolicy policy = r.one(NetworkPolicy.class, OPERATOR);
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(r.operator().getSpec().getSelector().getMatchLabels());
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress()).hasSize(2);
    var rule = policy.getSpec().getIngress().get(0);
    assertThat(rule.getFrom()).hasSize(1);
    assertThat(rule.getFrom().get(0).getPodSelector().getMatchLabels())
        .isEqualTo(r.gateway().getSpec().getSelector().getMatchLabels());
    assertThat(rule.getPorts()).hasSize(1);
    assertThat(containerPort(container(r.operator()), rule.getPorts().get(0).getPort()))
        .isEqualTo(8081);
  }

  @Test
  void theOperatorsMetricsPortTakesScrapesFromTheAdminPeers() throws IOException {
    NetworkPolicy open = defaults().one(NetworkPolicy.class, OPERATOR);
    var metrics = open.getSpec().getIngress().get(1);
    assertThat(metrics.getPorts()).hasSize(1);
    assertThat(containerPort(container(defaults().operator()), metrics.getPorts().get(0).getPort()))
        .isEqualTo(8082);
    assertThat(metrics.getFrom()).as("scrapes from anywhere by default").isEmpty();

    Rendered r =
        render(
            "networkPolicy: {adminFrom: [{namespaceSelector: {matchLabels: {monitoring: \"true\"}}}]}\n");
    NetworkPolicy policy = r.one(NetworkPolicy.class, OPERATOR);
    assertThat(policy.getSpec().getIngress())
        .extracting(i -> containerPort(container(r.operator()), i.getPorts().get(0).getPort()))
        .containsExactly(8081, 8082);
    assertThat(policy.getSpec().getIngress().get(1).getFrom())
        .singleElement()
        .satisfies(
            peer ->
                assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsEntry("monitoring", "true"));
    assertThat(policy.getSpec().getIngress().get(0).getFrom())
        .as("the config port stays gateways-only")
        .singleElement()
        .satisfies(peer -> assertThat(peer.getPodSelector()).isNotNull());
  }

  @Test
  void gatewaysAcceptOnlyTheirTrafficAndAdminPorts() throws IOException {
    Rendered r =
        render(
            "networkPolicy: {adminFrom: [{namespaceSelector: {matchLabels: {monitoring: \"true\"}}}]}\n");

    NetworkPolicy policy = r.one(NetworkPolicy.class, GATEWAY);
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(r.gateway().getSpec().getSelector().getMatchLabels());
    Container gateway = container(r.gateway());
    assertThat(policy.getSpec().getIngress())
        .extracting(i -> containerPort(gateway, i.getPorts().get(0).getPort()))
        .containsExactly(8080, 9090);
    assertThat(policy.getSpec().getIngress().get(0).getFrom())
        .as("traffic from anywhere")
        .isEmpty();
    assertThat(policy.getSpec().getIngress().get(1).getFrom())
        .singleElement()
        .satisfies(
            peer ->
                assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsEntry("monitoring", "true"));
    assertThat(render("networkPolicy: {enabled: false}\n").all(NetworkPolicy.class)).isEmpty();
  }

  @Test
  void theAutoscalerOwnsTheGatewayReplicasWhenEnabled() throws IOException {
    assertThat(defaults().all(HorizontalPodAutoscaler.class)).isEmpty();

    Rendered r =
        render("gateway: {autoscaling: {enabled: true, minReplicas: 3, maxReplicas: 12}}\n");

    HorizontalPodAutoscaler hpa = r.one(HorizontalPodAutoscaler.class, GATEWAY);
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(GATEWAY);
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(12);
    assertThat(hpa.getSpec().getMetrics().get(0).getResource().getName()).isEqualTo("cpu");
    assertThat(r.gateway().getSpec().getReplicas())
        .as("no replicas for helm upgrade to reset under the autoscaler")
        .isNull();
    assertThat(r.one(PodDisruptionBudget.class, GATEWAY)).isNotNull();
    assertThatThrownBy(
            () ->
                render("gateway: {autoscaling: {enabled: true, minReplicas: 5, maxReplicas: 2}}\n"))
        .hasMessageContaining("minReplicas must not exceed");
  }

  @Test
  void podsRunLockedDownAndSpreadOverNodesAndZones() throws IOException {
    Rendered r = defaults();

    for (Deployment d : List.of(r.operator(), r.gateway())) {
      PodSpec pod = d.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).isNotZero();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .isEqualTo("RuntimeDefault");
      Container c = container(d);
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
      assertThat(c.getResources().getLimits()).containsKey("memory");
      assertThat(env(c, "JAVA_TOOL_OPTIONS").getValue())
          .as("an out-of-memory JVM exits so Kubernetes restarts it")
          .contains("-XX:+ExitOnOutOfMemoryError");
      assertThat(pod.getTopologySpreadConstraints())
          .extracting(t -> t.getTopologyKey())
          .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
      assertThat(pod.getTopologySpreadConstraints())
          .allSatisfy(
              t -> {
                assertThat(t.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
                assertThat(t.getLabelSelector().getMatchLabels())
                    .isEqualTo(d.getSpec().getSelector().getMatchLabels());
              });
    }
  }

  // ------------------------------------------------------------------------------- monitoring

  static final String MONITORING =
      """
      monitoring:
        serviceMonitor: {enabled: true, labels: {release: kube-prometheus-stack}}
        prometheusRule: {enabled: true}
        grafanaDashboard: {enabled: true}
      """;

  @Test
  void monitoringObjectsAreOptional() throws IOException {
    Rendered r = defaults();

    assertThat(r.objects())
        .noneMatch(
            o -> o.getKind().equals("ServiceMonitor") || o.getKind().equals("PrometheusRule"));
    assertThat(r.all(ConfigMap.class)).isEmpty();
  }

  @Test
  void theServiceMonitorScrapesEveryGatewayPodsAdminPort() throws IOException {
    Rendered r = render(MONITORING);

    Service metrics = r.one(Service.class, GATEWAY + "-metrics");
    assertThat(metrics.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(metrics.getSpec().getSelector())
        .isEqualTo(r.gateway().getSpec().getSelector().getMatchLabels());
    assertThat(
            containerPort(
                container(r.gateway()), metrics.getSpec().getPorts().get(0).getTargetPort()))
        .isEqualTo(9090);
    GenericKubernetesResource monitor = generic(r, "ServiceMonitor", GATEWAY);
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    Map<String, String> selected =
        (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    assertThat(metrics.getMetadata().getLabels()).containsAllEntriesOf(selected);
    assertThat(spec.get("endpoints").toString()).contains("port=admin").contains("path=/metrics");
  }

  @Test
  void theAlertRulesPassPromtool() throws Exception {
    Rendered r = render(MONITORING);
    GenericKubernetesResource rule = generic(r, "PrometheusRule", RELEASE);
    Path file = Files.createTempFile("portcullis-rules", ".yaml");
    try {
      Files.writeString(
          file,
          client.getKubernetesSerialization().asYaml(rule.getAdditionalProperties().get("spec")));
      Process promtool =
          new ProcessBuilder("promtool", "check", "rules", file.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(promtool.waitFor()).as(out).isZero();
      assertThat(out).contains("SUCCESS: 7 rules found");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void theDashboardIsGrafanaJsonOverTheGatewaysMetrics() throws IOException {
    Rendered r = render(MONITORING);

    ConfigMap dashboard = r.one(ConfigMap.class, RELEASE + "-dashboard");
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    @SuppressWarnings("unchecked")
    Map<String, Object> json =
        client
            .getKubernetesSerialization()
            .unmarshal(dashboard.getData().get("portcullis.json"), Map.class);
    assertThat(json).containsEntry("uid", "portcullis-gateways");
    assertThat(dashboard.getData().get("portcullis.json"))
        .contains("portcullis_requests_total")
        .contains("gen_ai_server_time_to_first_token_seconds_bucket")
        .contains("portcullis_cost_usd_total")
        .contains("portcullis_cache_requests_total")
        .contains("portcullis_guardrail_verdicts_total");
  }

  static GenericKubernetesResource generic(Rendered r, String kind, String name) {
    return r.objects().stream()
        .filter(o -> o.getKind().equals(kind) && o.getMetadata().getName().equals(name))
        .map(GenericKubernetesResource.class::cast)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  // ---------------------------------------------------------------------------------- helpers

  static Container container(Deployment d) {
    List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  /** Parsed as the operator's own command line: an unknown or renamed flag fails here. */
  static ParseResult parseOperator(List<String> args) {
    return new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
  }

  static ParseResult parseGateway(List<String> args) {
    return new CommandLine(new dev.portcullis.gateway.Main())
        .parseArgs(args.toArray(String[]::new));
  }

  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)");

  /** The environment variables a picocli program reads as option defaults. */
  static Set<String> envVariables(Object command) {
    Set<String> names = new LinkedHashSet<>();
    CommandLine cli = new CommandLine(command).setInterpolateVariables(false);
    for (OptionSpec option : cli.getCommandSpec().options()) {
      String raw = option.defaultValue(); // not interpolated: ${env:NAME:-default}
      if (raw != null) {
        Matcher m = ENV_REFERENCE.matcher(raw);
        while (m.find()) {
          names.add(m.group(1));
        }
      }
    }
    assertThat(names).as("env variables of %s", command.getClass().getName()).isNotEmpty();
    return names;
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return all;
  }

  static List<String> envNames(Container c) {
    return c.getEnv().stream().map(EnvVar::getName).toList();
  }

  static EnvVar env(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name + " in " + c.getName()));
  }

  static String fieldRef(Container c, String name) {
    return env(c, name).getValueFrom().getFieldRef().getFieldPath();
  }

  static boolean operatorUsesTls(Rendered r) {
    return parseOperator(container(r.operator()).getArgs()).hasMatchedOption("--tls-cert");
  }

  static int containerPort(Container c, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return c.getPorts().stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no port named " + port.getStrVal()))
        .getContainerPort();
  }

  record SecretFile(String secret, String key) {}

  static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  static Volume volumeMountedAt(PodSpec pod, Container c, Object file) {
    Path path = Path.of(String.valueOf(file));
    VolumeMount mount =
        c.getVolumeMounts().stream()
            .filter(m -> path.getParent().equals(Path.of(m.getMountPath())))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing mounted at " + path.getParent()));
    return volume(pod, mount.getName());
  }

  /** Which Secret and key a file path in the container comes from. */
  static SecretFile secretFileOf(PodSpec pod, Container c, Object file) {
    Path path = Path.of(String.valueOf(file));
    Volume v = volumeMountedAt(pod, c, file);
    assertThat(v.getSecret()).as("volume %s is a Secret", v.getName()).isNotNull();
    String fileName = path.getFileName().toString();
    var item =
        v.getSecret().getItems().stream()
            .filter(i -> i.getPath().equals(fileName))
            .findFirst()
            .orElseThrow(() -> new AssertionError("volume " + v.getName() + " has no " + fileName));
    return new SecretFile(v.getSecret().getSecretName(), item.getKey());
  }

  static SecretFile tokenFileSecret(Rendered r) {
    Container c = container(r.gateway());
    return secretFileOf(
        r.gateway().getSpec().getTemplate().getSpec(),
        c,
        parseGateway(c.getArgs()).matchedOptionValue("--fleet-token-file", Path.of("")));
  }

  static String token(Secret s) {
    return new String(Base64.getDecoder().decode(s.getData().get("token")), StandardCharsets.UTF_8);
  }

  static int countOf(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  static void assertBindsTo(RoleRef ref, String kind, String name) {
    assertThat(ref.getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(ref.getKind()).isEqualTo(kind);
    assertThat(ref.getName()).isEqualTo(name);
  }

  static void assertReleaseNamespaceRole(Rendered r, String account) {
    Role role = r.one(Role.class, OPERATOR);
    assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertCovers(role.getRules(), RELEASE_NAMESPACE_API);
    RoleBinding binding = r.one(RoleBinding.class, OPERATOR + "-leader");
    assertThat(binding.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertBindsTo(binding.getRoleRef(), "Role", OPERATOR);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo(account));
  }

  static void assertCovers(List<PolicyRule> rules, List<Api> needed) {
    List<String> missing = new ArrayList<>();
    for (Api api : needed) {
      for (String verb : api.verbs()) {
        boolean granted =
            rules.stream()
                .anyMatch(
                    rule ->
                        rule.getApiGroups().contains(api.group())
                            && rule.getResources().contains(api.resource())
                            && (rule.getVerbs().contains(verb) || rule.getVerbs().contains("*"))
                            && (rule.getResourceNames() == null
                                || rule.getResourceNames().isEmpty()));
        if (!granted) {
          missing.add(api.group() + "/" + api.resource() + ":" + verb);
        }
      }
    }
    assertThat(missing).as("API calls the rules do not allow").isEmpty();
  }

  static int get(HttpClient http, String url) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
