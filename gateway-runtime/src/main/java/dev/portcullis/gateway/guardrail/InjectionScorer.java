package dev.portcullis.gateway.guardrail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Scores text for prompt-injection attempts from 0 (nothing suspicious) to 1, by signals that
 * attacks share: an order to drop earlier instructions ("ignore all previous instructions"), a
 * request for the hidden prompt ("print your system prompt"), jailbreak personas and "no
 * restrictions" framing, chat-template markers smuggled into user text ({@code <|im_start|>},
 * {@code [INST]}), and claims of authority ("I am your developer"). Each signal has a weight; the
 * score is {@code 1 - Π(1 - weight)} over the distinct signals present, so one strong signal or a
 * few weak ones together reach the threshold.
 *
 * <p>Two passes of {@link WordAutomaton} find all terms (one over the text lower-cased and reduced
 * to words, one over the raw text for markers), so the cost is linear in the text and independent
 * of the number of phrases. What it cannot do: understand paraphrases it has no words for,
 * instructions in other languages, or attacks hidden in encodings it does not decode; see the
 * package README for the measured precision and recall.
 */
final class InjectionScorer {
  private enum Kind {
    OVERRIDE_VERB,
    OVERRIDE_TARGET,
    QUALIFIER,
    REVEAL_VERB,
    HIDDEN_PROMPT,
    PHRASE
  }

  private record Term(Kind kind, String signal, double weight) {}

  private record Hit(int start, int end, Term term) {}

  /** Characters between a verb and its object ("ignore ... instructions") that still count. */
  private static final int WINDOW = 60;

  private static final Map<String, Double> SIGNALS = new HashMap<>();

  static {
    SIGNALS.put("override", 0.9);
    SIGNALS.put("override-vague", 0.45);
    SIGNALS.put("reveal-prompt", 0.85);
    SIGNALS.put("mentions-hidden-prompt", 0.35);
    SIGNALS.put("persona-switch", 0.45);
    SIGNALS.put("jailbreak", 0.7);
    SIGNALS.put("no-limits", 0.65);
    SIGNALS.put("rules-suspended", 0.6);
    SIGNALS.put("no-caveats", 0.4);
    SIGNALS.put("template-marker", 0.8);
    SIGNALS.put("authority", 0.5);
    SIGNALS.put("safety-bypass", 0.7);
    SIGNALS.put("hidden-channel", 0.4);
  }

  private final WordAutomaton words;
  private final Map<String, List<Term>> terms = new HashMap<>();
  private final WordAutomaton markers;
  private final Set<String> markerTexts = new HashSet<>();

