package dev.portcullis.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the matcher tree of a Conditional rule ({@code strategy.conditions[].when}), which the CRD
 * keeps free-form:
 *
 * <pre>
 * when     := { attribute: operators, ..., and: [when, ...], or: [when, ...] }   all must hold
 * attribute:= metadata.KEY | params.PATH | headers.NAME
 * operators:= { eq: scalar, ne: scalar, in: [scalar, ...], nin: [scalar, ...],
 *               gt|gte|lt|lte: number, regex: string, exists: boolean }         all must hold
 * </pre>
 */
final class ConditionMatcherChecker {
  private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9_.\\-/]+");
  private static final Pattern PARAMS_PATH =
      Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*");
  // RFC 9110 token characters.
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z\\-]+");
  private static final Set<String> COMBINATORS = Set.of("and", "or");
  private static final String ATTRIBUTES =
      "metadata.<key>, params.<name> or headers.<name> (or and/or with a list of matchers)";
  private static final String OPERATORS = "eq, ne, in, nin, gt, gte, lt, lte, regex, exists";

  private final FieldChecker checker;

  ConditionMatcherChecker(FieldChecker checker) {
    this.checker = checker;
  }

  void check(String path, JsonNode when) {
    if (when == null || when.isNull()) {
      checker.add(path, "required field is missing");
      return;
    }
    if (!when.isObject()) {
      checker.add(
          path,
          "a matcher must be a mapping of attribute to operators, e.g. "
              + "{\"metadata.tier\": {in: [pro]}}");
      return;
    }
    if (when.isEmpty()) {
      checker.add(
          path,
          "an empty matcher matches every request; name at least one attribute"
              + " (use strategy.default for the fallback target)");
      return;
    }
    for (Map.Entry<String, JsonNode> entry : when.properties()) {
      String key = entry.getKey();
      String keyPath = path + "[\"" + key + "\"]";
      if (COMBINATORS.contains(key)) {
        checkCombinator(keyPath, key, entry.getValue());
      } else if (isAttribute(key)) {
        checkOperators(keyPath, entry.getValue());
      } else {
        checker.add(keyPath, "'" + key + "' is not a request attribute: use " + ATTRIBUTES);
      }
    }
  }

  private void checkCombinator(String path, String name, JsonNode value) {
    if (!value.isArray() || value.isEmpty()) {
      checker.add(path, name + " takes a non-empty list of matchers");
      return;
    }
    for (int i = 0; i < value.size(); i++) {
      check(path + "[" + i + "]", value.get(i));
    }
  }

  static boolean isAttribute(String key) {
    int dot = key.indexOf('.');
    if (dot < 0) {
      return false;
    }
    String rest = key.substring(dot + 1);
    return switch (key.substring(0, dot)) {
      case "metadata" -> METADATA_KEY.matcher(rest).matches();
      case "params" -> PARAMS_PATH.matcher(rest).matches();
      case "headers" -> HEADER_NAME.matcher(rest).matches();
      default -> false;
    };
  }

  private void checkOperators(String path, JsonNode operators) {
    if (!operators.isObject() || operators.isEmpty()) {
      checker.add(path, "give an object of operators (" + OPERATORS + "), e.g. {eq: pro}");
      return;
    }
    for (Map.Entry<String, JsonNode> entry : operators.properties()) {
      String op = entry.getKey();
      JsonNode value = entry.getValue();
      String opPath = path + "." + op;
      switch (op) {
        case "eq", "ne" -> {
          if (!isScalar(value)) {
            checker.add(opPath, op + " takes a single string, number or boolean");
          }
        }
        case "in", "nin" -> {
          if (!value.isArray() || value.isEmpty()) {
            checker.add(opPath, op + " takes a non-empty list of values");
          } else {
            for (int i = 0; i < value.size(); i++) {
              if (!isScalar(value.get(i))) {
                checker.add(opPath + "[" + i + "]", "must be a string, number or boolean");
              }
            }
          }
        }
        case "gt", "gte", "lt", "lte" -> {
          if (!value.isNumber()) {
            checker.add(opPath, op + " takes a number");
          }
        }
        case "regex" -> {
          if (!value.isTextual()) {
            checker.add(opPath, "regex takes a regular expression as a string");
          } else {
            checker.regex(opPath, value.asText());
          }
        }
        case "exists" -> {
          if (!value.isBoolean()) {
            checker.add(opPath, "exists takes true or false");
          }
        }
        default -> checker.add(opPath, "unknown operator '" + op + "': use " + OPERATORS);
      }
    }
  }

  private static boolean isScalar(JsonNode value) {
    return value.isTextual() || value.isNumber() || value.isBoolean();
  }
}
