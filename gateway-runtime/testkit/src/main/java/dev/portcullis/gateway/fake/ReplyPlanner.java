package dev.portcullis.gateway.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Decides what the fake answers: which text or tool call, how many tokens, and why it stops. */
final class ReplyPlanner {
  static final String DEFAULT_TEXT = "This is a fake reply from the Portcullis test upstream.";

  // A token is a word with the whitespace after it, so that the pieces join back to the text.
  private static final Pattern WORD = Pattern.compile("\\S+\\s*");
  private static final List<String> DEFAULT_PIECES = split(DEFAULT_TEXT);
  private static final int TOOL_ARGUMENT_PIECE_CHARS = 8;

  private ReplyPlanner() {}

  /**
   * @param idPrefix prefix of the response id, e.g. {@code chatcmpl-}
   * @param toolIdPrefix prefix of a tool call id, e.g. {@code call_}
   */
  static Reply plan(
      RequestFacts facts, Behaviour behaviour, String model, String idPrefix, String toolIdPrefix) {
    String id = idPrefix + randomId();
    long created = System.currentTimeMillis() / 1000;
    if (facts.forcedTool() != null) {
      String arguments = JsonText.write(ToolArguments.example(facts.forcedTool().schema()));
      Reply.ToolCall call =
          new Reply.ToolCall(toolIdPrefix + randomId(), facts.forcedTool().name(), arguments);
      return new Reply(
          id,
          model,
          created,
          fragments(arguments),
          Reply.Finish.TOOL_CALL,
          call,
          facts.promptTokens(),
          facts.includeUsage());
    }
    List<String> pieces = textPieces(facts, behaviour);
    Reply.Finish finish = Reply.Finish.STOP;
    if (facts.maxTokens() != null && pieces.size() > facts.maxTokens()) {
      pieces = pieces.subList(0, facts.maxTokens());
      finish = Reply.Finish.LENGTH;
    }
    return new Reply(
        id, model, created, pieces, finish, null, facts.promptTokens(), facts.includeUsage());
  }

  private static List<String> textPieces(RequestFacts facts, Behaviour behaviour) {
    List<String> base;
    if (Boolean.TRUE.equals(behaviour.echo())) {
      base = split(facts.lastUserText());
    } else if (behaviour.text() != null) {
      base = split(behaviour.text());
    } else {
      base = DEFAULT_PIECES;
    }
    Integer tokens = behaviour.tokens();
    if (tokens == null || tokens == base.size()) {
      return base;
    }
    if (base.isEmpty()) {
      base = DEFAULT_PIECES;
    }
    List<String> pieces = new ArrayList<>(tokens);
    for (int i = 0; i < tokens; i++) {
      String piece = base.get(i % base.size());
      // Cycling past the end of the text: keep words apart.
      if (i + 1 < tokens && !Character.isWhitespace(piece.charAt(piece.length() - 1))) {
        piece = piece + " ";
      } else if (i + 1 == tokens) {
        piece = piece.stripTrailing(); // cut mid-text: no dangling space
      }
      pieces.add(piece);
    }
    return pieces;
  }

  static List<String> split(String text) {
    List<String> pieces = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return pieces;
    }
    Matcher m = WORD.matcher(text);
    while (m.find()) {
      // The first piece also carries any leading whitespace.
      pieces.add(pieces.isEmpty() ? text.substring(0, m.end()) : m.group());
    }
    if (pieces.isEmpty()) {
      pieces.add(text); // whitespace only
    }
    return List.copyOf(pieces);
  }

  private static List<String> fragments(String json) {
    List<String> pieces = new ArrayList<>();
    for (int i = 0; i < json.length(); i += TOOL_ARGUMENT_PIECE_CHARS) {
      pieces.add(json.substring(i, Math.min(json.length(), i + TOOL_ARGUMENT_PIECE_CHARS)));
    }
    return List.copyOf(pieces);
  }

  static String randomId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return Long.toHexString(random.nextLong() | Long.MIN_VALUE)
        + Long.toHexString(random.nextLong() | Long.MIN_VALUE).substring(0, 8);
  }
}