  InjectionScorer() {
    add(
        Kind.OVERRIDE_VERB,
        "override",
        "ignore",
        "ignoring",
        "disregard",
        "forget",
        "override",
        "bypass",
        "skip",
        "abandon",
        "discard",
        "drop",
        "neglect",
        "overlook",
        "pay no attention to",
        "stop following",
        "do not follow",
        "don't follow",
        "no longer follow",
        "throw away",
        "set aside",
        "erase",
        "delete");
    add(
        Kind.OVERRIDE_TARGET,
        "override",
        "instruction",
        "instructions",
        "rule",
        "rules",
        "prompt",
        "prompts",
        "guideline",
        "guidelines",
        "direction",
        "directions",
        "directive",
        "directives",
        "constraint",
        "constraints",
        "policy",
        "policies",
        "restriction",
        "restrictions",
        "programming",
        "guardrails",
        "safeguards",
        "filters",
        "training",
        "commands",
        "orders",
        "everything",
        "context",
        "limitations",
        "above",
        "the above",
        "what i said",
        "what you were told",
        "you were told",
        "system message",
        "system prompt");
    add(
        Kind.QUALIFIER,
        "override",
        "previous",
        "prior",
        "above",
        "earlier",
        "preceding",
        "all",
        "your",
        "original",
        "initial",
        "system",
        "safety",
        "existing",
        "any",
        "those",
        "these",
        "developer",
        "openai",
        "anthropic",
        "content",
        "you were told");
    add(
        Kind.REVEAL_VERB,
        "reveal-prompt",
        "reveal",
        "print",
        "show",
        "repeat",
        "output",
        "display",
        "tell me",
        "leak",
        "expose",
        "give me",
        "write out",
        "dump",
        "share",
        "disclose",
        "spell out",
        "recite",
        "what is",
        "what are",
        "what's",
        "copy",
        "paste",
        "translate",
        "summarize");
    add(
        Kind.HIDDEN_PROMPT,
        "reveal-prompt",
        "system prompt",
        "system message",
        "system instructions",
        "initial prompt",
        "initial instructions",
        "original prompt",
        "original instructions",
        "hidden instructions",
        "hidden prompt",
        "secret instructions",
        "your instructions",
        "your prompt",
        "your rules",
        "your guidelines",
        "developer message",
        "pre prompt",
        "preprompt",
        "text above",
        "words above",
        "everything above",
        "instructions above",
        "prompt above",
        "confidential instructions",
        "internal instructions");
    add(
        Kind.PHRASE,
        "persona-switch",
        "you are now",
        "you're now",
        "from now on",
        "from this moment",
        "pretend to be",
        "pretend you are",
        "pretend you're",
        "act as if you",
        "roleplay as",
        "role play as",
        "you will now act",
        "stay in character",
        "you have been freed",
        "new persona",
        "your new role");
    add(
        Kind.PHRASE,
        "jailbreak",
        "jailbreak",
        "jailbroken",
        "jailbreaking",
        "developer mode",
        "dev mode",
        "god mode",
        "dan mode",
        "do anything now",
        "evil confidant",
        "opposite mode",
        "unrestricted mode",
        "unfiltered mode",
        "chaos mode",
        "evil ai",
        "evil assistant");
    add(
        Kind.PHRASE,
        "no-limits",
        "no restrictions",
        "without restrictions",
        "without any restrictions",
        "no limitations",
        "without limitations",
        "without any limitations",
        "no rules",
        "no filters",
        "without filters",
        "no content policy",
        "not bound by",
        "free from all",
        "free of all",
        "unfiltered",
        "unrestricted",
        "uncensored",
        "anything goes",
        "no boundaries",
        "no ethical",
        "no moral");
    add(
        Kind.PHRASE,
        "authority",
        "i am your developer",
        "i'm your developer",
        "i am your creator",
        "i am the developer",
        "i am your administrator",
        "as your administrator",
        "admin override",
        "system override",
        "maintenance mode",
        "debug mode",
        "highest priority",
        "takes precedence",
        "override code",
        "authorization code",
        "sudo");
    add(
        Kind.PHRASE,
        "no-caveats",
        "without warnings",
        "without any warnings",
        "no warnings",
        "no disclaimers",
        "without disclaimers",
        "without any disclaimers",
        "never refuse",
        "never refuses");
    add(
        Kind.PHRASE,
        "rules-suspended",
        "guidelines are suspended",
        "rules are suspended",
        "restrictions are suspended",
        "rules no longer apply",
        "guidelines no longer apply",
        "restrictions no longer apply",
        "restrictions have been lifted",
        "rules have been lifted",
        "openai staff",
        "anthropic staff");
    add(
        Kind.PHRASE,
        "safety-bypass",
        "bypass safety",
        "bypass the safety",
        "bypass content",
        "bypass moderation",
        "disable safety",
        "disable your safety",
        "turn off your filters",
        "ignore ethics",
        "ignore your ethics",
        "ignore safety");
    add(
        Kind.PHRASE,
        "hidden-channel",
        "decode this and follow",
        "decode and execute",
        "decode the following and",
        "execute the following",
        "follow the instructions in",
        "instructions hidden",
        "new instructions",
        "updated instructions",
        "real instructions",
        "actual instructions");
    this.words = new WordAutomaton(terms.keySet(), true);
    for (String marker :
        List.of(
            "<|im_start|>",
            "<|im_end|>",
            "<|system|>",
            "<|endoftext|>",
            "<|assistant|>",
            "[inst]",
            "[/inst]",
            "<<sys>>",
            "### system",
            "### instruction",
            "<system>",
            "</system>",
            "[system]",
            "begin system prompt",
            "end of system prompt",
            "\nsystem:",
            "\nassistant:")) {
      markerTexts.add(marker);
    }
    this.markers = new WordAutomaton(markerTexts, false);
  }

