package dev.portcullis.gateway.guardrail;

import dev.portcullis.gateway.guardrail.ContentCheck.Span;
import java.util.List;

/**
 * US social security numbers written as {@code ddd-dd-dddd}, with the numbers the SSA never issues
 * left out (area 000, 666 or 900-999, group 00, serial 0000). Nine digits without hyphens are not
 * taken for an SSN: too many other numbers look like that.
 */
final class SsnFinder implements PiiFinder {
  @Override
  public void find(CharSequence t, List<Span> found) {
    int n = t.length();
    for (int i = 0; i + 11 <= n; i++) {
      if (t.charAt(i + 3) != '-' || t.charAt(i + 6) != '-') {
        continue;
      }
      if (!digits(t, i, 3) || !digits(t, i + 4, 2) || !digits(t, i + 7, 4)) {
        continue;
      }
      if (i > 0 && (PiiFinder.isWordChar(t.charAt(i - 1)) || t.charAt(i - 1) == '-')) {
        continue;
      }
      if (i + 11 < n
          && (PiiFinder.isWordChar(t.charAt(i + 11))
              || (t.charAt(i + 11) == '-' && i + 12 < n && PiiFinder.isDigit(t.charAt(i + 12))))) {
        continue;
      }
      int area = number(t, i, 3);
      int group = number(t, i + 4, 2);
      int serial = number(t, i + 7, 4);
      if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) {
        continue;
      }
      found.add(new Span(i, i + 11, "SSN"));
      i += 10;
    }
  }

  @Override
  public int holdFrom(CharSequence text) {
    return PiiFinder.trailingRunStart(text, c -> PiiFinder.isDigit((char) c) || c == '-', 11);
  }

  private static boolean digits(CharSequence t, int from, int count) {
    for (int k = from; k < from + count; k++) {
      if (!PiiFinder.isDigit(t.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  private static int number(CharSequence t, int from, int count) {
    int v = 0;
    for (int k = from; k < from + count; k++) {
      v = v * 10 + (t.charAt(k) - '0');
    }
    return v;
  }
}
