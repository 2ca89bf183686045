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
   * Span checks run over each of them; the whole-text checks judge the answer as {@link
   * #judgeAnswer} says.
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
    GuardrailDenial denial = judgeAnswer(answer, args);
    if (denial != null) {
      return new OutputVerdict(null, List.of(), denial, verdicts());
    }
    return new OutputVerdict(answer, args, null, verdicts());
  }

  /**
   * The output's whole-text checks over one answer's released (redacted) text and tool-call
   * arguments, whole or streamed alike. {@code jsonSchema} judges the assistant text, and is not
   * run on an answer that is only tool calls (no text): the schema describes the answer, a tool
   * call's arguments follow the tool's own parameters. The other whole-text checks judge the text
   * and each call's arguments joined by newlines (without the empty text of an answer that is only
   * tool calls), so a webhook, a length limit or the injection score sees what a tool would
   * receive.
   */
  GuardrailDenial judgeAnswer(String text, List<String> toolArguments) {
    if (outputWhole.isEmpty()) {
      return null;
    }
    boolean onlyCalls = text.isEmpty() && !toolArguments.isEmpty();
    List<String> parts = new ArrayList<>(toolArguments.size() + 1);
    if (!onlyCalls) {
      parts.add(text);
    }
    parts.addAll(toolArguments);
    String joined = parts.size() == 1 ? parts.get(0) : String.join("\n", parts);
    for (PolicyCheck<WholeTextCheck> c : outputWhole) {
      boolean schema = c.check() instanceof CompiledJsonSchemaCheck;
      if (schema && onlyCalls) {
        continue;
      }
      GuardrailDenial denial = judgeWhole(List.of(c), schema ? text : joined, "output", null);
      if (denial != null) {
        return denial;
      }
    }
    return null;
  }

  /**
   * A streamed answer (one per OpenAI choice, Anthropic message or Responses response): scanners
   * for its text and each tool call's arguments that run the span checks as they flow, and the
   * whole-text checks over all of it at its end. All scanners of a request share its placeholders.
   */
  public StreamedAnswer streamedAnswer() {
    return new StreamedAnswer(this, !outputWhole.isEmpty());
  }

  /** A scanner with the output span checks, appending what it releases to {@code released}. */
  OutputStreamScanner spanScanner(StringBuilder released) {
    return new OutputStreamScanner(outputSpans, book, verdicts, released);
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
  private GuardrailDenial judgeWhole(
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