  private void add(Kind kind, String signal, String... phrases) {
    for (String p : phrases) {
      terms.computeIfAbsent(p, k -> new ArrayList<>()).add(new Term(kind, signal, 0));
    }
  }

  /** The score of {@code text}, 0 to 1. */
  double score(String text) {
    Set<String> signals = new HashSet<>();
    boolean[] marker = new boolean[1];
    markers.search(text, (s, e) -> marker[0] = true);
    if (marker[0]) {
      signals.add("template-marker");
    }
    String normal = normalize(text);
    List<Hit> hits = new ArrayList<>();
    words.search(
        normal,
        (s, e) -> {
          if ((s == 0 || normal.charAt(s - 1) == ' ')
              && (e == normal.length() || normal.charAt(e) == ' ')) {
            for (Term t : terms.get(normal.substring(s, e))) {
              hits.add(new Hit(s, e, t));
            }
          }
        });
    for (Hit h : hits) {
      switch (h.term().kind()) {
        case PHRASE -> signals.add(h.term().signal());
        case HIDDEN_PROMPT -> signals.add("mentions-hidden-prompt");
        case OVERRIDE_VERB -> {
          String found = overrideAfter(hits, h);
          if (found != null) {
            signals.add(found);
          }
        }
        case REVEAL_VERB -> {
          for (Hit o : hits) {
            if (o.term().kind() == Kind.HIDDEN_PROMPT
                && o.start() >= h.end()
                && o.start() - h.end() <= WINDOW
                && !afterArticle(normal, o.start())) {
              signals.add("reveal-prompt");
            }
          }
        }
        default -> {}
      }
    }
    double pass = 1;
    for (String s : signals) {
      pass *= 1 - SIGNALS.get(s);
    }
    return 1 - pass;
  }

  /**
   * "override" when a target follows the verb with a qualifier between, "override-vague" without.
   */
  private static String overrideAfter(List<Hit> hits, Hit verb) {
    String best = null;
    for (Hit target : hits) {
      if (target.term().kind() != Kind.OVERRIDE_TARGET
          || target.start() < verb.end()
          || target.start() - verb.end() > WINDOW) {
        continue;
      }
      for (Hit q : hits) {
        if (q.term().kind() == Kind.QUALIFIER
            && q.start() >= verb.end()
            && q.end() <= target.start() + (target.end() - target.start())) {
          return "override";
        }
      }
      best = "override-vague";
    }
    return best;
  }

  /** "what is a system prompt" asks about the concept, not for this one. */
  private static boolean afterArticle(String normal, int start) {
    return normal.startsWith("a ", start - 2) && (start == 2 || normal.charAt(start - 3) == ' ')
        || normal.startsWith(" an ", start - 4);
  }

  /** Lower case, letters, digits and apostrophes kept, everything else one space. */
  private static String normalize(String text) {
    StringBuilder b = new StringBuilder(text.length());
    boolean space = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isLetterOrDigit(c) || c == '\'') {
        b.append(Character.toLowerCase(c));
        space = false;
      } else if (c == '\u2019') {
        b.append('\'');
        space = false;
      } else if (!space) {
        b.append(' ');
        space = true;
      }
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }
}
