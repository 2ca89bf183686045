package dev.portcullis.gateway.guardrail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.api.snapshot.GuardrailPolicyConfig;
import dev.portcullis.api.snapshot.Snapshot;
import dev.portcullis.gateway.provider.Operation;
import dev.portcullis.gateway.provider.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The {@code examples/guardrails} content policy over mixed text (prose with e-mail addresses,
 * phone numbers, card numbers, IPs, internal host names, numbers and code) of 1 KB and 16 KB: each
 * check type alone, the input side (a chat request's text), the output side (a whole answer), and a
 * streamed answer in 8-character deltas. Target: all checks together at most 50 µs per KB.
 *
 * <pre>
 * ./mvnw -B -Pjmh -pl gateway-runtime -am verify -DskipTests -Dspotless.check.skip=true \
 *     -Djmh.args="-f 1 -wi 2 -w 1s -i 3 -r 1s GuardrailBenchmark"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GuardrailBenchmark {
  @Param({"1024", "16384"})
  int bytes;

  private String text;
  private JsonNode chatRequest;
  private CompiledPolicies policies;
  private List<String> policy;
  private SpanCheck pii;
  private SpanCheck regex;
  private SpanCheck denyList;
  private WholeTextCheck length;
  private WholeTextCheck promptInjection;
  private WholeTextCheck jsonSchema;
  private long bodyBytes;
  private int promptTokens;
  private final CheckContext context =
      new CheckContext("input", "default/content-policy", "bench", GuardrailRequest.anonymous("b"));

  @Setup
  public void setUp() {
    Snapshot snapshot = GuardrailFixtures.examplesSnapshot();
    policies = CompiledPolicies.compile(snapshot, GuardrailFixtures.TOKENS);
    policy = List.of("default/content-policy");
    for (GuardrailPolicyConfig p : snapshot.policies()) {
      for (GuardrailPolicyConfig.Check c : p.checks()) {
        ContentCheck compiled =
            CheckTypeRegistry.compile(c.type(), c.settings().copy(), GuardrailFixtures.CONTEXT);
        switch (c.type()) {
          case "pii" -> pii = (SpanCheck) compiled;
          case "regex" -> regex = (SpanCheck) compiled;
          case "denyList" -> denyList = (SpanCheck) compiled;
          case "length" -> length = (WholeTextCheck) compiled;
          case "promptInjection" -> promptInjection = (WholeTextCheck) compiled;
          case "jsonSchema" -> jsonSchema = (WholeTextCheck) compiled;
          default -> {}
        }
      }
    }
    text = mixedText(bytes);
    ObjectNode body = GuardrailFixtures.JSON.createObjectNode().put("model", "assistant");
    body.putArray("messages").addObject().put("role", "user").put("content", text);
    chatRequest = body;
    bodyBytes = body.toString().length();
    promptTokens = GuardrailFixtures.TOKENS.count(text) + 3;
    // Warm the tokenizer so its 35 MB vocabulary load is not measured.
    GuardrailFixtures.TOKENS.count("warm up");
  }

  /** Prose with personal data, host names, numbers and code, in a fixed order. */
  static String mixedText(int size) {
    String[] pieces = {
      "Thanks for reaching out about the outage last Tuesday. ",
      "You can write to jane.doe@example.com or call +1 650-253-0000 any time. ",
      "Our invoice 2024-118 lists 3 items at 19.99 each, version 1.2.3 of the app. ",
      "The build on build-7.corp.example.com failed while db-2 was at 10.20.30.40. ",
      "Please pay with the card ending 1111 (full number 4111 1111 1111 1111). ",
      "Here is the snippet: for (int i = 0; i < n; i++) { sum += a[i]; } ",
      "Order #48213377 shipped on 12/03 and should arrive within 5 business days. ",
      "If you need anything else, let me know and I will follow up tomorrow. ",
    };
    StringBuilder b = new StringBuilder(size + 128);
    for (int i = 0; b.length() < size; i++) {
      b.append(pieces[i % pieces.length]);
    }
    b.setLength(size);
    return b.toString();
  }

  private static int spans(SpanCheck check, String text) {
    List<ContentCheck.Span> found = new ArrayList<>();
    check.findSpans(text, found);
    return found.size();
  }

  @Benchmark
  public int checkPii() {
    return spans(pii, text);
  }

  @Benchmark
  public int checkRegex() {
    return spans(regex, text);
  }

  @Benchmark
  public int checkDenyList() {
    return spans(denyList, text);
  }

  @Benchmark
  public boolean checkLength() {
    return length.fires(text, context);
  }

  @Benchmark
  public boolean checkPromptInjection() {
    return promptInjection.fires(text, context);
  }

  @Benchmark
  public boolean checkJsonSchema() {
    return jsonSchema.fires(text, context);
  }

  /**
   * All input checks of the policy on a chat request: extract, check, rewrite the redactions. The
   * length check's token count is made here when the body is longer than {@code maxTokens} bytes
   * (as in a gateway whose keys have no token limit, where only the guardrail asks for it).
   */
  @Benchmark
  public InputVerdict inputSide() {
    return policies
        .forRequest(policy, policy, GuardrailRequest.anonymous("b"))
        .checkInput(WireFormat.OPENAI, Operation.CHAT, chatRequest, tree -> counting(tree));
  }

  /**
   * The input side when admission counts the prompt anyway (a key with token limits or a budget):
   * the count is made once per request for both, so the guardrail adds nothing for it.
   */
  @Benchmark
  public InputVerdict inputSideCountShared() {
    return policies
        .forRequest(policy, policy, GuardrailRequest.anonymous("b"))
        .checkInput(WireFormat.OPENAI, Operation.CHAT, chatRequest, tree -> counted());
  }

  private TokenCount counting(JsonNode tree) {
    return new TokenCount() {
      @Override
      public long atMost() {
        return bodyBytes;
      }

      @Override
      public long atLeast() {
        return GuardrailFixtures.TOKENS.atLeast(text) + 3;
      }

      @Override
      public int count() {
        return GuardrailFixtures.TOKENS.count(text) + 3;
      }
    };
  }

  private TokenCount counted() {
    return new TokenCount() {
      @Override
      public long atMost() {
        return bodyBytes;
      }

      @Override
      public long atLeast() {
        return promptTokens;
      }

      @Override
      public int count() {
        return promptTokens;
      }
    };
  }

  /** All output checks of the policy on a whole answer. */
  @Benchmark
  public OutputVerdict outputSide() {
    return policies
        .forRequest(policy, policy, GuardrailRequest.anonymous("b"))
        .checkOutput(text, List.of());
  }

  /** Both sides, as a request with the policy on input and output pays. */
  @Benchmark
  public void bothSides(Blackhole hole) {
    RequestGuardrails g = policies.forRequest(policy, policy, GuardrailRequest.anonymous("b"));
    hole.consume(g.checkInput(WireFormat.OPENAI, Operation.CHAT, chatRequest, t -> counting(t)));
    hole.consume(g.checkOutput(text, List.of()));
  }

  /** The output checks on a streamed answer in 8-character deltas. */
  @Benchmark
  public int outputStream() {
    StreamedAnswer answer =
        policies.forRequest(policy, policy, GuardrailRequest.anonymous("b")).streamedAnswer();
    OutputStreamScanner scanner = answer.text();
    int released = 0;
    for (int i = 0; i < text.length(); i += 8) {
      released += scanner.accept(text.substring(i, Math.min(text.length(), i + 8))).release().length();
    }
    released += scanner.finish().release().length();
    return answer.finish() == null ? released : -released;
  }
}
