package dev.portcullis.gateway.guardrail;

import static dev.portcullis.gateway.guardrail.GuardrailFixtures.check;
import static dev.portcullis.gateway.guardrail.GuardrailFixtures.compiled;
import static dev.portcullis.gateway.guardrail.GuardrailFixtures.policy;
import static dev.portcullis.gateway.guardrail.GuardrailFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.api.snapshot.GuardrailPolicyConfig.Action;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Output checks on a stream: hold back only what a match could span, never release a violation. */
class OutputStreamScannerTest {
  private static final CompiledPolicies POLICIES =
      compiled(
          policy(
              "team-a/out",
              "No.",
              check("mask", "Output", Action.REDACT, "pii", "{}"),
              check(
                  "no-competitors",
                  "Output",
                  Action.DENY,
                  "denyList",
                  "{'words':['globex','acme']}")),
          policy(
              "team-a/json",
              null,
              check("object", "Output", Action.DENY, "jsonSchema", "{'schema':{'type':'object'}}")),
          policy(
              "team-a/hosts",
              null,
              check(
                  "hosts",
                  "Output",
                  Action.REDACT,
                  "regex",
                  "{'pattern':'\\\\b[a-z0-9-]+\\\\.corp\\\\.example\\\\.com\\\\b'}")));

  /** What a client would receive from feeding {@code chunks}, and the denial if any. */
  private record Streamed(String delivered, GuardrailDenial denial, int maxHeld) {}

  private static Streamed stream(String policy, List<String> chunks) {
    return stream(request(POLICIES, null, policy), chunks);
  }

  private static Streamed stream(RequestGuardrails guardrails, List<String> chunks) {
    StreamedAnswer answer = guardrails.streamedAnswer();
    OutputStreamScanner scanner = answer.text();
    StringBuilder out = new StringBuilder();
    int maxHeld = 0;
    for (String chunk : chunks) {
      ScanStep step = scanner.accept(chunk);
      out.append(step.release());
      maxHeld = Math.max(maxHeld, scanner.heldCharacters());
      if (step.denied()) {
        return new Streamed(out.toString(), step.denial(), maxHeld);
      }
    }
    ScanStep last = scanner.finish();
    if (last.denied()) {
      return new Streamed(out.append(last.release()).toString(), last.denial(), maxHeld);
    }
    GuardrailDenial whole = answer.finish(); // a failing end withholds the held rest
    return new Streamed(out.append(whole == null ? last.release() : "").toString(), whole, maxHeld);
  }

  /** A text of 1 to {@code most} random pieces, cut into chunks of 1 to 6 characters. */
  private static List<String> randomChunks(Random random, String[] pieces, int most) {
    StringBuilder b = new StringBuilder();
    int count = 1 + random.nextInt(most);
    for (int i = 0; i < count; i++) {
      b.append(pieces[random.nextInt(pieces.length)]);
    }
    String text = b.toString();
    List<String> chunks = new ArrayList<>();
    for (int at = 0; at < text.length(); ) {
      int next = Math.min(text.length(), at + 1 + random.nextInt(6));
      chunks.add(text.substring(at, next));
      at = next;
    }
    return chunks;
  }

  private static List<String> characters(String text) {
    List<String> out = new ArrayList<>();
    for (char c : text.toCharArray()) {
      out.add(String.valueOf(c));
    }
    return out;
  }

  @Test
  void aDeniedWordSplitAtEveryPointAcrossTwoChunksNeverReachesTheClient() {
    String text = "We compare well with Globex in every way.";
    int at = text.indexOf("Globex");
    for (int split = at + 1; split < at + "Globex".length(); split++) {
      Streamed s = stream("team-a/out", List.of(text.substring(0, split), text.substring(split)));
      assertThat(s.denial()).as("split at %d", split).isNotNull();
      assertThat(s.delivered()).as("split at %d", split).isEqualTo("We compare well with ");
    }
  }

  @Test
  void aDeniedWordArrivingOneCharacterAtATimeIsCaughtAndTheTextBeforeItDelivered() {
    Streamed s = stream("team-a/out", characters("Fine answer. Ask acme for more."));
    assertThat(s.denial().verdict()).isEqualTo("denied:team-a/out/no-competitors");
    assertThat(s.delivered()).isEqualTo("Fine answer. Ask ");
  }

