package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig.Action;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The guardrails of one request: the route's input and output policies, the request's placeholders
 * (one numbering for input and output) and the verdicts raised so far. Made by {@link
 * CompiledPolicies#forRequest}; lives as long as the request.
 */
public final class RequestGuardrails {
  private final List<PolicyCheck<SpanCheck>> inputSpans = new ArrayList<>();
  private final List<PolicyCheck<WholeTextCheck>> inputWhole = new ArrayList<>();
  private final List<PolicyCheck<SpanCheck>> outputSpans = new ArrayList<>();
  private final List<PolicyCheck<WholeTextCheck>> outputWhole = new ArrayList<>();
  private final GuardrailDenial unavailable;
  private final GuardrailRequest request;
  private final PlaceholderBook book = new PlaceholderBook();
  private final Set<String> verdicts = Collections.synchronizedSet(new LinkedHashSet<>());

  RequestGuardrails(
      List<PolicyCheck<ContentCheck>> input,
      List<PolicyCheck<ContentCheck>> output,
      GuardrailDenial unavailable,
      GuardrailRequest request) {
    sortByKind(input, inputSpans, inputWhole);
    sortByKind(output, outputSpans, outputWhole);
    this.unavailable = unavailable;
    this.request = request;
  }

  /** Each check to the list of its kind, so each kind is only asked what it can answer. */
  private static void sortByKind(
      List<PolicyCheck<ContentCheck>> checks,
      List<PolicyCheck<SpanCheck>> spans,
      List<PolicyCheck<WholeTextCheck>> whole) {
    for (PolicyCheck<ContentCheck> c : checks) {
      switch (c.check()) {
        case SpanCheck s -> spans.add(c.as(s));
        case WholeTextCheck w -> whole.add(c.as(w));
      }
    }
  }

  public boolean hasInputChecks() {
    return unavailable != null || !inputSpans.isEmpty() || !inputWhole.isEmpty();
  }

  public boolean hasOutputChecks() {
    return !outputSpans.isEmpty() || !outputWhole.isEmpty();
  }

  /**
   * Runs the input checks over every text part of {@code body} (the client's request in its own
   * format). The caller's tree is never changed: when something is redacted the verdict carries a
   * rewritten copy.
   */
  public InputVerdict checkInput(WireFormat format, Operation operation, JsonNode body) {
    return checkInput(format, operation, body, null);
  }

  /**
   * As {@link #checkInput(WireFormat, Operation, JsonNode)}, with the prompt's token count for
   * {@code length.maxTokens} given by the caller: {@code promptTokens} is asked for the count of
   * the body that goes on (the redacted copy when something was redacted), so the gateway counts it
   * once for the guardrails and its limits together. Null: the length check counts the joined text
   * parts itself.
   */
  public InputVerdict checkInput(
      WireFormat format,
      Operation operation,
      JsonNode body,
      Function<JsonNode, TokenCount> promptTokens) {
    if (unavailable != null) {
      verdicts.add(unavailable.verdict());
      return new InputVerdict(body, false, unavailable, verdicts());
    }
    List<ClientTextParts.Part> parts = ClientTextParts.of(format, operation, body);
    List<String> texts = new ArrayList<>(parts.size());
    boolean changed = false;
    for (ClientTextParts.Part part : parts) {
      String text = part.text();
      if (!inputSpans.isEmpty()) {
        SpanPass.Outcome o = SpanPass.run(text, 0, text.length(), inputSpans, book, verdicts);
        if (o.denial() != null) {
          return new InputVerdict(body, false, o.denial(), verdicts());
        }
        changed |= !o.released().equals(text);
        text = o.released();
      }
      texts.add(text);
    }
    JsonNode goesOn = body;
    if (changed) {
      goesOn = body.deepCopy();
      List<ClientTextParts.Part> copies = ClientTextParts.of(format, operation, goesOn);
      for (int i = 0; i < copies.size(); i++) {
        if (!texts.get(i).equals(copies.get(i).text())) {
          copies.get(i).replace(texts.get(i));
        }
      }
    }
    if (!inputWhole.isEmpty()) {
      TokenCount tokens = promptTokens == null ? null : promptTokens.apply(goesOn);
      String all = texts.size() == 1 ? texts.get(0) : String.join("\n", texts);
      GuardrailDenial denial = judgeWhole(inputWhole, all, "input", tokens);
      if (denial != null) {
        return new InputVerdict(body, false, denial, verdicts());
      }
    }
    return new InputVerdict(goesOn, changed, null, verdicts());
  }

  /**
   * Runs the output checks over a whole answer: the assistant text and each tool call's arguments.
   * Span checks run over each of them; {@code jsonSchema} judges the assistant text, the other
   * whole-text checks the text and the arguments together.
   */
  public OutputVerdict checkOutput(String text, List<String> toolArguments) {
    String answer = text == null ? "" : text;
    List<String> args = new ArrayList<>();
    if (!outputSpans.isEmpty()) {
      SpanPass.Outcome o = SpanPass.run(answer, 0, answer.length(), outputSpans, book, verdicts);
      if (o.denial() != null) {
        return new OutputVerdict(null, List.of(), o.denial(), verdicts());
      }
      answer = o.released();
    }
    for (String a : toolArguments) {
      String arg = a == null ? "" : a;
      if (!outputSpans.isEmpty()) {
        SpanPass.Outcome o = SpanPass.run(arg, 0, arg.length(), outputSpans, book, verdicts);
        if (o.denial() != null) {
          return new OutputVerdict(null, List.of(), o.denial(), verdicts());
        }
        arg = o.released();
      }
      args.add(arg);
    }
    if (!outputWhole.isEmpty()) {
      List<String> all = new ArrayList<>();
      all.add(answer);
      all.addAll(args);
      String joined = String.join("\n", all);
      for (PolicyCheck<WholeTextCheck> c : outputWhole) {
        String judged = c.check() instanceof CompiledJsonSchemaCheck ? answer : joined;
        GuardrailDenial denial = judgeWhole(List.of(c), judged, "output", null);
        if (denial != null) {
          return new OutputVerdict(null, List.of(), denial, verdicts());
        }
      }
    }
    return new OutputVerdict(answer, args, null, verdicts());
  }

  /**
   * A scanner for the streamed assistant text of one answer (one per choice or text block): span
   * checks as the text flows, whole-text checks at its end. All scanners of a request share its
   * placeholders.
   */
  public OutputStreamScanner outputScanner() {
    return new OutputStreamScanner(outputSpans, outputWhole, this, book, verdicts);
  }

  /**
   * A scanner for one streamed tool call's arguments (OpenAI {@code function.arguments} deltas,
   * Anthropic {@code input_json_delta}, Responses {@code function_call_arguments.delta}): the span
   * checks only, as the arguments flow. Whole-text checks judge the assistant text on a stream
   * (whole answers judge the arguments with it).
   */
  public OutputStreamScanner argumentsScanner() {
    return new OutputStreamScanner(outputSpans, List.of(), this, book, verdicts);
  }

  /** The input checks, span checks first (for tests in this package). */
  List<PolicyCheck<? extends ContentCheck>> inputChecks() {
    List<PolicyCheck<? extends ContentCheck>> all = new ArrayList<>(inputSpans);
    all.addAll(inputWhole);
    return all;
  }

  /** Every verdict raised so far, in order, without repeats. */
  public List<String> verdicts() {
    synchronized (verdicts) {
      return List.copyOf(verdicts);
    }
  }

  /** The value of {@code x-portcullis-guardrails}, or null when there is nothing to report. */
  public String verdictHeader() {
    List<String> v = verdicts();
    return v.isEmpty() ? null : String.join(",", v);
  }

  /**
   * Runs whole-text checks in order; the first that fires with Deny (or with Redact, which cannot
   * mask part of a judgement about the whole text and so fails closed) is the denial.
   */
  GuardrailDenial judgeWhole(
      List<PolicyCheck<WholeTextCheck>> checks, String text, String stage, TokenCount tokens) {
    for (PolicyCheck<WholeTextCheck> c : checks) {
      CheckContext context = new CheckContext(stage, c.policy(), c.name(), request, tokens);
      if (c.check().fires(text, context)) {
        if (c.action() == Action.FLAG) {
          verdicts.add(c.verdict());
        } else {
          GuardrailDenial denial = c.denial();
          verdicts.add(denial.verdict());
          return denial;
        }
      }
    }
    return null;
  }
}
