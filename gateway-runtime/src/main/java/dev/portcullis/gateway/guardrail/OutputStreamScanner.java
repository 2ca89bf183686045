package dev.portcullis.gateway.guardrail;

import java.util.List;
import java.util.Set;

/**
 * Runs a request's output span checks over one channel of a streamed answer (its text, or one tool
 * call's arguments) as it flows. Feed it each delta with {@link #accept} and forward what it
 * releases; call {@link #finish} when the channel ends.
 *
 * <p>It holds back only the characters a match could still span: the smallest {@link
 * SpanCheck#holdFrom} of its span checks (the trailing part of a word that begins a deny-list word,
 * the trailing run of characters a PII pattern could still continue, for a regex its longest match
 * or at most {@value CompiledRegexCheck#STREAM_WINDOW} characters) and any match still open at that
 * point, plus, while the hold is long, up to {@link #MIN_RELEASE} characters batched to keep scans
 * cheap. So a word split across chunks is caught, redaction works across chunk boundaries, and
 * nothing is buffered whole. On a Deny match the text before it is released, the match never is,
 * and the scanner stops.
 *
 * <p>Whole-text checks ({@code jsonSchema}, {@code webhook}, {@code length}, {@code
 * promptInjection}, {@code regex} with {@code mustMatch}) can only judge the complete answer: the
 * scanner appends what it releases to its {@link StreamedAnswer}'s record of the channel (only when
 * the policy has such a check), and {@link StreamedAnswer#finish} judges all channels at the
 * answer's end. One scanner per channel; not thread-safe (a stream is read by one thread).
 */
public final class OutputStreamScanner {
  /** Released characters kept before the held text, for word boundaries at its start. */
  private static final int CONTEXT = 8;

  /**
   * Most characters waiting for a scan beyond the hold-back: each scan reads all held text again,
   * so with a long hold (a regex's window) releasing a few characters per token would read the
   * window once per token. A scan runs once a quarter of the held text, at most this many
   * characters, can be released: with a short hold (prose under PII and deny-list checks) almost at
   * once, with a regex window in steps of 24 characters.
   */
  static final int MIN_RELEASE = 24;

  private final List<PolicyCheck<SpanCheck>> spanChecks;
  private final PlaceholderBook book;
  private final Set<String> verdicts;
  private final StringBuilder released;
  private String context = "";
  private final StringBuilder pending = new StringBuilder();
  private boolean stopped;

  OutputStreamScanner(
      List<PolicyCheck<SpanCheck>> spanChecks,
      PlaceholderBook book,
      Set<String> verdicts,
      StringBuilder released) {
    this.spanChecks = spanChecks;
    this.book = book;
    this.verdicts = verdicts;
    this.released = released;
  }

  /** Takes the next text delta and returns what may be forwarded now. */
  public ScanStep accept(String delta) {
    if (stopped) {
      return new ScanStep("", null);
    }
    pending.append(delta);
    if (spanChecks.isEmpty()) {
      return release(pending.length());
    }
    return scan(false);
  }

  /**
   * The channel ended: releases what was held (judged as final). Forward the release only once the
   * answer's {@link StreamedAnswer#finish} has passed, so a failing whole-text check still
   * withholds it.
   */
  public ScanStep finish() {
    if (stopped) {
      return new ScanStep("", null);
    }
    stopped = true;
    return spanChecks.isEmpty() ? release(pending.length()) : scan(true);
  }

  /** Characters seen but not yet released: at most the hold-back window plus an open match. */
  public int heldCharacters() {
    return pending.length();
  }

  private ScanStep scan(boolean last) {
    String text = context + pending;
    int from = context.length();
    int cut = text.length();
    if (!last) {
      for (PolicyCheck<SpanCheck> c : spanChecks) {
        cut = Math.min(cut, c.check().holdFrom(text));
      }
      cut = Math.max(cut, from);
      if (cut - from < Math.min(MIN_RELEASE, Math.max(1, (text.length() - cut) / 4))) {
        return new ScanStep("", null);
      }
    }
    SpanPass.Outcome outcome = SpanPass.run(text, from, cut, spanChecks, book, verdicts);
    if (outcome.denial() != null) {
      stopped = true;
      pending.setLength(0);
      record(outcome.released());
      return new ScanStep(outcome.released(), outcome.denial());
    }
    int upTo = outcome.upTo();
    context = text.substring(Math.max(0, upTo - CONTEXT), upTo);
    pending.delete(0, upTo - from);
    record(outcome.released());
    return new ScanStep(outcome.released(), null);
  }

  private ScanStep release(int count) {
    String out = pending.substring(0, count);
    pending.delete(0, count);
    record(out);
    return new ScanStep(out, null);
  }

  private void record(String out) {
    if (released != null) {
      released.append(out);
    }
  }
}
