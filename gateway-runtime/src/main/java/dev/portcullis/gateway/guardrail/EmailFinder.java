package dev.portcullis.gateway.guardrail;

import dev.portcullis.gateway.guardrail.ContentCheck.Span;
import java.util.List;

/**
 * E-mail addresses: a local part of the usual unquoted characters, an {@code @}, and a domain with
 * at least one dot and a top-level domain of two or more letters. Triggered by {@code @}.
 */
final class EmailFinder implements PiiFinder {
  private static final int MAX_LOCAL = 64;
  private static final int MAX_DOMAIN = 253;

  @Override
  public void find(CharSequence t, List<Span> found) {
    int n = t.length();
    int searchFrom = 0;
    for (int at = indexOf(t, '@', 0); at >= 0; at = indexOf(t, '@', searchFrom)) {
      searchFrom = at + 1;
      int s = at;
      while (s > 0 && at - s < MAX_LOCAL && isLocal(t.charAt(s - 1))) {
        s--;
      }
      while (s < at && t.charAt(s) == '.') {
        s++;
      }
      if (s == at || (s > 0 && isLocal(t.charAt(s - 1)) && t.charAt(s - 1) != '.')) {
        continue;
      }
      int e = at + 1;
      while (e < n && e - at - 1 < MAX_DOMAIN && isDomain(t.charAt(e))) {
        e++;
      }
      while (e > at + 1 && (t.charAt(e - 1) == '.' || t.charAt(e - 1) == '-')) {
        e--;
      }
      if (validDomain(t, at + 1, e)) {
        found.add(new Span(s, e, "EMAIL"));
        searchFrom = e;
      }
    }
  }

  @Override
  public int holdFrom(CharSequence text) {
    return PiiFinder.trailingRunStart(
        text, c -> isLocal((char) c) || c == '@', MAX_LOCAL + 1 + MAX_DOMAIN);
  }

  private static boolean validDomain(CharSequence t, int from, int to) {
    if (to - from < 4 || t.charAt(from) == '.' || t.charAt(from) == '-') {
      return false;
    }
    int lastDot = -1;
    for (int i = from; i < to; i++) {
      if (t.charAt(i) == '.') {
        if (i > from && t.charAt(i - 1) == '.') {
          return false;
        }
        lastDot = i;
      }
    }
    if (lastDot < 0 || to - lastDot - 1 < 2) {
      return false;
    }
    for (int i = lastDot + 1; i < to; i++) {
      if (!Character.isLetter(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLocal(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || PiiFinder.isDigit(c)
        || c == '.'
        || c == '_'
        || c == '%'
        || c == '+'
        || c == '-';
  }

  private static boolean isDomain(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || PiiFinder.isDigit(c)
        || c == '.'
        || c == '-';
  }

  static int indexOf(CharSequence t, char c, int from) {
    if (t instanceof String s) {
      return s.indexOf(c, from);
    }
    for (int i = from, n = t.length(); i < n; i++) {
      if (t.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }
}
