package dev.portcullis.gateway.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntPredicate;

/**
 * Evaluates a Conditional rule's matcher tree against a request. The syntax is the one the API's
 * validator accepts:
 *
 * <pre>
 * when      := { attribute: operators, ..., and: [when, ...], or: [when, ...] }   all must hold
 * attribute := metadata.KEY | params.PATH | headers.NAME
 * operators := { eq | ne: scalar, in | nin: [scalar, ...], gt | gte | lt | lte: number,
 *                regex: string, exists: boolean }                               all must hold
 * </pre>
 *
 * Values compare by the rule's type: a number in the rule compares numerically (a header "5" equals
 * 5), a boolean with true/false, a string with the value's text. An absent attribute satisfies only
 * {@code ne}, {@code nin} and {@code exists: false}.
 *
 * <p>{@code regex} patterns are RE2, compiled with RE2/J as the validator compiles them: matching
 * takes time linear in the value, so a pattern such as {@code (a+)+$} cannot stall a request on a
 * long header or parameter, as it would with java.util.regex's backtracking.
 */
final class ConditionMatcher {
  // Rules come from configuration, so the set of patterns is small and bounded by it.
  private static final int MAX_CACHED_PATTERNS = 1024;
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private ConditionMatcher() {}

  static boolean matches(JsonNode when, RequestAttributes request) {
    if (when == null || !when.isObject() || when.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> entry : when.properties()) {
      boolean holds =
          switch (entry.getKey()) {
            case "and" -> all(entry.getValue(), request);
            case "or" -> any(entry.getValue(), request);
            default -> operatorsHold(entry.getValue(), request.get(entry.getKey()));
          };
      if (!holds) {
        return false;
      }
    }
    return true;
  }

  private static boolean all(JsonNode list, RequestAttributes request) {
    for (JsonNode when : list) {
      if (!matches(when, request)) {
        return false;
      }
    }
    return true;
  }

  private static boolean any(JsonNode list, RequestAttributes request) {
    for (JsonNode when : list) {
      if (matches(when, request)) {
        return true;
      }
    }
    return false;
  }

  private static boolean operatorsHold(JsonNode operators, JsonNode actual) {
    if (!operators.isObject()) {
      return false;
    }
    for (Map.Entry<String, JsonNode> op : operators.properties()) {
      if (!holds(op.getKey(), op.getValue(), actual)) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(String operator, JsonNode expected, JsonNode actual) {
    boolean present = !actual.isMissingNode() && !actual.isNull();
    return switch (operator) {
      case "exists" -> expected.asBoolean() == present;
      case "eq" -> present && equal(actual, expected);
      case "ne" -> !present || !equal(actual, expected);
      case "in" -> present && contains(expected, actual);
      case "nin" -> !present || !contains(expected, actual);
      case "gt" -> ordered(actual, expected, c -> c > 0);
      case "gte" -> ordered(actual, expected, c -> c >= 0);
      case "lt" -> ordered(actual, expected, c -> c < 0);
      case "lte" -> ordered(actual, expected, c -> c <= 0);
      case "regex" ->
          present
              && actual.isValueNode()
              && pattern(expected.asText()).matcher(actual.asText()).find();
      default -> false;
    };
  }

  private static boolean contains(JsonNode list, JsonNode actual) {
    for (JsonNode expected : list) {
      if (equal(actual, expected)) {
        return true;
      }
    }
    return false;
  }

  private static boolean equal(JsonNode actual, JsonNode expected) {
    if (expected.isNumber()) {
      BigDecimal a = number(actual);
      return a != null && a.compareTo(expected.decimalValue()) == 0;
    }
    if (expected.isBoolean()) {
      if (actual.isBoolean()) {
        return actual.booleanValue() == expected.booleanValue();
      }
      return actual.isTextual() && actual.asText().equalsIgnoreCase(expected.asText());
    }
    return actual.isValueNode() && actual.asText().equals(expected.asText());
  }

  /** Whether a numeric comparison holds; never when the value is absent or not a number. */
  private static boolean ordered(JsonNode actual, JsonNode expected, IntPredicate test) {
    BigDecimal a = number(actual);
    return a != null && expected.isNumber() && test.test(a.compareTo(expected.decimalValue()));
  }

  private static BigDecimal number(JsonNode value) {
    if (value.isNumber()) {
      return value.decimalValue();
    }
    if (value.isTextual()) {
      try {
        return new BigDecimal(value.asText().strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static Pattern pattern(String regex) {
    Pattern cached = PATTERNS.get(regex);
    if (cached != null) {
      return cached;
    }
    if (PATTERNS.size() >= MAX_CACHED_PATTERNS) {
      PATTERNS.clear();
    }
    return PATTERNS.computeIfAbsent(regex, Pattern::compile);
  }
}
