package dev.portcullis.api.validation;

import dev.portcullis.api.Durations;
import dev.portcullis.api.ObjectRef;
import dev.portcullis.api.Problem;
import dev.portcullis.api.SecretKeySelector;
import dev.portcullis.api.ValidationPatterns;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Collects the problems of one resource while its fields are checked. Each check takes the field
 * path and the value as written; absent (null) values pass every check but {@link #required}, since
 * "absent" has a meaning of its own for most fields.
 */
final class FieldChecker {
  private static final Pattern DNS_LABEL = Pattern.compile(ValidationPatterns.DNS_LABEL);
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile(ValidationPatterns.DNS_SUBDOMAIN);
  private static final Pattern SECRET_KEY = Pattern.compile(ValidationPatterns.SECRET_KEY);
  private static final Pattern TIMESTAMP = Pattern.compile(ValidationPatterns.TIMESTAMP);
  private static final Pattern MONEY = Pattern.compile(ValidationPatterns.MONEY);
  private static final Pattern BACK_REFERENCE = Pattern.compile("\\\\([1-9]|k<)");

  private final List<Problem> problems = new ArrayList<>();

  List<Problem> problems() {
    return List.copyOf(problems);
  }

  void add(String field, String message) {
    problems.add(new Problem(field, message));
  }

  /** Reports a missing value; returns whether it is present. */
  boolean required(String field, Object value) {
    boolean present =
        value != null
            && !(value instanceof String s && s.isBlank())
            && !(value instanceof Collection<?> c && c.isEmpty());
    if (!present) {
      add(field, "required field is missing");
    }
    return present;
  }

  /** A Kubernetes-style duration such as {@code 30s}; returns it, or null if absent or invalid. */
  Duration duration(String field, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      add(field, e.getMessage());
      return null;
    }
  }

  /** A duration that must be longer than zero, e.g. a cooldown or a rotation period. */
  Duration positiveDuration(String field, String value) {
    Duration d = duration(field, value);
    if (d != null && d.isZero()) {
      add(field, "'" + value + "' is zero; use a positive duration such as 30s");
      return null;
    }
    return d;
  }

  /** A non-negative USD amount written as a decimal string, e.g. {@code 100.00}. */
  void money(String field, String value) {
    if (value == null) {
      return;
    }
    String text = value.strip();
    BigDecimal amount;
    try {
      amount = new BigDecimal(text);
    } catch (NumberFormatException e) {
      add(field, "'" + value + "' is not an amount in USD: write a decimal such as \"100.00\"");
      return;
    }
    if (amount.signum() < 0) {
      add(field, "'" + value + "' is negative: amounts in USD must be 0 or more");
    } else if (!MONEY.matcher(text).matches()) {
      add(
          field,
          "'"
              + value
              + "' is not a plain decimal amount: write digits with at most 6 decimals and no"
              + " exponent or sign, such as \"100.00\"");
    }
  }

  /** An absolute http or https URL with a host. */
  void httpUrl(String field, String value) {
    if (value == null) {
      return;
    }
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      add(field, "'" + value + "' is not a URL: " + e.getReason() + " at index " + e.getIndex());
      return;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      add(field, "'" + value + "' is not an absolute http(s) URL, e.g. https://api.example.com/v1");
    } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
      add(field, "'" + value + "' has no host name; write e.g. https://api.example.com/v1");
    } else if (uri.getUserInfo() != null) {
      // A password in a URL would end up in logs and status; credentials belong in a Secret.
      add(field, "the URL contains user credentials; put credentials in a Secret instead");
    } else if (uri.getQuery() != null || uri.getFragment() != null) {
      add(field, "'" + value + "' has a query or fragment; give the base URL only");
    }
  }

  /** An RFC 3339 timestamp such as {@code 2027-01-01T00:00:00Z}. */
  void timestamp(String field, String value) {
    if (value == null) {
      return;
    }
    String hint = ": use RFC 3339 with a time zone, e.g. 2027-01-01T00:00:00Z";
    if (!TIMESTAMP.matcher(value.strip()).matches()) {
      add(field, "'" + value + "' is not an RFC 3339 timestamp" + hint);
      return;
    }
    try {
      OffsetDateTime.parse(value.strip());
    } catch (DateTimeParseException e) {
      add(field, "'" + value + "' is not a valid date and time" + hint);
    }
  }

  /**
   * A regular expression in RE2 syntax, compiled with RE2/J, the engine the gateway matches with: a
   * pattern validation accepts is one the gateway can run, in time linear in the text. The message
   * gives RE2's reason, the part of the pattern it refused and where that part starts.
   */
  void regex(String field, String value) {
    if (value == null) {
      return;
    }
    try {
      com.google.re2j.Pattern.compile(value);
    } catch (com.google.re2j.PatternSyntaxException e) {
      add(field, "'" + value + "' is not a valid regular expression: " + describe(value, e));
    }
  }

  /**
   * RE2's reason and the place it names. RE2/J reports no index, only the refused part of the
   * pattern (as {@code getPattern()}), so the index is where that part starts; a missing {@code )}
   * is reported with the whole pattern, and is found at its end.
   */
  private static String describe(String pattern, com.google.re2j.PatternSyntaxException e) {
    String reason = e.getDescription();
    String part = e.getPattern();
    if (reason.startsWith("regexp/syntax: internal error")) {
      // RE2/J 1.8 reports a ')' without its '(' as an internal "stack underflow", where RE2
      // itself says "unexpected )".
      return "unexpected ) (RE2 syntax)";
    }
    int index;
    if (reason.equals("missing closing )")) {
      index = pattern.length();
    } else {
      index = part == null ? -1 : pattern.indexOf(part);
    }
    StringBuilder text = new StringBuilder(reason);
    if (part != null && !part.equals(pattern)) {
      text.append(" `").append(part).append('`');
    }
    if (index >= 0) {
      text.append(" at index ").append(index);
    }
    text.append(" (RE2 syntax");
    if (part != null && isLookAroundOrBackReference(part)) {
      text.append(", which has no look-around or back-references: it matches in linear time");
    }
    return text.append(')').toString();
  }

  private static boolean isLookAroundOrBackReference(String part) {
    return part.startsWith("(?=")
        || part.startsWith("(?!")
        || part.startsWith("(?<=")
        || part.startsWith("(?<!")
        || BACK_REFERENCE.matcher(part).lookingAt();
  }

  /** An RFC 1123 label such as a namespace or target name. */
  void dnsLabel(String field, String value) {
    if (value != null && (value.length() > 63 || !DNS_LABEL.matcher(value).matches())) {
      add(
          field,
          "'"
              + value
              + "' is not a valid name: use at most 63 lower-case letters, digits and '-',"
              + " starting and ending with a letter or digit");
    }
  }

  /** An RFC 1123 subdomain such as a resource or Secret name. */
  void dnsSubdomain(String field, String value) {
    if (value != null && (value.length() > 253 || !DNS_SUBDOMAIN.matcher(value).matches())) {
      add(
          field,
          "'"
              + value
              + "' is not a valid name: use at most 253 lower-case letters, digits, '-' and '.',"
              + " starting and ending with a letter or digit");
    }
  }

  /** A key of a Secret's data. */
  void secretKey(String field, String value) {
    if (value != null && !SECRET_KEY.matcher(value).matches()) {
      add(field, "'" + value + "' is not a valid Secret key: use letters, digits, '-', '_', '.'");
    }
  }

  void range(String field, Number value, double min, double max) {
    if (value != null && (value.doubleValue() < min || value.doubleValue() > max)) {
      add(field, value + " is out of range: use a value from " + fmt(min) + " to " + fmt(max));
    }
  }

  void atLeast(String field, Number value, double min) {
    if (value != null && value.doubleValue() < min) {
      add(field, value + " is too small: use " + fmt(min) + " or more");
    }
  }

  /**
   * Reports every element after the first whose key repeats an earlier one, at {@code
   * listField[i].keyField} ({@code listField[i]} when keyField is empty).
   */
  <T> void unique(
      String listField, List<T> items, Function<T, String> key, String keyField, String what) {
    if (items == null) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      T item = items.get(i);
      String k = item == null ? null : key.apply(item);
      if (k != null && !seen.add(k)) {
        add(
            listField + "[" + i + "]" + (keyField.isEmpty() ? "" : "." + keyField),
            what + " '" + k + "' appears more than once");
      }
    }
  }

  /** Each of a list of references to another resource; null elements are missing. */
  void objectRefs(String path, List<ObjectRef> refs) {
    if (refs == null) {
      return;
    }
    for (int i = 0; i < refs.size(); i++) {
      if (required(path + "[" + i + "]", refs.get(i))) {
        objectRef(path + "[" + i + "]", refs.get(i));
      }
    }
  }

  /** A reference to another resource: a name, and a namespace if given. */
  void objectRef(String path, ObjectRef ref) {
    if (ref == null) {
      return;
    }
    if (required(path + ".name", ref.getName())) {
      dnsSubdomain(path + ".name", ref.getName());
    }
    dnsLabel(path + ".namespace", ref.getNamespace());
  }

  /** A reference to one data key of a Secret in the resource's own namespace. */
  void secretKeySelector(String path, SecretKeySelector selector) {
    if (!required(path, selector)) {
      return;
    }
    if (required(path + ".name", selector.getName())) {
      dnsSubdomain(path + ".name", selector.getName());
    }
    if (required(path + ".key", selector.getKey())) {
      secretKey(path + ".key", selector.getKey());
    }
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
