package dev.portcullis.gateway.guardrail;

import dev.portcullis.api.snapshot.GuardrailPolicyConfig.Action;
import dev.portcullis.gateway.guardrail.ContentCheck.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Runs the span-finding checks of one stage over one text and applies their actions: the shared
 * core of the input checks, the whole-answer checks and the stream scanner.
 *
 * <p>All checks see the original text (none sees another's placeholders). Any {@code Deny} match
 * wins; {@code Redact} matches that overlap are resolved earliest first, then longest, then in
 * policy order; {@code Flag} matches only add their verdict.
 */
final class SpanPass {
  private SpanPass() {}

  private record Hit(int start, int end, String label, int order, PolicyCheck<SpanCheck> check) {}

  /**
   * The outcome of one pass.
   *
   * @param released the text of {@code [from, upTo)}, redacted
   * @param upTo where in the original text the released part ends
   * @param denial the first Deny match's denial (then {@code released} stops before it), or null
   */
  record Outcome(String released, int upTo, GuardrailDenial denial) {}

  /**
   * Judges {@code text} from {@code from} (characters before it are context only: matches starting
   * there were judged before) up to {@code cut}: matches that end after {@code cut} are not final
   * (a stream's later text could still change them) and hold the release back to their start.
   */
  static Outcome run(
      String text,
      int from,
      int cut,
      List<PolicyCheck<SpanCheck>> checks,
      PlaceholderBook book,
      Set<String> verdicts) {
    List<Hit> hits = new ArrayList<>();
    List<Span> found = new ArrayList<>();
    for (int order = 0; order < checks.size(); order++) {
      PolicyCheck<SpanCheck> check = checks.get(order);
      found.clear();
      check.check().findSpans(text, from, found);
      for (Span s : found) {
        if (s.start() >= from && s.end() > s.start()) {
          hits.add(new Hit(s.start(), s.end(), s.label(), order, check));
        }
      }
    }
    if (hits.isEmpty()) {
      return new Outcome(text.substring(from, cut), cut, null);
    }
    // A match still open at the cut holds everything from its start.
    boolean moved = true;
    while (moved) {
      moved = false;
      for (Hit h : hits) {
        if (h.check().action() != Action.FLAG && h.start() < cut && h.end() > cut) {
          cut = h.start();
          moved = true;
        }
      }
    }
    int end = cut;
    GuardrailDenial denial = null;
    Hit firstDeny = null;
    for (Hit h : hits) {
      if (h.check().action() == Action.DENY
          && h.end() <= end
          && (firstDeny == null || h.start() < firstDeny.start())) {
        firstDeny = h;
      }
    }
    if (firstDeny != null) {
      denial = firstDeny.check().denial();
      verdicts.add(denial.verdict());
      end = firstDeny.start();
    }
    List<Hit> redactions = new ArrayList<>();
    for (Hit h : hits) {
      if (h.end() > cut) {
        continue;
      }
      if (h.check().action() == Action.FLAG) {
        verdicts.add(h.check().verdict());
      } else if (h.check().action() == Action.REDACT) {
        redactions.add(h);
      }
    }
    redactions.sort(
        Comparator.comparingInt(Hit::start)
            .thenComparing(Comparator.comparingInt(Hit::end).reversed())
            .thenComparingInt(Hit::order));
    StringBuilder out = new StringBuilder(end - from + 16);
    int at = from;
    for (Hit h : redactions) {
      if (h.start() < at) {
        continue; // overlaps one already applied
      }
      if (h.end() > end) {
        // Cut by a denial right behind it: release only what comes before it.
        end = Math.min(end, h.start());
        break;
      }
      out.append(text, at, h.start());
      out.append(book.placeholder(h.label(), text.substring(h.start(), h.end())));
      verdicts.add(h.check().verdict());
      at = h.end();
    }
    if (at < end) {
      out.append(text, at, end);
    }
    return new Outcome(out.toString(), denial == null ? end : end, denial);
  }
}
