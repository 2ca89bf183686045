package dev.portcullis.gateway.guardrail;

import dev.portcullis.gateway.guardrail.ContentCheck.Span;
import java.util.List;

/**
 * Payment card numbers: 13 to 19 digits, written together or in groups separated by single spaces
 * or hyphens (one kind per number), with a known issuer prefix (Visa, Mastercard, American Express,
 * Diners, Discover, JCB, UnionPay) and a valid Luhn check digit. The prefix and Luhn together keep
 * order numbers, invoice numbers and timestamps out: a random 16-digit number passes both about one
 * time in two hundred.
 */
final class CardNumberFinder implements PiiFinder {
  private static final int MAX_REACH = 19 + 18;

  @Override
  public void find(CharSequence t, List<Span> found) {
    int n = t.length();
    int[] digits = new int[19];
    int[] groupEnds = new int[20];
    int[] groupDigits = new int[20];
    int i = 0;
    while (i < n) {
      char c = t.charAt(i);
      if (!PiiFinder.isDigit(c) || (i > 0 && isBlockedBefore(t, i))) {
        i++;
        continue;
      }
      int count = 0;
      int groups = 0;
      char separator = 0;
      int j = i;
      while (j < n && count <= 19) {
        char d = t.charAt(j);
        if (PiiFinder.isDigit(d)) {
          if (count < 19) {
            digits[count] = d - '0';
          }
          count++;
          j++;
        } else if ((d == ' ' || d == '-')
            && groups < 19
            && (separator == 0 || separator == d)
            && j + 1 < n
            && PiiFinder.isDigit(t.charAt(j + 1))) {
          separator = d;
          groupEnds[groups] = j;
          groupDigits[groups] = count;
          groups++;
          j++;
        } else {
          break;
        }
      }
      int runEnd = j;
      groupEnds[groups] = runEnd;
      groupDigits[groups] = count;
      groups++;
      boolean matched = false;
      // The whole run first, then shorter runs of whole groups ("4111 1111 1111 1111 2 items").
      for (int g = groups - 1; g >= 0 && !matched; g--) {
        int len = groupDigits[g];
        int end = groupEnds[g];
        if (len >= 13 && len <= 19 && !isBlockedAfter(t, end) && issuerKnown(digits, len)) {
          if (luhn(digits, len)) {
            found.add(new Span(i, end, "CREDIT_CARD"));
            matched = true;
          }
        }
      }
      i = runEnd + 1;
    }
  }

  @Override
  public int holdFrom(CharSequence text) {
    return PiiFinder.trailingRunStart(
        text, c -> PiiFinder.isDigit((char) c) || c == ' ' || c == '-', MAX_REACH);
  }

  /** A card number does not continue a word or a longer number. */
  private static boolean isBlockedBefore(CharSequence t, int i) {
    char p = t.charAt(i - 1);
    return PiiFinder.isWordChar(p)
        || ((p == '.' || p == '-' || p == ',') && i > 1 && PiiFinder.isDigit(t.charAt(i - 2)));
  }

  private static boolean isBlockedAfter(CharSequence t, int end) {
    if (end >= t.length()) {
      return false;
    }
    char a = t.charAt(end);
    return PiiFinder.isWordChar(a)
        || ((a == '.' || a == ',' || a == '-')
            && end + 1 < t.length()
            && PiiFinder.isDigit(t.charAt(end + 1)));
  }

  static boolean issuerKnown(int[] d, int len) {
    int two = d[0] * 10 + d[1];
    int four = two * 100 + d[2] * 10 + d[3];
    return switch (d[0]) {
      case 4 -> len == 13 || len == 16 || len == 19; // Visa
      case 5 -> two >= 51 && two <= 55 && len == 16; // Mastercard
      case 2 -> four >= 2221 && four <= 2720 && len == 16; // Mastercard 2-series
      case 3 ->
          ((two == 34 || two == 37) && len == 15) // American Express
              || ((two == 30 || two == 36 || two == 38 || two == 39) && len >= 14) // Diners
              || (two == 35 && len >= 16); // JCB
      case 6 -> four == 6011 || two == 65 || two == 62 || (two == 64 && d[2] >= 4); // Discover
      default -> false;
    };
  }

  static boolean luhn(int[] d, int len) {
    int sum = 0;
    for (int k = 0; k < len; k++) {
      int v = d[len - 1 - k];
      if (k % 2 == 1) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
    }
    return sum % 10 == 0;
  }
}
