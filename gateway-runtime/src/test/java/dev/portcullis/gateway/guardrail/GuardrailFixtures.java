package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.api.manifest.ManifestReader;
import dev.portcullis.api.resolve.SnapshotResolver;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig.Action;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig.Check;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig.Stage;
import dev.portcullis.api.snapshot.JsonTree;
import dev.portcullis.api.snapshot.ResourceId;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.endpoint.LocalTokenCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Policies and compiled checks for the guardrail tests, written as compactly as in YAML. */
final class GuardrailFixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The tokenizer the gateway passes in (o200k, as {@code pipeline.InputGuardrailStage}). */
  static final TokenCounter TOKENS =
      TokenCounter.of(new LocalTokenCounter()::count, LocalTokenCounter.LOWER_BOUND::count);

  static final CheckTypeRegistry.CompileContext CONTEXT =
      new CheckTypeRegistry.CompileContext(TOKENS);

  private GuardrailFixtures() {}

  static JsonNode json(String json) {
    try {
      return JSON.readTree(json.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** One compiled check of {@code type} with settings written in JSON (single quotes allowed). */
  @SuppressWarnings("unchecked")
  static <C extends ContentCheck> C compile(String type, String settings) {
    return (C) CheckTypeRegistry.compile(type, json(settings), CONTEXT);
  }

  /** A check entry: stages "Input", "Output" or "Input,Output". */
  static Check check(String name, String stages, Action action, String type, String settings) {
    Set<Stage> set = EnumSet.noneOf(Stage.class);
    for (String s : stages.split(",")) {
      set.add(Stage.valueOf(s.trim().toUpperCase()));
    }
    return new Check(name, set, action, type, JsonTree.of(json(settings)));
  }

  /** A policy {@code namespace/name} with its checks. */
  static GuardrailPolicyConfig policy(String qualifiedName, String message, Check... checks) {
    String[] ns = qualifiedName.split("/");
    return new GuardrailPolicyConfig(new ResourceId(ns[0], ns[1], 1), List.of(checks), message);
  }

  static CompiledPolicies compiled(GuardrailPolicyConfig... policies) {
    return CompiledPolicies.compile(
        "sha256:test", List.of(policies), TOKENS, CompiledPolicies.EMPTY);
  }

  static RequestGuardrails request(CompiledPolicies policies, String input, String output) {
    return policies.forRequest(
        input == null ? List.of() : List.of(input),
        output == null ? List.of() : List.of(output),
        GuardrailRequest.anonymous("req-1"));
  }

  /** Matches of a span check as {@code LABEL:text}, in order of position. */
  static List<String> matches(SpanCheck check, String text) {
    List<ContentCheck.Span> spans = new ArrayList<>();
    check.findSpans(text, spans);
    spans.sort(java.util.Comparator.comparingInt(ContentCheck.Span::start));
    List<String> out = new ArrayList<>();
    for (ContentCheck.Span s : spans) {
      out.add(s.label() + ":" + text.substring(s.start(), s.end()));
    }
    return out;
  }

  /** The snapshot the resolver makes of examples/guardrails, as a gateway would receive it. */
  static Snapshot examplesSnapshot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("examples/guardrails"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("examples/guardrails not found above the working directory");
    }
    return SnapshotResolver.resolve(
            ManifestReader.readDirectory(dir.resolve("examples/guardrails")).toResourceSet())
        .snapshot();
  }
}