  @Test
  void aWordThatOnlyStartsLikeADeniedWordIsDelivered() {
    Streamed s = stream("team-a/out", characters("The acmeology of globexes is fine."));
    assertThat(s.denial()).isNull();
    assertThat(s.delivered()).isEqualTo("The acmeology of globexes is fine.");
  }

  @Test
  void redactionWorksAcrossChunkBoundariesWithTheSameNumbering() {
    String text = "Mail jane@example.com, then jane@example.com again, or bob@example.org.";
    Streamed whole = stream("team-a/out", List.of(text));
    Streamed split = stream("team-a/out", characters(text));
    String expected = "Mail [EMAIL_1], then [EMAIL_1] again, or [EMAIL_2].";
    assertThat(whole.delivered()).isEqualTo(expected);
    assertThat(split.delivered()).isEqualTo(expected);
  }

  @Test
  void everyPiiEntitySplitAnywhereIsRedactedAsInTheWholeText() {
    String text =
        "Card 4111 1111 1111 1111, phone +1 650-253-0000, IBAN DE89 3704 0044 0532 0130 00,"
            + " host 10.1.2.3, key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z, SSN 123-45-6789 done";
    String expected = request(POLICIES, null, "team-a/out").checkOutput(text, List.of()).text();
    assertThat(expected).doesNotContain("4111", "650", "DE89", "10.1.2.3", "sk-proj", "6789");
    for (int size = 1; size <= 7; size++) {
      List<String> chunks = new ArrayList<>();
      for (int i = 0; i < text.length(); i += size) {
        chunks.add(text.substring(i, Math.min(text.length(), i + size)));
      }
      assertThat(stream("team-a/out", chunks).delivered())
          .as("chunks of %d", size)
          .isEqualTo(expected);
    }
  }

  @Test
  void holdsBackOnlyAFewCharactersOfOrdinaryProse() {
    String prose = "The quick brown fox jumps over the lazy dog near the river bank today. ";
    Streamed s = stream("team-a/out", characters(prose.repeat(20)));
    assertThat(s.delivered()).isEqualTo(prose.repeat(20));
    // The trailing word (an e-mail or key could still grow from it) is all that waits.
    assertThat(s.maxHeld()).isLessThanOrEqualTo(16);
  }

  @Test
  void aRegexWithABoundedMatchHoldsAboutAWordAndRedactsAcrossChunks() {
    String text =
        "Deploy to build-7.corp.example.com now. " + "Plenty of words follow. ".repeat(10);
    Streamed s = stream("team-a/hosts", characters(text));
    assertThat(s.delivered()).startsWith("Deploy to [REDACTED_1] now.");
    // The host name (held whole until the character after it decides \b), not a 128 window.
    assertThat(s.maxHeld()).isLessThanOrEqualTo("build-7.corp.example.com ".length());
  }

  @Test
  void aRegexWithoutABoundHoldsBackTheDocumentedWindow() {
    String text = "Ticket TICKET-123456 was closed. " + "Plenty of words follow. ".repeat(10);
    OutputStreamScanner scanner =
        request(
                compiled(
                    policy(
                        "team-a/t",
                        null,
                        check(
                            "t", "Output", Action.REDACT, "regex", "{'pattern':'TICKET-[0-9]+'}"))),
                null,
                "team-a/t")
            .streamedAnswer()
            .text();
    StringBuilder out = new StringBuilder();
    int maxHeld = 0;
    for (String c : characters(text)) {
      out.append(scanner.accept(c).release());
      maxHeld = Math.max(maxHeld, scanner.heldCharacters());
    }
    out.append(scanner.finish().release());
    assertThat(out.toString()).startsWith("Ticket [REDACTED_1] was closed.");
    assertThat(maxHeld)
        .isGreaterThanOrEqualTo(CompiledRegexCheck.STREAM_WINDOW)
        .isLessThanOrEqualTo(CompiledRegexCheck.STREAM_WINDOW + OutputStreamScanner.MIN_RELEASE);
  }

