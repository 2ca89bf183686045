package dev.portcullis.gateway.guardrail;

import dev.portcullis.gateway.guardrail.ContentCheck.Span;
import java.util.List;

/**
 * Credentials: API keys of the common providers recognised by their documented prefixes (OpenAI
 * {@code sk-}/{@code sk-proj-}, Anthropic {@code sk-ant-}, GitHub {@code ghp_} and kin and {@code
 * github_pat_}, GitLab {@code glpat-}, Slack {@code xox?-}, Google {@code AIza}, Stripe {@code
 * sk_live_}/{@code rk_live_}, Hugging Face {@code hf_}), AWS access key ids ({@code AKIA}/{@code
 * ASIA} and 16 characters), JSON Web Tokens (three base64url segments, the first two starting with
 * {@code eyJ}), and PEM private-key blocks from {@code -----BEGIN ... PRIVATE KEY-----} to their
 * END line (to the end of the text when it never comes). Random high-entropy strings without a
 * known shape are not reported: they cannot be told from ids and hashes.
 */
final class SecretFinder implements PiiFinder {
  /** A known token shape: prefix, the characters after it, and their least and most count. */
  private record Shape(String prefix, String charset, int min, int max) {}

  private static final String B62 = "A-Za-z0-9";
  private static final String B64URL = "A-Za-z0-9_-";

  private static final List<Shape> SHAPES =
      List.of(
          new Shape("sk-ant-", B64URL, 20, 512),
          new Shape("sk-proj-", B64URL, 20, 512),
          new Shape("sk-", B64URL, 20, 512),
          new Shape("sk_live_", B62, 16, 256),
          new Shape("sk_test_", B62, 16, 256),
          new Shape("rk_live_", B62, 16, 256),
          new Shape("ghp_", B62, 30, 255),
          new Shape("gho_", B62, 30, 255),
          new Shape("ghu_", B62, 30, 255),
          new Shape("ghs_", B62, 30, 255),
          new Shape("ghr_", B62, 30, 255),
          new Shape("github_pat_", B62 + "_", 22, 255),
          new Shape("glpat-", B64URL, 20, 64),
          new Shape("xoxb-", B62 + "-", 10, 255),
          new Shape("xoxp-", B62 + "-", 10, 255),
          new Shape("xoxa-", B62 + "-", 10, 255),
          new Shape("xoxr-", B62 + "-", 10, 255),
          new Shape("xoxs-", B62 + "-", 10, 255),
          new Shape("hf_", B62, 30, 64),
          new Shape("AIza", B64URL, 35, 35),
          new Shape("AKIA", "A-Z0-9", 16, 16),
          new Shape("ASIA", "A-Z0-9", 16, 16));

  private static final String PEM_BEGIN = "-----BEGIN ";
  private static final String PEM_END = "-----END ";

  /** How long a held token or key block may grow on a stream before it is judged as it stands. */
  private static final int MAX_HOLD = 16 * 1024;

  @Override
  public void find(CharSequence t, List<Span> found) {
    int n = t.length();
    int i = 0;
    while (i < n) {
      char c = t.charAt(i);
      if (!isTokenStart(c) || (i > 0 && isTokenChar(t.charAt(i - 1)))) {
        i++;
        continue;
      }
      int end = c == 'e' ? jwtEnd(t, i) : shapeEnd(t, i);
      if (end > i) {
        found.add(new Span(i, end, "SECRET"));
        i = end;
      } else {
        i++;
      }
    }
    findPrivateKeys(t, found);
  }

  @Override
  public int holdFrom(CharSequence text) {
    int n = text.length();
    int hold = n;
    // A PEM block that has begun and not ended, or a BEGIN marker still arriving.
    int begin = lastIndexOf(text, PEM_BEGIN, Math.max(0, n - MAX_HOLD));
    if (begin >= 0 && indexOf(text, PEM_END, begin) < 0 && isPrivateKeyHeader(text, begin, true)) {
      hold = begin;
    }
    for (int k = Math.min(PEM_BEGIN.length(), n); k > 0; k--) {
      if (regionMatches(text, n - k, PEM_BEGIN, k)) {
        hold = Math.min(hold, n - k);
        break;
      }
    }
    // A trailing token that is, or may still become, a known shape.
    int run = PiiFinder.trailingRunStart(text, c -> isTokenChar((char) c), MAX_HOLD);
    if (run < n && isTokenStart(text.charAt(run)) && couldBeSecret(text, run)) {
      hold = Math.min(hold, run);
    }
    return hold;
  }

