package dev.portcullis.gateway.guardrail;

import dev.portcullis.gateway.guardrail.ContentCheck.Span;
import java.util.List;
import org.apache.commons.validator.routines.InetAddressValidator;

/**
 * IPv4 addresses (four dotted octets 0-255 without leading zeros, not part of a longer dotted
 * number and not right after "version", "v" or similar) and IPv6 addresses (a run of hex groups and
 * colons that Commons Validator accepts, not glued to a word, so {@code std::vector} or a time
 * {@code 12:30:45} is not one).
 */
final class IpAddressFinder implements PiiFinder {
  private static final InetAddressValidator VALIDATOR = InetAddressValidator.getInstance();
  private static final int MAX_V6 = 45;

  @Override
  public void find(CharSequence t, List<Span> found) {
    findV4(t, found);
    findV6(t, found);
  }

  @Override
  public int holdFrom(CharSequence text) {
    return PiiFinder.trailingRunStart(text, c -> isHex((char) c) || c == ':' || c == '.', MAX_V6);
  }

  private static void findV4(CharSequence t, List<Span> found) {
    int n = t.length();
    int i = 0;
    while (i < n) {
      if (!PiiFinder.isDigit(t.charAt(i))
          || (i > 0 && (PiiFinder.isWordChar(t.charAt(i - 1)) || t.charAt(i - 1) == '.'))) {
        i++;
        continue;
      }
      int j = i;
      int octets = 0;
      boolean ok = true;
      while (octets < 4) {
        int start = j;
        int value = 0;
        while (j < n && PiiFinder.isDigit(t.charAt(j)) && j - start < 4) {
          value = value * 10 + (t.charAt(j) - '0');
          j++;
        }
        int len = j - start;
        if (len == 0 || len > 3 || value > 255 || (len > 1 && t.charAt(start) == '0')) {
          ok = false;
          break;
        }
        octets++;
        if (octets < 4) {
          if (j < n && t.charAt(j) == '.') {
            j++;
          } else {
            ok = false;
            break;
          }
        }
      }
      if (ok && !continuesAfter(t, j) && !afterVersionWord(t, i)) {
        found.add(new Span(i, j, "IP_ADDRESS"));
        i = j;
      } else {
        // Skip the rest of this dotted number so its inner parts are not taken for an address.
        while (i < n && (PiiFinder.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
          i++;
        }
      }
    }
  }

  private static boolean continuesAfter(CharSequence t, int j) {
    if (j >= t.length()) {
      return false;
    }
    char a = t.charAt(j);
    return PiiFinder.isWordChar(a)
        || ((a == '.' || a == '-') && j + 1 < t.length() && PiiFinder.isDigit(t.charAt(j + 1)));
  }

  /** "version 1.2.3.4", "v 1.2.3.4", "release 10.0.0.1" name versions, not hosts. */
  private static boolean afterVersionWord(CharSequence t, int i) {
    int e = i;
    while (e > 0 && t.charAt(e - 1) == ' ') {
      e--;
    }
    int s = e;
    while (s > 0 && Character.isLetter(t.charAt(s - 1))) {
      s--;
    }
    String word = t.subSequence(s, e).toString().toLowerCase(java.util.Locale.ROOT);
    return switch (word) {
      case "v", "version", "ver", "release", "build", "firmware", "kernel" -> true;
      default -> false;
    };
  }

  private static void findV6(CharSequence t, List<Span> found) {
    int n = t.length();
    int from = 0;
    for (int colon = EmailFinder.indexOf(t, ':', 0);
        colon >= 0;
        colon = EmailFinder.indexOf(t, ':', from)) {
      int s = colon;
      while (s > 0 && colon - s < MAX_V6 && (isHex(t.charAt(s - 1)) || t.charAt(s - 1) == ':')) {
        s--;
      }
      int e = colon;
      while (e < n
          && e - s < MAX_V6
          && (isHex(t.charAt(e)) || t.charAt(e) == ':' || isV4Tail(t, e))) {
        e++;
      }
      from = Math.max(e, colon + 1);
      while (e > s && t.charAt(e - 1) == '.') {
        e--;
      }
      if ((s > 0 && PiiFinder.isWordChar(t.charAt(s - 1)))
          || (e < n && PiiFinder.isWordChar(t.charAt(e)))) {
        continue;
      }
      String candidate = t.subSequence(s, e).toString();
      if (colons(candidate) >= 2
          && hexDigits(candidate) >= 2
          && VALIDATOR.isValidInet6Address(candidate)) {
        found.add(new Span(s, e, "IP_ADDRESS"));
      }
    }
  }

  private static boolean isV4Tail(CharSequence t, int i) {
    return t.charAt(i) == '.' && i + 1 < t.length() && PiiFinder.isDigit(t.charAt(i + 1));
  }

  private static int colons(String s) {
    int c = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == ':') {
        c++;
      }
    }
    return c;
  }

  private static int hexDigits(String s) {
    int c = 0;
    for (int i = 0; i < s.length(); i++) {
      if (isHex(s.charAt(i))) {
        c++;
      }
    }
    return c;
  }

  private static boolean isHex(char c) {
    return PiiFinder.isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
