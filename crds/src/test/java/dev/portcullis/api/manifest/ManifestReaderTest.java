package dev.portcullis.api.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.Problem;
import dev.portcullis.api.ResourceRef;
import dev.portcullis.api.resolve.Resolution;
import dev.portcullis.api.resolve.ResourceSet;
import dev.portcullis.api.resolve.SnapshotResolver;
import dev.portcullis.api.snapshot.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
  static final Function<String, String> NO_ENV = name -> null;

  static final String ROUTE =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: LLMRoute
      metadata: {name: chat}
      spec:
        model: chat
        targets:
          - name: openai
            provider: openai
            credentials: {secretRef: {name: provider-keys, key: openai}}
      """;

  static final String KEY =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: VirtualKey
      metadata: {name: app, namespace: team-a}
      spec: {secretName: app-key}
      """;

  static final String POLICY =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: GuardrailPolicy
      metadata: {name: pii}
      spec:
        checks:
          - {name: no-pii, stages: [Input], action: Redact, pii: {}}
      """;

  static final String TEMPLATE =
      """
      apiVersion: portcullis.dev/v1alpha1
      kind: PromptTemplate
      metadata: {name: greeting}
      spec:
        variables: [{name: who, required: true}]
        versions:
          - name: v1
            messages: [{role: user, content: "Hello {{who}}"}]
      """;

  static final String PROVIDER_KEYS =
      """
      apiVersion: v1
      kind: Secret
      metadata: {name: provider-keys}
      stringData:
        openai: ${env:OPENAI_API_KEY}
      """;

  @TempDir Path dir;

  Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  ManifestSet read(Function<String, String> env) {
    return ManifestReader.readDirectory(dir, env);
  }

  static String decoded(ManifestEntry<io.fabric8.kubernetes.api.model.Secret> secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.resource().getData().get(key)), StandardCharsets.UTF_8);
  }

  @Nested
  class Documents {
    @Test
    void readsEveryKindFromOneMultiDocumentFile() throws IOException {
      write("all.yaml", String.join("---\n", ROUTE, KEY, POLICY, TEMPLATE, PROVIDER_KEYS));

      ManifestSet manifests = read(NO_ENV);

      assertThat(manifests.problems()).isEmpty();
      assertThat(manifests.routes()).extracting(e -> e.ref().name()).containsExactly("chat");
      assertThat(manifests.keys()).extracting(e -> e.ref().name()).containsExactly("app");
      assertThat(manifests.policies()).extracting(e -> e.ref().name()).containsExactly("pii");
      assertThat(manifests.templates()).extracting(e -> e.ref().name()).containsExactly("greeting");
      assertThat(manifests.secrets())
          .extracting(e -> e.ref().name())
          .containsExactly("provider-keys");
    }

    @Test
    void recordsTheFileAndDocumentOfEachResource() throws IOException {
      write("all.yaml", "# routes\n" + ROUTE + "---\n" + KEY);

      ManifestSet manifests = read(NO_ENV);

      assertThat(manifests.keys().get(0).location())
          .isEqualTo(new ManifestLocation(dir.resolve("all.yaml"), 2, 12));
      assertThat(manifests.routes().get(0).location().document()).isEqualTo(1);
    }

    @Test
    void readsTheItemsOfAList() throws IOException {
      write(
          "list.yaml",
          """
          apiVersion: v1
          kind: List
          items:
            - apiVersion: portcullis.dev/v1alpha1
              kind: LLMRoute
              metadata: {name: a}
              spec: {model: a, targets: [{name: echo, provider: echo}]}
            - apiVersion: portcullis.dev/v1alpha1
              kind: LLMRoute
              metadata: {name: b}
              spec: {model: b, targets: [{name: echo, provider: echo}]}
          """);

      assertThat(read(NO_ENV).routes()).extracting(e -> e.ref().name()).containsExactly("a", "b");
    }

    @Test
    void defaultsTheNamespaceToDefaultAndKeepsAGivenOne() throws IOException {
      write("all.yaml", ROUTE + "---\n" + KEY);

      ManifestSet manifests = read(NO_ENV);

      assertThat(manifests.routes().get(0).ref())
          .isEqualTo(new ResourceRef("LLMRoute", "default", "chat"));
      assertThat(manifests.routes().get(0).resource().getMetadata().getNamespace())
          .isEqualTo("default");
      assertThat(manifests.keys().get(0).ref().namespace()).isEqualTo("team-a");
    }

    @Test
    void readsSubfoldersInSortedOrderAndSkipsHiddenFilesReadmesAndOtherFiles() throws IOException {
      write("b.yml", ROUTE.replace("name: chat", "name: second"));
      write("a/routes.yaml", ROUTE.replace("name: chat", "name: first"));
      write(".hidden.yaml", ROUTE.replace("name: chat", "name: hidden"));
      write(".git/x.yaml", ROUTE.replace("name: chat", "name: in-git"));
      write("README.yaml", ROUTE.replace("name: chat", "name: readme"));
      write("notes.txt", "not yaml at all: [");

      assertThat(read(NO_ENV).routes())
          .extracting(e -> e.ref().name())
          .containsExactly("first", "second");
    }

    @Test
    void skipsEmptyDocumentsAndNamespaces() throws IOException {
      write(
          "all.yaml",
          "---\n"
              + ROUTE
              + "---\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: team-a}\n---\n");

      ManifestSet manifests = read(NO_ENV);

      assertThat(manifests.problems()).isEmpty();
      assertThat(manifests.routes()).hasSize(1);
    }

    @Test
    void reportsAnUnknownKindAndReadsTheRest() throws IOException {
      write(
          "mixed.yaml",
          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n---\n" + ROUTE);

      ManifestSet manifests = read(NO_ENV);

      assertThat(manifests.routes()).hasSize(1);
      assertThat(manifests.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.location())
                    .isEqualTo(new ManifestLocation(dir.resolve("mixed.yaml"), 1, 1));
                assertThat(p.problem().field()).isEqualTo("kind");
                assertThat(p.problem().message()).contains("'ConfigMap'").contains("LLMRoute");
              });
    }

    @Test
    void reportsInvalidYamlWithTheLineAndKeepsOtherFiles() throws IOException {
      write("bad.yaml", "apiVersion: v1\nkind: Secret\nstringData:\n  apiKey: [sk-live-123\n");
      write("good.yaml", ROUTE);

      ManifestSet manifests = read(NO_ENV);

      assertThat(manifests.routes()).hasSize(1);
      assertThat(manifests.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.location().file()).isEqualTo(dir.resolve("bad.yaml"));
                assertThat(p.location().line()).isPositive();
                assertThat(p.describe()).startsWith(dir.resolve("bad.yaml") + ":");
                assertThat(p.describe()).contains("not valid YAML");
              });
    }

    @Test
    void neverQuotesTheOffendingLineOfInvalidYaml() throws IOException {
      write("bad.yaml", "apiVersion: v1\nkind: Secret\nstringData:\n  apiKey: sk-live-123: x\n");

      ManifestSet manifests = read(NO_ENV);

      assertThat(manifests.problems()).hasSize(1);
      assertThat(manifests.problems().toString()).doesNotContain("sk-live-123");
    }

    @Test
    void reportsDuplicateKeysInAMapping() throws IOException {
      write("dup.yaml", ROUTE + "metadata: {name: again}\n");

      assertThat(read(NO_ENV).problems())
          .singleElement()
          .satisfies(p -> assertThat(p.problem().message()).contains("metadata"));
    }

    @Test
    void leavesOutAResourceTheSchemaRejectsAndSaysWhere() throws IOException {
      write("routes.yaml", ROUTE.replace("model: chat", "model: chat\n  timeout: 30x"));

      ManifestSet manifests = read(NO_ENV);

      assertThat(manifests.routes()).isEmpty();
      assertThat(manifests.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.resource()).isEqualTo(new ResourceRef("LLMRoute", "default", "chat"));
                assertThat(p.describe())
                    .startsWith(
                        dir.resolve("routes.yaml") + " (LLMRoute default/chat) spec.timeout: ");
              });
    }

    @Test
    void reportsASecondDefinitionOfTheSameResource() throws IOException {
      write("a.yaml", ROUTE);
      write("b.yaml", ROUTE.replace("model: chat", "model: other"));

      ManifestSet manifests = read(NO_ENV);

      assertThat(manifests.routes())
          .singleElement()
          .satisfies(e -> assertThat(e.resource().getSpec().getModel()).isEqualTo("chat"));
      assertThat(manifests.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.location().file()).isEqualTo(dir.resolve("b.yaml"));
                assertThat(p.problem().message())
                    .contains("already defined in " + dir.resolve("a.yaml"));
              });
    }

    @Test
    void hasAllResourcesInTheResourceSet() throws IOException {
      write("all.yaml", String.join("---\n", ROUTE, KEY, POLICY, TEMPLATE, PROVIDER_KEYS));

      ResourceSet set = read(name -> "sk-test").toResourceSet();

      assertThat(set.routes()).hasSize(1);
      assertThat(set.keys()).hasSize(1);
      assertThat(set.policies()).hasSize(1);
      assertThat(set.templates()).hasSize(1);
      assertThat(set.secrets()).hasSize(1);
    }
  }

  @Nested
  class Secrets {
    @Test
    void foldsStringDataIntoBase64DataAsTheApiServerDoes() throws IOException {
      write(
          "secret.yaml",
          """
          apiVersion: v1
          kind: Secret
          metadata: {name: s}
          data:
            kept: a2VwdA==
            both: b2xk
          stringData:
            plain: hello
            both: new
          """);

      var secret = read(NO_ENV).secrets().get(0);

      assertThat(secret.resource().getStringData()).isNullOrEmpty();
      assertThat(secret.resource().getData()).containsOnlyKeys("kept", "both", "plain");
      assertThat(decoded(secret, "kept")).isEqualTo("kept");
      assertThat(decoded(secret, "plain")).isEqualTo("hello");
      assertThat(decoded(secret, "both")).isEqualTo("new");
    }

    @Test
    void expandsEnvironmentPlaceholdersInStringData() throws IOException {
      write(
          "secret.yaml",
          PROVIDER_KEYS + "  header: Bearer ${env:OPENAI_API_KEY} for ${env:TEAM}\n");

      var secret = read(Map.of("OPENAI_API_KEY", "sk-test-1", "TEAM", "a")::get).secrets().get(0);

      assertThat(decoded(secret, "openai")).isEqualTo("sk-test-1");
      assertThat(decoded(secret, "header")).isEqualTo("Bearer sk-test-1 for a");
    }

    @Test
    void leavesOutAKeyWhoseVariableIsUnsetAndNotesIt() throws IOException {
      write("secret.yaml", PROVIDER_KEYS + "  other: fixed\n");

      ManifestSet manifests = read(NO_ENV);

      assertThat(manifests.problems()).isEmpty();
      assertThat(manifests.secrets().get(0).resource().getData()).containsOnlyKeys("other");
      assertThat(manifests.missingEnvironmentVariables())
          .containsExactly(
              new MissingEnvironmentVariable(
                  new ResourceRef("Secret", "default", "provider-keys"),
                  "openai",
                  "OPENAI_API_KEY"));
    }

    @Test
    void treatsAnEmptyVariableAsUnset() throws IOException {
      write("secret.yaml", PROVIDER_KEYS);

      ManifestSet manifests = read(Map.of("OPENAI_API_KEY", "")::get);

      assertThat(manifests.secrets().get(0).resource().getData()).doesNotContainKey("openai");
      assertThat(manifests.missingEnvironmentVariables()).hasSize(1);
    }

    @Test
    void reportsAValueThatIsNotAString() throws IOException {
      write(
          "secret.yaml",
          "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  port: 8080\n");

      ManifestSet manifests = read(NO_ENV);

      assertThat(manifests.secrets()).isEmpty();
      assertThat(manifests.problems())
          .extracting(p -> p.problem().field())
          .containsExactly("stringData.port");
    }

    @Test
    void reportsAnUnknownFieldOfASecret() throws IOException {
      write("secret.yaml", PROVIDER_KEYS + "strngData: {a: b}\n");

      assertThat(read(NO_ENV).problems())
          .extracting(p -> p.problem().field())
          .containsExactly("strngData");
    }

    @Test
    void neverShowsSecretValuesInToStringOrProblems() throws IOException {
      write(
          "secret.yaml",
          PROVIDER_KEYS
              + "strngData: {a: b}\n---\n"
              + PROVIDER_KEYS.replace("provider-keys", "more-keys"));

      ManifestSet manifests = read(name -> "sk-very-secret");

      assertThat(manifests.toString()).doesNotContain("sk-very-secret");
      assertThat(manifests.secrets().toString())
          .doesNotContain("sk-very-secret")
          .doesNotContain(Base64.getEncoder().encodeToString("sk-very-secret".getBytes()));
      assertThat(manifests.describeProblems(null).toString()).doesNotContain("sk-very-secret");
    }
  }

  @Nested
  class DescribeProblems {
    static Resolution resolution(ResourceRef ref, Problem... problems) {
      return new Resolution(EMPTY, Map.of(ref, List.of(problems)));
    }

    static final Snapshot EMPTY = SnapshotResolver.resolve(ResourceSet.empty()).snapshot();

    static final ResourceRef CHAT = new ResourceRef("LLMRoute", "default", "chat");

    @Test
    void namesTheFileTheResourceTheFieldAndTheMessage() throws IOException {
      write("routes.yaml", ROUTE);
      ManifestSet manifests = read(name -> "sk-test");

      List<String> lines =
          manifests.describeProblems(
              resolution(CHAT, new Problem("spec.guardrails.input[0]", "no GuardrailPolicy pii")));

      assertThat(lines)
          .containsExactly(
              dir.resolve("routes.yaml")
                  + " (LLMRoute default/chat) spec.guardrails.input[0]: no GuardrailPolicy pii");
    }

    @Test
    void listsFileProblemsFirst() throws IOException {
      write("bad.yaml", "kind: [");
      write("routes.yaml", ROUTE);
      ManifestSet manifests = read(name -> "sk-test");

      List<String> lines = manifests.describeProblems(resolution(CHAT, new Problem("", "broken")));

      assertThat(lines).hasSize(2);
      assertThat(lines.get(0)).startsWith(dir.resolve("bad.yaml") + ":");
      assertThat(lines.get(1))
          .isEqualTo(dir.resolve("routes.yaml") + " (LLMRoute default/chat): broken");
    }

    @Test
    void explainsAMissingSecretKeyByTheUnsetVariableAtTheReferringField() throws IOException {
      write("routes.yaml", ROUTE + "---\n" + PROVIDER_KEYS);
      ManifestSet manifests = read(NO_ENV);

      List<String> lines =
          manifests.describeProblems(
              resolution(
                  CHAT, new Problem("spec.targets[0].credentials.secretRef", "key not found")));

      assertThat(lines)
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .endsWith("key not found (environment variable OPENAI_API_KEY is not set)"));
    }

    @Test
    void explainsAMissingSecretKeyNamedInTheMessage() throws IOException {
      write("routes.yaml", ROUTE + "---\n" + PROVIDER_KEYS);
      ManifestSet manifests = read(NO_ENV);

      List<String> lines =
          manifests.describeProblems(
              resolution(CHAT, new Problem("spec", "Secret provider-keys has no key openai")));

      assertThat(lines.get(0)).contains("environment variable OPENAI_API_KEY is not set");
    }

    @Test
    void doesNotBlameAnUnrelatedVariable() throws IOException {
      write("routes.yaml", ROUTE + "---\n" + PROVIDER_KEYS);
      ManifestSet manifests = read(NO_ENV);

      List<String> lines =
          manifests.describeProblems(
              resolution(CHAT, new Problem("spec.guardrails.input[0]", "no GuardrailPolicy pii")));

      assertThat(lines.get(0)).doesNotContain("OPENAI_API_KEY");
    }

    @Test
    void describesAProblemOfAResourceNotReadFromAFile() {
      ManifestSet manifests = read(NO_ENV);

      List<String> lines =
          manifests.describeProblems(resolution(CHAT, new Problem("spec.model", "taken")));

      assertThat(lines).containsExactly("(no file) (LLMRoute default/chat) spec.model: taken");
    }
  }
}