  private static boolean couldBeSecret(CharSequence t, int start) {
    int len = t.length() - start;
    if (t.charAt(start) == 'e') {
      return len < 3 || regionMatches(t, start, "eyJ", 3);
    }
    for (Shape s : SHAPES) {
      int k = Math.min(len, s.prefix().length());
      if (regionMatches(t, start, s.prefix(), k)) {
        return true;
      }
    }
    return false;
  }

  private static int shapeEnd(CharSequence t, int i) {
    for (Shape s : SHAPES) {
      if (!regionMatches(t, i, s.prefix(), s.prefix().length())) {
        continue;
      }
      int j = i + s.prefix().length();
      int start = j;
      while (j < t.length() && j - start < s.max() + 1 && inCharset(t.charAt(j), s.charset())) {
        j++;
      }
      int count = j - start;
      boolean boundary = j >= t.length() || !isTokenChar(t.charAt(j)) || t.charAt(j) == '.';
      if (count >= s.min() && count <= s.max() && boundary) {
        return j;
      }
    }
    return -1;
  }

  /** A JWT: header.payload.signature, base64url, header and payload JSON objects ("eyJ"). */
  private static int jwtEnd(CharSequence t, int i) {
    if (!regionMatches(t, i, "eyJ", 3)) {
      return -1;
    }
    int j = i;
    int[] lengths = new int[3];
    for (int seg = 0; seg < 3; seg++) {
      int start = j;
      while (j < t.length() && inCharset(t.charAt(j), B64URL)) {
        j++;
      }
      lengths[seg] = j - start;
      if (seg < 2) {
        if (j >= t.length() || t.charAt(j) != '.') {
          return -1;
        }
        j++;
      }
    }
    boolean payloadIsObject = regionMatches(t, i + lengths[0] + 1, "eyJ", 3);
    return lengths[0] >= 10 && lengths[1] >= 10 && lengths[2] >= 8 && payloadIsObject ? j : -1;
  }

  private static void findPrivateKeys(CharSequence t, List<Span> found) {
    int from = 0;
    int begin;
    while ((begin = indexOf(t, PEM_BEGIN, from)) >= 0) {
      if (!isPrivateKeyHeader(t, begin, false)) {
        from = begin + PEM_BEGIN.length();
        continue;
      }
      int end = indexOf(t, PEM_END, begin);
      int stop;
      if (end < 0) {
        stop = t.length();
      } else {
        int close = indexOf(t, "-----", end + PEM_END.length());
        stop = close < 0 ? t.length() : close + 5;
      }
      found.add(new Span(begin, stop, "SECRET"));
      from = stop;
    }
  }

  /**
   * Whether the header at {@code begin} names a private key; with {@code partial}, also when the
   * header line has not fully arrived yet.
   */
  private static boolean isPrivateKeyHeader(CharSequence t, int begin, boolean partial) {
    int lineEnd = begin + PEM_BEGIN.length();
    int limit = Math.min(t.length(), begin + 64);
    while (lineEnd < limit && t.charAt(lineEnd) != '\n' && t.charAt(lineEnd) != '\r') {
      lineEnd++;
    }
    String header = t.subSequence(begin, lineEnd).toString();
    if (header.contains("PRIVATE KEY-----")) {
      return true;
    }
    return partial && lineEnd == t.length();
  }

  private static boolean isTokenStart(char c) {
    return switch (c) {
      case 's', 'r', 'g', 'x', 'h', 'A', 'e' -> true;
      default -> false;
    };
  }

  private static boolean isTokenChar(char c) {
    return PiiFinder.isWordChar(c) || c == '-' || c == '.';
  }

  private static boolean inCharset(char c, String charset) {
    boolean upper = c >= 'A' && c <= 'Z';
    boolean lower = c >= 'a' && c <= 'z';
    boolean digit = PiiFinder.isDigit(c);
    return switch (charset) {
      case B62 -> upper || lower || digit;
      case B64URL -> upper || lower || digit || c == '_' || c == '-';
      case "A-Za-z0-9_" -> upper || lower || digit || c == '_';
      case "A-Za-z0-9-" -> upper || lower || digit || c == '-';
      case "A-Z0-9" -> upper || digit;
      default -> false;
    };
  }

  private static boolean regionMatches(CharSequence t, int at, String s, int len) {
    if (at < 0 || at + len > t.length()) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      if (t.charAt(at + k) != s.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(CharSequence t, String s, int from) {
    if (t instanceof String str) {
      return str.indexOf(s, from);
    }
    return t.toString().indexOf(s, from);
  }

  private static int lastIndexOf(CharSequence t, String s, int notBefore) {
    int i = t.toString().lastIndexOf(s);
    return i >= notBefore ? i : -1;
  }
}
