package dev.portcullis.gateway.guardrail;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import dev.portcullis.gateway.guardrail.ContentCheck.Span;
import java.util.List;

/**
 * Phone numbers, validated by libphonenumber: a candidate is a run of 7 to 15 digits with the usual
 * separators (spaces, hyphens, dots, parentheses, a leading {@code +}). A number with a country
 * code ({@code +44 20 7946 0000}) is validated for its own country; a national number must be
 * written with separators ({@code (650) 253-0000}, {@code 030 901820}), have at least 9 digits and
 * be valid in one of {@link #REGIONS}. A bare run of digits without {@code +} is not taken for a
 * phone number: order numbers, amounts and ids look like that. Dates and dotted quads are left out
 * too.
 */
final class PhoneFinder implements PiiFinder {
  /** The regions a national number (no country code) is tried in. */
  static final List<String> REGIONS =
      List.of("US", "GB", "DE", "FR", "ES", "IT", "NL", "CH", "IN", "AU", "BR", "JP");

  private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
  private static final int MAX_REACH = 15 + 12;

  /**
   * Fewest digits of a national number: shorter local numbers (555-0123) look too much like invoice
   * numbers and dates.
   */
  private static final int MIN_NATIONAL_DIGITS = 9;

  @Override
  public void find(CharSequence t, List<Span> found) {
    int n = t.length();
    int i = 0;
    while (i < n) {
      char c = t.charAt(i);
      boolean starts = PiiFinder.isDigit(c) || ((c == '+' || c == '(') && i + 1 < n);
      if (!starts || (i > 0 && blockedBefore(t.charAt(i - 1)))) {
        i++;
        continue;
      }
      int j = i;
      int digits = 0;
      char prev = 0;
      while (j < n) {
        char d = t.charAt(j);
        if (PiiFinder.isDigit(d)) {
          digits++;
        } else if (d == '+' && j == i) {
          // leading plus only
        } else if (d == ' ' || d == '-' || d == '.' || d == '(' || d == ')' || d == '/') {
          if (!PiiFinder.isDigit(prev)
              && !(prev == ')' && d == ' ')
              && !(prev == ' ' && d == '(')
              && !(j == i && d == '(')) {
            break; // two separators in a row end the candidate
          }
        } else {
          break;
        }
        prev = d;
        j++;
      }
      int end = j;
      while (end > i && !PiiFinder.isDigit(t.charAt(end - 1)) && t.charAt(end - 1) != ')') {
        end--;
      }
      if (digits >= 7
          && digits <= 15
          && (end >= n || !PiiFinder.isWordChar(t.charAt(end)))
          && looksLikePhone(t, i, end, c == '+')
          && valid(t.subSequence(i, end).toString(), c == '+')) {
        found.add(new Span(i, end, "PHONE"));
      }
      i = Math.max(j, i + 1);
    }
  }

  @Override
  public int holdFrom(CharSequence text) {
    return PiiFinder.trailingRunStart(
        text,
        c ->
            PiiFinder.isDigit((char) c)
                || c == ' '
                || c == '-'
                || c == '.'
                || c == '('
                || c == ')'
                || c == '/'
                || c == '+',
        MAX_REACH);
  }

  private static boolean blockedBefore(char p) {
    return PiiFinder.isWordChar(p) || p == '.' || p == '-' || p == '+' || p == '/';
  }

  private static boolean looksLikePhone(CharSequence t, int from, int to, boolean international) {
    String s = t.subSequence(from, to).toString();
    int dots = 0;
    int slashes = 0;
    int separators = 0;
    for (int k = international ? 1 : 0; k < s.length(); k++) {
      char c = s.charAt(k);
      dots += c == '.' ? 1 : 0;
      slashes += c == '/' ? 1 : 0;
      separators += PiiFinder.isDigit(c) ? 0 : 1;
    }
    if (!international && separators == 0) {
      return false;
    }
    // 2024-01-15, 15/01/2024 and 10.0.0.1 are a date and an address, not a phone number.
    boolean isoDate = s.length() == 10 && s.charAt(4) == '-' && s.charAt(7) == '-';
    boolean slashDate = slashes == 2 && s.length() <= 10;
    boolean dottedQuad = dots == 3 && separators == 3;
    boolean decimal = dots == 1 && separators == 1;
    return !isoDate && !slashDate && !dottedQuad && !decimal;
  }

  private static boolean valid(String candidate, boolean international) {
    // Parsing with libphonenumber normalises with regular expressions and costs tens of
    // microseconds; the digits are instead tried directly as (country code, national number),
    // which validates against the same metadata.
    String digits = candidate.replaceAll("[^0-9]", "");
    if (international) {
      // Country codes are prefix-free: at most one of the first 1 to 3 digits is one.
      for (int len = 1; len <= 3 && len < digits.length(); len++) {
        int code = Integer.parseInt(digits.substring(0, len));
        String region = PHONES.getRegionCodeForCountryCode(code);
        if (!"ZZ".equals(region)) {
          String national = digits.substring(len);
          return validIn(national, region, code)
              || (national.startsWith("0") && validIn(national.substring(1), region, code));
        }
      }
      return false;
    }
    if (digits.length() < MIN_NATIONAL_DIGITS) {
      return false;
    }
    for (String region : REGIONS) {
      String national = digits;
      String trunk = PHONES.getNddPrefixForRegion(region, true);
      if (trunk != null && !trunk.isEmpty() && national.startsWith(trunk)) {
        national = national.substring(trunk.length());
      }
      if (validIn(national, region, PHONES.getCountryCodeForRegion(region))) {
        return true;
      }
    }
    return false;
  }

  private static boolean validIn(String national, String region, int countryCode) {
    if (national.length() < 4 || national.length() > 14) {
      return false;
    }
    Phonenumber.PhoneNumber number =
        new Phonenumber.PhoneNumber()
            .setCountryCode(countryCode)
            .setNationalNumber(Long.parseLong(national));
    if (national.charAt(0) == '0') {
      number.setItalianLeadingZero(true); // Italian fixed lines keep their leading zero
    }
    // "001" is the region of non-geographic numbers; any region the code maps to is fine.
    return "001".equals(region)
        ? PHONES.isValidNumber(number)
        : PHONES.isValidNumberForRegion(number, region) || PHONES.isValidNumber(number);
  }
}