  /**
   * Streamed in chunks of random sizes, text under the host-name regex comes out exactly as the
   * whole answer's redaction: the bounded hold never releases part of a match too early.
   */
  @Test
  void aStreamedRegexRedactsExactlyAsTheWholeAnswerDoes() {
    String[] pieces = {
      "a",
      "b",
      "-",
      ".",
      " ",
      "corp",
      ".corp",
      ".example",
      ".com",
      "build-7",
      ".corp.example.com",
      "x.corp.example.co",
      "m",
      "\n",
      "db1",
      "COM",
      "_",
    };
    Random random = new Random(7);
    for (int round = 0; round < 300; round++) {
      List<String> chunks = randomChunks(random, pieces, 30);
      String text = String.join("", chunks);
      String whole = request(POLICIES, null, "team-a/hosts").checkOutput(text, List.of()).text();
      assertThat(stream("team-a/hosts", chunks).delivered()).as(text).isEqualTo(whole);
    }
  }

  /**
   * A pattern whose matches span at most a known number of characters, and that has no literal the
   * prefilter can bound it by, holds only that many (plus a few batched for release): streamed in
   * random chunks it redacts exactly as the whole answer does.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "[A-Z]{2}[0-9]{4}",
        "\\b[A-Z]{2}-?[0-9]{2,4}\\b",
        "(?i)(acme|globex) ?corp",
        "[0-9]{3}.[0-9]{2}",
        "(AB|7){2,3}$",
      })
  void aBoundedPatternHoldsItsLongestMatchAndRedactsAsTheWholeAnswerDoes(String pattern) {
    CompiledPolicies policies =
        compiled(
            policy(
                "team-a/p",
                null,
                check(
                    "p",
                    "Output",
                    Action.REDACT,
                    "regex",
                    "{'pattern':'" + pattern.replace("\\", "\\\\") + "'}")));
    int longest = RegexMaxLength.of(pattern, CompiledRegexCheck.STREAM_WINDOW).orElseThrow();
    String[] pieces = {"AB", "7", "12", "345", "-", " ", "x", "acme", "Globex", "corp", "\n", "é"};
    Random random = new Random(pattern.hashCode());
    for (int round = 0; round < 300; round++) {
      List<String> chunks = randomChunks(random, pieces, 60);
      String text = String.join("", chunks);
      String whole = request(policies, null, "team-a/p").checkOutput(text, List.of()).text();
      Streamed streamed = stream(request(policies, null, "team-a/p"), chunks);
      assertThat(streamed.delivered()).as("%s on %s", pattern, text).isEqualTo(whole);
      // held: the longest match, a match still open at that cut (from its start), the batch
      // waiting for release (a quarter of the hold) and the last chunk
      assertThat(streamed.maxHeld())
          .as(text)
          .isLessThanOrEqualTo(2 * longest + longest / 4 + 6)
          .isLessThan(CompiledRegexCheck.STREAM_WINDOW);
    }
  }

  @Test
  void aPrivateKeyBlockIsHeldUntilItEndsAndRedactedWhole() {
    String text =
        "Here: -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY----- ok";
    assertThat(stream("team-a/out", characters(text)).delivered()).isEqualTo("Here: [SECRET_1] ok");
  }

  @Test
  void jsonSchemaJudgesTheWholeStreamAtTheEnd() {
    Streamed good = stream("team-a/json", List.of("{\"ans", "wer\": 1}"));
    assertThat(good.denial()).isNull();
    assertThat(good.delivered()).isEqualTo("{\"answer\": 1}");
    Streamed bad = stream("team-a/json", List.of("Sure! ", "Here it is"));
    assertThat(bad.denial().verdict()).isEqualTo("denied:team-a/json/object");
  }

  @Test
  void afterADenialTheScannerReleasesNothingMore() {
    OutputStreamScanner scanner = request(POLICIES, null, "team-a/out").streamedAnswer().text();
    assertThat(scanner.accept("ok acme ").denied()).isTrue();
    assertThat(scanner.accept("more text").release()).isEmpty();
    assertThat(scanner.finish().release()).isEmpty();
  }
}
