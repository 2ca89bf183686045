package dev.portcullis.gateway.guardrail;

import dev.portcullis.gateway.guardrail.ContentCheck.Span;
import java.util.List;
import org.apache.commons.validator.routines.IBANValidator;

/**
 * International bank account numbers: a country code, two check digits and the national part,
 * together or in groups of four separated by single spaces, of exactly the length the country uses
 * and with a valid mod-97 checksum (Apache Commons Validator).
 */
final class IbanFinder implements PiiFinder {
  private static final IBANValidator VALIDATOR = IBANValidator.getInstance();
  private static final int MAX_REACH = 34 + 8;

  @Override
  public void find(CharSequence t, List<Span> found) {
    int n = t.length();
    StringBuilder compact = new StringBuilder(34);
    for (int i = 0; i + 15 <= n; i++) {
      if (!isUpper(t.charAt(i))
          || !isUpper(t.charAt(i + 1))
          || !PiiFinder.isDigit(t.charAt(i + 2))
          || !PiiFinder.isDigit(t.charAt(i + 3))
          || (i > 0 && PiiFinder.isWordChar(t.charAt(i - 1)))) {
        continue;
      }
      IBANValidator.Validator country = VALIDATOR.getValidator(t.subSequence(i, i + 2).toString());
      if (country == null) {
        continue;
      }
      int length = country.getIbanLength();
      compact.setLength(0);
      int j = i;
      while (j < n && compact.length() < length) {
        char c = t.charAt(j);
        if (isUpper(c) || PiiFinder.isDigit(c)) {
          compact.append(c);
          j++;
        } else if (c == ' '
            && j + 1 < n
            && isAlnumUpper(t.charAt(j + 1))
            && compact.length() % 4 == 0) {
          j++;
        } else {
          break;
        }
      }
      if (compact.length() == length
          && (j >= n || !PiiFinder.isWordChar(t.charAt(j)))
          && VALIDATOR.isValid(compact.toString())) {
        found.add(new Span(i, j, "IBAN"));
        i = j - 1;
      }
    }
  }

  @Override
  public int holdFrom(CharSequence text) {
    // From the last place an IBAN could have begun whose rest is still consistent with one.
    int n = text.length();
    for (int i = Math.max(0, n - MAX_REACH); i < n; i++) {
      if ((i == 0 || !PiiFinder.isWordChar(text.charAt(i - 1))) && couldBegin(text, i)) {
        return i;
      }
    }
    return n;
  }

  private static boolean couldBegin(CharSequence t, int i) {
    for (int k = i; k < t.length(); k++) {
      char c = t.charAt(k);
      int pos = k - i;
      boolean ok =
          pos < 2 ? isUpper(c) : pos < 4 ? PiiFinder.isDigit(c) : isAlnumUpper(c) || c == ' ';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean isAlnumUpper(char c) {
    return isUpper(c) || PiiFinder.isDigit(c);
  }
}
